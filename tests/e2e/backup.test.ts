/**
 * End-to-end: Settings → Backup in headless Chromium against the real daemon. A user downloads
 * a backup (secrets left out), the container it holds is removed, the file is uploaded: the
 * preview says the container would be created and nothing changes until the restore is
 * confirmed, which makes it again. The preview on a phone (no sideways scrolling) and in the
 * dark scheme; a file that is not a backup is refused with what is wrong; the schedule is
 * saved through htmx. Screenshots: tests/output/screenshots/backup-*.png.
 *
 * Needs the test bed (tests/testbed/up.sh) and /usr/bin/chromium. Run:
 *   deno task vendor && deno test -A tests/e2e/backup.test.ts
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  assertNoHorizontalOverflow,
  browserRun,
  darkContext,
  type ExpectedFailure,
  screenshot,
  watchConsole,
} from "../helpers/browser.ts";
import { inspect, listLabeled, removeLabeled, runId } from "../helpers/docker.ts";
import { waitFor } from "../helpers/server.ts";
import { HTTP_PORT, images } from "../testbed/images.ts";

/** The refused upload below is the one error status on purpose. */
const EXPECTED: ExpectedFailure[] = [{ status: 400, path: "/settings/backup/preview" }];

/** Uploads `file` from Settings and waits for the preview page (or the refusal). */
async function preview(page: Page, base: string, file: string): Promise<void> {
  await page.goto(`${base}/settings#backup`);
  await page.locator("#backup-file").setInputFiles(file);
  await Promise.all([
    page.waitForURL(`${base}/settings/backup/preview`),
    page.click("#backup-preview"),
  ]);
  await page.getByRole("heading", { level: 1, name: "Restore a backup" }).waitFor();
}

Deno.test({
  name: "e2e: backup download, restore preview and confirm, schedule (desktop, phone, dark)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const name = `bk-${run}-web`;
    const browserErrors = watchConsole(EXPECTED);
    const dir = await Deno.makeTempDir({ prefix: "dockermate-e2e-backup-" });
    try {
      await browserRun(
        t,
        { browserErrors, finalStep: 6, env: { RATE_LIMIT_MUTATIONS: "1000" } },
        async ({ base, client, browser, phone, page, step }) => {
          // The shared daemon holds other runs' containers too: the limit must not count them.
          await client.json("PUT", "/api/v1/system/profile", { maxContainers: 1000 });
          const made = await client.json("POST", "/api/v1/containers", {
            name,
            image: images.web,
            env: { GREETING: "restored" },
            ports: [`${HTTP_PORT}`],
            labels: { "test.dockermate.run": run },
            tags: ["media"],
          });
          assert.equal(made.status, 201, JSON.stringify(made.body));
          const file = `${dir}/backup.json`;

          await step("1. download a backup, secrets left out", async () => {
            await page.goto(`${base}/settings#backup`);
            await page.locator("#backup-secrets").selectOption("omitted");
            const [download] = await Promise.all([
              page.waitForEvent("download"),
              page.click("#backup-download"),
            ]);
            assert.match(download.suggestedFilename(), /^dockermate-backup-\d{8}T\d+Z\.json$/);
            await download.saveAs(file);
            const backup = JSON.parse(await Deno.readTextFile(file));
            assert.equal(backup.format, "dockermate-backup");
            assert.equal(backup.secrets, "omitted");
            const kept = backup.sections.containers.find((c: { name: string }) => c.name === name);
            assert.deepEqual(kept?.tags, ["media"]);
            await screenshot(page, "backup-settings-desktop");
          });

          await step(
            "2. the container is lost; the preview says it comes back, nothing changes",
            async () => {
              await removeLabeled(run);
              await waitFor("the app to see the container gone", async () => {
                const r = await client.json("GET", `/api/v1/containers/${name}`);
                return r.status === 404;
              });
              await preview(page, base, file);
              const create = page.locator("#restore-create");
              assert.match(
                await create.innerText(),
                new RegExp(`${name}[\\s\\S]*missing: created and started`),
              );
              assert.match(await page.locator("#restore-about").innerText(), /secrets left out/);
              assert.match(
                await page.locator("#restore-submit").innerText(),
                /^Restore: \d+ changes?$/,
              );
              assert.equal((await listLabeled(run)).length, 0, "the preview made nothing");
              await screenshot(page, "backup-preview-desktop");
            },
          );

          await step("3. the preview on a phone and in the dark", async () => {
            const small = await phone.newPage();
            await preview(small, base, file);
            await small.locator("#restore-create").waitFor();
            await assertNoHorizontalOverflow(small, "the restore preview on a phone");
            await screenshot(small, "backup-preview-phone");
            await small.goto(`${base}/settings#backup`);
            await assertNoHorizontalOverflow(small, "Settings → Backup on a phone");
            await small.locator("#backup-panel").screenshot({
              path: `tests/output/screenshots/backup-settings-phone.png`,
            });
            await small.close();
            const dark = await darkContext(browser, browserErrors, client);
            const p = await dark.newPage();
            await preview(p, base, file);
            const bg = await p.evaluate<string>("getComputedStyle(document.body).backgroundColor");
            assert.equal(bg, "rgb(15, 20, 27)", `body background in the dark theme is ${bg}`);
            await screenshot(p, "backup-preview-dark");
            await dark.close();
            assert.equal((await listLabeled(run)).length, 0, "still nothing made");
          });

          await step("4. confirm: the container is made again, tags and all", async () => {
            await page.click("#restore-submit");
            await page.getByRole("heading", { level: 1, name: "Backup restored" }).waitFor();
            assert.match(await page.locator("#restore-create").innerText(), new RegExp(name));
            const now = await inspect(name);
            assert.equal(now.State.Running, true);
            assert.ok(now.Config.Env.includes("GREETING=restored"));
            const r = await client.json<{ tags: string[] }>("GET", `/api/v1/containers/${name}`);
            assert.deepEqual(r.body.tags, ["media"]);
            await screenshot(page, "backup-restored-desktop");
          });

          await step("5. a file that is not a backup; the schedule", async () => {
            const bad = `${dir}/notes.json`;
            await Deno.writeTextFile(bad, "these are my notes, not a backup");
            await preview(page, base, bad);
            assert.match(
              await page.locator("#restore-error").innerText(),
              /Not restored: body: is not valid JSON/,
            );
            await page.goto(`${base}/settings#backup`);
            await page.locator("#backup-enabled").check();
            await page.locator("#backup-retention").fill("3");
            await page.locator("#backup-schedule-form button[type=submit]").click();
            await page.locator("#backup-saved").waitFor();
            const schedule = await client.json("GET", "/api/v1/backup/schedule");
            assert.deepEqual(schedule.body, { enabled: true, retention: 3, secrets: "sealed" });
          });
        },
      );
    } finally {
      await removeLabeled(run);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

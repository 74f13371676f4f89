/**
 * End-to-end: the volume pages in headless Chromium against the real daemon.
 *
 * A user creates a volume through the form (its CLI shown), opens it once a container has
 * written files into it, browses into a folder and back, downloads a file (byte for byte what
 * is in the volume), downloads a backup and restores it into a new volume through the restore
 * form (the same files, modes and links, as Docker sees them), refuses a restore into a volume
 * that holds files, previews a prune of this run's volumes and confirms it, and removes a
 * volume through its confirmation. The list and the volume page are checked on a 375 px phone
 * and in the dark theme. Screenshots: tests/output/screenshots/volumes-*.png.
 *
 * Needs the test bed (tests/testbed/up.sh) and /usr/bin/chromium. Run:
 *   deno task vendor && deno test -A tests/e2e/volumes.test.ts
 */
import assert from "node:assert/strict";
import type { Download, Page } from "playwright-core";
import {
  browserRun,
  darkContext,
  overflowChecks,
  pathOf,
  screenshot,
  watchConsole,
} from "../helpers/browser.ts";
import { dockerApi, runId, TEST_LABEL } from "../helpers/docker.ts";
import {
  fill,
  helpersOf,
  removeLabeledVolumes,
  sha256,
  sha256In,
  volumeFacts,
} from "../helpers/volumes.ts";

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `volumes-${name}`);
}

/** Clicks `selector` and reads what the browser downloaded. */
async function downloaded(
  page: Page,
  selector: string,
): Promise<{ d: Download; bytes: Uint8Array }> {
  const [d] = await Promise.all([page.waitForEvent("download"), page.locator(selector).click()]);
  const path = await d.path();
  return { d, bytes: await Deno.readFile(path) };
}

Deno.test({
  name: "e2e: volumes: create, browse, download, back up and restore, prune, remove",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const name = `${run}-e2e`;
    const restored = `${run}-restored`;
    const browserErrors = watchConsole([
      // A name the rule refuses, on purpose.
      { status: 400, path: "/volumes" },
      // The restore into a volume that holds files, refused on purpose.
      { status: 409, path: `/volumes/${name}/restore` },
    ]);
    const backupFile = await Deno.makeTempFile({ suffix: ".tar.gz" });
    try {
      await browserRun(
        t,
        { browserErrors, finalStep: 7 },
        async ({ base, browser, client, phone, page, step }) => {
          await step("1. create a volume through the form: its CLI, its row", async () => {
            await page.goto(`${base}/volumes`);
            await page.getByRole("heading", { level: 1, name: "Volumes" }).waitFor();
            await page.locator("#vc-name").fill(name);
            await page.locator("#create-card summary").click();
            await page.locator("#vc-labels").fill(`${TEST_LABEL}=${run}`);
            await page.locator("#create-submit").click();
            const done = page.locator("#create-card .alert-ok");
            await done.waitFor();
            assert.match(
              await done.locator("pre").innerText(),
              new RegExp(
                `^docker volume create --driver local --label ${TEST_LABEL}=${run} ${name}$`,
              ),
            );
            await page.locator(`#volume-${name}`).waitFor();
            const labels = (await dockerApi<{ Labels: Record<string, string> }>(`/volumes/${name}`))
              .Labels;
            assert.equal(labels[TEST_LABEL], run);
            // The name rule, named at its field.
            await page.locator("#vc-name").fill("-nope");
            await page.locator("#create-submit").click();
            await page.locator("#name-error").waitFor();
            assert.match(await page.locator("#name-error").innerText(), /letter or digit/);
            await fill(run, name);
            await page.reload();
            await shot(page, "list-desktop");
          });

          await step(
            "2. browse into a folder and back; a link is shown, not followed",
            async () => {
              await page.locator(`#volume-${name} a.name-link`).click();
              await page.waitForURL(`${base}/volumes/${name}`);
              const files = page.locator("#files");
              await files.locator('tr[data-name="hello.txt"]').waitFor();
              assert.match(
                await files.locator('tr[data-name="escape"]').innerText(),
                /escape\s+→ \/etc/,
              );
              assert.equal(await files.locator('tr[data-name="escape"] a').count(), 0);
              assert.match(
                await page.locator("#files-cli").innerText(),
                /docker run --rm -v .*:ro busybox ls -la \/v$/m,
              );
              await files.locator('tr[data-name="dir"] a').click();
              await page.locator('#files[data-path="/dir"]').waitFor();
              assert.equal(pathOf(page), `/volumes/${name}?path=%2Fdir`);
              await page.locator('#files tr[data-name="sub"] a').click();
              await page.locator('#files tr[data-name="deep.bin"]').waitFor();
              assert.match(
                await page.locator(".crumbs").innerText(),
                new RegExp(`^${name}\\s+dir\\s+sub$`),
              );
              await shot(page, "browse-desktop");
              await page.locator(".crumbs a", { hasText: "dir" }).click();
              await page.locator('#files[data-path="/dir"]').waitFor();
            },
          );

          await step("3. download a file: the bytes in the volume", async () => {
            await page.goto(`${base}/volumes/${name}?path=${encodeURIComponent("/dir/sub")}`);
            const { d, bytes } = await downloaded(page, '#files tr[data-name="deep.bin"] a');
            assert.equal(d.suggestedFilename(), "deep.bin");
            assert.equal(bytes.length, 100 * 1024);
            assert.equal(sha256(bytes), await sha256In(run, name, "/dir/sub/deep.bin"));
          });

          await step("4. back up, restore into a new volume: the same files", async () => {
            await page.goto(`${base}/volumes/${name}`);
            const { d, bytes } = await downloaded(page, "#backup");
            assert.match(d.suggestedFilename(), new RegExp(`^${name}-\\d{8}-\\d{6}\\.tar\\.gz$`));
            await Deno.writeFile(backupFile, bytes);
            await page.goto(`${base}/volumes#restore-card`);
            await page.locator("#restore-name").fill(restored);
            await page.locator("#restore-labels").fill(`${TEST_LABEL}=${run}`);
            await page.locator("#restore-file").setInputFiles(backupFile);
            await page.locator("#restore-submit").click();
            await page.locator("#restore-done").waitFor({ timeout: 30_000 });
            assert.match(await page.locator("#restore-done").innerText(), /into the new volume/);
            // The list shows it without a reload.
            await page.locator(`#volume-${restored}`).waitFor();
            await shot(page, "restored-desktop");
            assert.equal(await volumeFacts(run, restored), await volumeFacts(run, name));
            await page.locator("#restore-open").click();
            await page.locator('#files tr[data-name="weird name ü.txt"]').waitFor();
            // A volume that holds files takes no restore: the form says so.
            await page.goto(`${base}/volumes`);
            await page.locator("#restore-name").fill(name);
            await page.locator("#restore-file").setInputFiles(backupFile);
            await page.locator("#restore-submit").click();
            const refused = page.locator("#restore-result .alert-error");
            await refused.waitFor();
            assert.match(await refused.innerText(), /is not empty/);
          });

          await step("5. phone and dark: list and volume page fit", async () => {
            const small = await phone.newPage();
            const overflow = overflowChecks(small);
            await small.goto(`${base}/volumes`);
            await small.getByRole("heading", { level: 1, name: "Volumes" }).waitFor();
            await overflow.measure("volume list");
            await shot(small, "list-phone");
            await small.goto(`${base}/volumes/${name}?path=${encodeURIComponent("/dir")}`);
            await small.locator('#files tr[data-name="run.sh"]').waitFor();
            await overflow.measure("volume page");
            await shot(small, "detail-phone");
            overflow.assertNone();
            const dark = await darkContext(browser, browserErrors, client);
            const darkPage = await dark.newPage();
            await darkPage.goto(`${base}/volumes`);
            await darkPage.locator("#volumes-table").waitFor();
            await shot(darkPage, "list-desktop-dark");
            await darkPage.goto(`${base}/volumes/${name}`);
            await darkPage.locator('#files tr[data-name="dir"]').waitFor();
            await shot(darkPage, "detail-desktop-dark");
            await dark.close();
          });

          await step("6. remove through the confirmation; prune this run's volumes", async () => {
            await page.goto(`${base}/volumes/${restored}`);
            await page.locator("#remove-volume").click();
            await page.locator("#confirm-remove-volume-button").click();
            await page.waitForURL(`${base}/volumes?removed=${restored}`);
            assert.match(
              await page.locator(".alert-ok").innerText(),
              new RegExp(`docker volume rm ${restored}`),
            );
            await page.locator("#prune-all").check();
            await page.locator("#prune-label").fill(`${TEST_LABEL}=${run}`);
            await page.locator("#prune-preview").click();
            const plan = page.locator("#prune-plan");
            await plan.waitFor();
            assert.match(await page.locator("#prune-title").innerText(), /^Remove 1 volume, \d/);
            assert.deepEqual(
              await plan.locator("#prune-candidates li").evaluateAll((li) =>
                li.map((e) => e.getAttribute("data-name"))
              ),
              [name],
            );
            assert.match(
              await plan.locator("pre").innerText(),
              /docker volume prune --force( --all)? --filter label=/,
            );
            await shot(page, "prune-desktop");
            await page.locator("#prune-confirm").click();
            await page.locator("#prune-results").waitFor();
            assert.match(await page.locator("#prune-results h2").innerText(), /^Removed 1 volume/);
            assert.deepEqual(await helpersOf([name, restored]), []);
          });
        },
      );
    } finally {
      await removeLabeledVolumes(run);
      await Deno.remove(backupFile).catch(() => {});
    }
  },
});

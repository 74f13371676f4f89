/**
 * End-to-end: a running container's image gets a new version at the registry; the user clicks
 * "Check for updates" on the containers page, reads the summary, and the container's row shows
 * the update badge (live, over the list's stream). Then stores registry credentials in Settings
 * and sees them listed without the password. Screenshots: tests/output/screenshots/updates-*.png.
 *
 * Needs the test bed (tests/testbed/up.sh) and /usr/bin/chromium. Run:
 *   deno task vendor && deno test -A tests/e2e/image-updates.test.ts
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserRun, screenshot, until, watchConsole } from "../helpers/browser.ts";
import { removeLabeled, runId } from "../helpers/docker.ts";
import {
  buildImage,
  createContainer,
  deleteFromRegistry,
  inspectImage,
  pushImage,
  REGISTRY,
  removeImage,
  removeLabeledImages,
  tagImage,
} from "../helpers/registry.ts";

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `updates-${name}`);
}

Deno.test({
  name: "e2e: check for updates shows the badge on the running container's row",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const repo = `dockermate-test/upd-${run}-e2e`;
    const ref = `${REGISTRY}/${repo}:latest`;
    const name = `upd-${run}-e2e`;
    const digests: string[] = [];
    const browserErrors = watchConsole([], { warnings: true });
    try {
      await buildImage(ref, run, "1");
      digests.push(await pushImage(ref));
      const id = await createContainer(name, ref, run, true);
      // A new version is published; this host still runs the old one.
      const before = (await inspectImage(ref)).Id;
      const next = await buildImage(ref, run, "2");
      digests.push(await pushImage(ref));
      await tagImage(before, ref);
      await removeImage(next, true);

      await browserRun(t, { browserErrors, finalStep: 4 }, async ({ base, page, phone, step }) => {
        const row = `#row-${id}`;
        await step("1. the row has no badge before a check", async () => {
          await page.goto(`${base}/containers?all=1`);
          await page.locator(row).waitFor();
          await page.locator("#update-last").waitFor();
          assert.equal(await page.locator(`${row} .badge-update`).count(), 0);
        });

        await step("2. Check for updates: summary, then the badge on the row", async () => {
          await page.getByRole("button", { name: "Check for updates" }).click();
          await page.locator("#update-result").waitFor({ timeout: 30_000 });
          const summary = await page.locator("#update-last").innerText();
          assert.match(summary, /\d+ images? checked, [1-9]\d* updates? available/);
          assert.match(await page.locator("#update-list").innerText(), new RegExp(name));
          await until(page, `!!document.querySelector("${row} .badge-update")`);
          assert.equal(
            (await page.locator(`${row} .badge-update`).innerText()).trim(),
            "update available",
          );
          await page.locator(row).scrollIntoViewIfNeeded();
          await shot(page, "containers-desktop");
          const mobile = await phone.newPage();
          await mobile.goto(`${base}/containers?all=1`);
          await mobile.locator(`${row} .badge-update`).waitFor();
          await mobile.locator("#update-last").waitFor();
          await shot(mobile, "containers-phone");
          await mobile.close();
        });

        await step(
          "3. Settings: a registry with credentials, listed without the password",
          async () => {
            await page.goto(`${base}/settings#registries`);
            await page.locator("#reg-registry").fill("registry.example.com:5443");
            await page.locator("#reg-username").fill("robot");
            await page.locator("#reg-password").fill("Never-Shown-Again-9");
            await page.getByRole("button", { name: "Save registry" }).click();
            await page.locator("#registries-notice").waitFor();
            const table = await page.locator("#registries-table").innerText();
            assert.match(table, /registry\.example\.com:5443\s+robot\s+https/);
            assert.ok(!(await page.content()).includes("Never-Shown-Again-9"));
            await page.locator("#registries").scrollIntoViewIfNeeded();
            await shot(page, "settings-registries-desktop");
          },
        );
      });
    } finally {
      await removeLabeled(run);
      await removeLabeledImages(run);
      await deleteFromRegistry(`http://${REGISTRY}`, repo, digests);
    }
  },
});

/**
 * End-to-end: the "How to recreate" panel on the page of a container DockerMate did not make.
 * The panel shows the same `docker run` and compose file as the API; Copy puts the command on
 * the clipboard, and where the clipboard is out of reach (a plain-http LAN address has no
 * `navigator.clipboard`) it selects the text instead. Screenshots go to
 * tests/output/screenshots/recreate-*.png.
 *
 * Needs the test bed (tests/testbed/up.sh) and /usr/bin/chromium. Run:
 *   deno task vendor && deno test -A tests/e2e/recreate-panel.test.ts
 */
import assert from "node:assert/strict";
import { removeLabeled, runId, runLabeled } from "../helpers/docker.ts";
import type { Page } from "playwright-core";
import { browserRun, overflowChecks, screenshot, watchConsole } from "../helpers/browser.ts";
import { images } from "../testbed/images.ts";

/** The panel's text as the page shows it (what a user would copy). */
async function shown(page: Page, id: string): Promise<string> {
  return await page.locator(`#${id}`).evaluate((e) => e.textContent ?? "");
}

Deno.test({
  name: "e2e: how to recreate: the panel on an external container, copy and selection fallback",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const name = `e2e-${run}-ext`;
    const browserErrors = watchConsole([], { warnings: true });
    try {
      // Made with the CLI, not by DockerMate: an external container.
      await runLabeled(run, name, [
        "-e",
        `GREETING=it's "<b>hi</b>" $HOME`,
        "-p",
        "127.0.0.1::8080",
        "--restart",
        "unless-stopped",
        "--memory",
        "64m",
        "--tmpfs",
        "/run:size=8m",
        images.web,
      ]);

      await browserRun(t, { browserErrors, finalStep: 4 }, async (r) => {
        const { base, client, desktop, phone, page, step } = r;
        const api = await client.json<{ run: string; compose: string }>(
          "GET",
          `/api/v1/containers/${name}/run-command`,
        );
        assert.equal(api.status, 200);

        await step("1. the panel shows the API's docker run and compose file", async () => {
          await page.goto(`${base}/containers/${name}`);
          await page.locator(".badge-external").waitFor();
          await page.getByRole("heading", { name: "How to recreate" }).waitFor();
          assert.equal(await shown(page, "recreate-run"), api.body.run);
          assert.equal(await shown(page, "recreate-compose"), api.body.compose);
          assert.match(api.body.run, /--env "GREETING=it's \\"<b>hi<\/b>\\" \\\$HOME"/);
          assert.equal(await page.locator("#recreate b").count(), 0, "markup stays text");
          await page.locator("#recreate").scrollIntoViewIfNeeded();
          await screenshot(page, "recreate-desktop");
        });

        await step("2. Copy puts the docker run on the clipboard", async () => {
          await desktop.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
          await page.locator("#recreate-run-copy").click();
          await page.locator("#recreate-run-status").filter({ hasText: "Copied." }).waitFor();
          assert.equal(await page.evaluate<string>("navigator.clipboard.readText()"), api.body.run);
          await page.locator("#recreate-compose-copy").click();
          await page.locator("#recreate-compose-status").filter({ hasText: "Copied." }).waitFor();
          assert.equal(
            await page.evaluate<string>("navigator.clipboard.readText()"),
            api.body.compose,
          );
        });

        await step(
          "3. phone, no clipboard (plain http): Copy selects the text; it fits",
          async () => {
            // What a plain-http LAN origin looks like to the page: no navigator.clipboard.
            await phone.addInitScript(() => {
              Object.defineProperty(navigator, "clipboard", { value: undefined });
            });
            const p = await phone.newPage();
            const { measure, assertNone } = overflowChecks(p);
            await p.goto(`${base}/containers/${name}`);
            await p.locator("#recreate-run-copy").click();
            await p.locator("#recreate-run-status").filter({ hasText: /Copied\.|Selected/ })
              .waitFor();
            assert.equal(await p.evaluate<string>("String(getSelection())"), api.body.run);
            await measure("container page with the recreate panel");
            await p.locator("#recreate").scrollIntoViewIfNeeded();
            await screenshot(p, "recreate-phone");
            await p.close();
            assertNone();
          },
        );
      });
    } finally {
      await removeLabeled(run);
    }
  },
});

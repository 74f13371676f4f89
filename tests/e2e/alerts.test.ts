/**
 * End-to-end: alerts and notifications in headless Chromium against the real daemon.
 *
 * A user adds a webhook channel on Settings → Alerts and notifications (a bad URL is refused
 * under its field first), presses Test and sees it arrive (the test runs the receiver); with
 * the alerts page open, a container that exits with an error shows up in the list live and in
 * the nav's badge; the rules form keeps a threshold; the channel is edited (its secret kept)
 * and deleted. Then both pages on a 375 px phone and in
 * the dark theme. Screenshots: tests/output/screenshots/alerts-*.png.
 *
 * Needs the test bed (tests/testbed/up.sh) and /usr/bin/chromium. Run:
 *   deno task vendor && deno test -A tests/e2e/alerts.test.ts
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  browserRun,
  darkContext,
  overflowChecks,
  screenshot,
  watchConsole,
} from "../helpers/browser.ts";
import { removeLabeled, runId, runLabeled } from "../helpers/docker.ts";
import { httpReceiver } from "../helpers/receivers.ts";
import { images } from "../testbed/images.ts";

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `alerts-${name}`);
}

const badgeCount = async (page: Page) =>
  Number(await page.locator("#alerts-badge .alerts-count").innerText());

Deno.test({
  name: "e2e: alerts: add a channel and test it, an alert live in the list and the badge",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const crash = `${run}-crash`;
    const receiver = httpReceiver();
    const browserErrors = watchConsole([
      // Provoked on purpose: a webhook URL that is not http(s).
      { status: 400, path: "/settings/notifications/channels" },
    ], { warnings: true });
    try {
      await browserRun(
        t,
        { browserErrors, finalStep: 6 },
        async ({ base, browser, client, phone, page, step }) => {
          await step("1. add a webhook channel (a bad URL first) and press Test", async () => {
            await page.goto(`${base}/settings`);
            await page.locator("#settings-notifications").click();
            await page.getByRole("heading", { level: 1, name: "Alerts and notifications" })
              .waitFor();
            await page.locator("#channels-empty").waitFor();
            await page.getByRole("link", { name: "Webhook (JSON)" }).click();
            await page.locator("#ch-name").fill("Home hook");
            await page.locator("#ch-url").fill("ftp://example.test/hook");
            await page.locator("#channel-save").click();
            const error = page.locator("#ch-url-error");
            await error.waitFor();
            assert.match(await error.innerText(), /http:\/\/ or https:\/\//);
            await page.locator("#ch-name").fill("Home hook");
            await page.locator("#ch-url").fill(`${receiver.url}/hook?token=e2e`);
            await page.locator("#channel-save").click();
            const row = page.locator("#channels-table tr", { hasText: "Home hook" });
            await row.waitFor();
            await row.getByRole("button", { name: "Test" }).click();
            const result = row.locator(".channel-test-result.ok");
            await result.waitFor();
            assert.equal(await result.innerText(), "Test sent ✓");
            const [got] = await receiver.waitFor("/hook");
            assert.equal(got.json?.kind, "test");
            assert.match(String(got.json?.message), /channel "Home hook"/);
            await shot(page, "settings-desktop");
          });

          await step(
            "2. a container exits with an error: live in the list and the badge",
            async () => {
              await page.goto(`${base}/alerts`);
              await page.getByRole("heading", { level: 1, name: "Alerts" }).waitFor();
              await runLabeled(run, crash, [images.exits]);
              const row = page.locator("tr.alert-row-firing[data-rule=exited]", { hasText: crash });
              await row.waitFor({ timeout: 20_000 });
              assert.match(await row.innerText(), new RegExp(`${crash} exited with code 3`));
              assert.match(await row.innerText(), /Firing/);
              // The badge follows without a reload (the page's Docker-status stream carries it).
              const deadline = Date.now() + 10_000;
              while ((await badgeCount(page)) < 1 && Date.now() < deadline) {
                await page.waitForTimeout(100);
              }
              assert.ok((await badgeCount(page)) >= 1, "the badge counts the firing alert");
              assert.match(
                await page.locator("#alerts-badge").getAttribute("class") ?? "",
                /alerts-link-firing/,
              );
              const [fired] = await receiver.waitFor("/hook", 2);
              assert.equal(fired.json?.kind, "test");
              const sent = (await receiver.waitFor("/hook", 2))[1];
              assert.equal(sent.json?.kind, "firing");
              await shot(page, "list-desktop");
            },
          );

          await step("3. the rules form keeps a threshold", async () => {
            await page.goto(`${base}/settings/notifications#rules`);
            await page.locator("#rule-cpuPercent").fill("180");
            await page.locator("#rule-cooldownMinutes").fill("30");
            await page.locator("#rules-save").click();
            await page.waitForURL(/\/settings\/notifications/);
            await page.locator("#rules-form").waitFor();
            assert.equal(await page.locator("#rule-cpuPercent").inputValue(), "180");
            const api = await client.json<
              { settings: { cpuPercent: number; cooldownMinutes: number } }
            >(
              "GET",
              "/api/v1/alerts/rules",
            );
            assert.equal(api.body.settings.cpuPercent, 180);
            assert.equal(api.body.settings.cooldownMinutes, 30);

            // Edit keeps the stored URL when its field is left empty.
            const row = page.locator("#channels-table tr", { hasText: "Home hook" });
            await row.getByRole("link", { name: "Edit" }).click();
            await page.locator("#ch-url[placeholder^=stored]").waitFor();
            await page.locator("#ch-name").fill("Lab hook");
            await page.locator("#channel-save").click();
            const renamed = page.locator("#channels-table tr", { hasText: "Lab hook" });
            await renamed.getByRole("button", { name: "Test" }).click();
            await renamed.locator(".channel-test-result.ok").waitFor();
            assert.equal((await receiver.waitFor("/hook", 3))[2].query, "?token=e2e");
          });

          await step("4. phone and dark mode: both pages fit and read", async () => {
            const small = await phone.newPage();
            const overflow = overflowChecks(small);
            await small.goto(`${base}/alerts`);
            await small.locator("tr.alert-row", { hasText: crash }).waitFor();
            await overflow.measure("alerts list");
            await shot(small, "list-phone");
            await small.goto(`${base}/settings/notifications`);
            await small.locator("#channels-table").waitFor();
            await overflow.measure("notifications settings");
            await shot(small, "settings-phone");
            overflow.assertNone();
            const dark = await darkContext(browser, browserErrors, client);
            const darkPage = await dark.newPage();
            await darkPage.goto(`${base}/alerts`);
            await darkPage.locator("tr.alert-row", { hasText: crash }).waitFor();
            await shot(darkPage, "list-desktop-dark");
            await darkPage.goto(`${base}/settings/notifications?type=email#channel-form`);
            await darkPage.locator("#ch-host").waitFor();
            await shot(darkPage, "settings-desktop-dark");
            await dark.close();
          });

          await step("5. delete the channel (after the confirmation)", async () => {
            await page.goto(`${base}/settings/notifications`);
            page.once("dialog", (d) => void d.accept());
            const row = page.locator("#channels-table tr", { hasText: "Lab hook" });
            await row.getByRole("button", { name: "Delete" }).click();
            await page.locator("#channels-empty").waitFor();
            await page.locator(".alert-ok", { hasText: "Channel deleted." }).waitFor();
            const list = await client.json<unknown[]>("GET", "/api/v1/notifications/channels");
            assert.deepEqual(list.body, []);
          });
        },
      );
    } finally {
      await receiver.close();
      await removeLabeled(run);
    }
  },
});

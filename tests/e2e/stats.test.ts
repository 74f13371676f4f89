/**
 * End-to-end: resource use in headless Chromium against the real daemon.
 *
 * A busy container's page shows its Resources card with figures and four graphs that fill in
 * live (a line appears after sampling rounds, without a reload), the 24 h range switches in
 * place, and its Health card lists the failing probes of an unhealthy container; the container
 * list and the dashboard show small live CPU/memory figures; the host health page (in the nav)
 * shows the daemon, database and graphs. Then phone and dark mode: no horizontal overflow, the
 * graphs use the width. Screenshots: tests/output/screenshots/stats-*.png.
 *
 * Needs the test bed (tests/testbed/up.sh) and /usr/bin/chromium. Run:
 *   deno task vendor && deno test -A tests/e2e/stats.test.ts
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  browserRun,
  darkContext,
  overflowChecks,
  screenshot,
  until,
  watchConsole,
} from "../helpers/browser.ts";
import { removeLabeled, runId, runLabeled } from "../helpers/docker.ts";
import { images } from "../testbed/images.ts";

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `stats-${name}`);
}

/** True once the chart's line has at least two points (an `L` in its path). */
const drawn = (id: string) =>
  `(document.querySelector('#${id} path.chart-line')?.getAttribute('d') ?? '').includes('L')`;

Deno.test({
  name: "e2e: stats: live graphs and health on a container page, figures in the list, /host",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const busy = `${run}-busy`;
    const sick = `${run}-sick`;
    const browserErrors = watchConsole([], { warnings: true });
    try {
      await runLabeled(run, busy, [images.base, "sh", "-c", "while :; do :; done"]);
      await runLabeled(run, sick, [images.unhealthy]);
      await browserRun(
        t,
        { browserErrors, finalStep: 5 },
        async ({ base, browser, client, phone, page, step }) => {
          await step("1. a container page: figures, live graphs, the 24 h range", async () => {
            await page.goto(`${base}/containers/${busy}`);
            await page.locator("#monitor #monitor-figures").waitFor();
            for (const id of ["chart-cpu", "chart-memory", "chart-network", "chart-disk"]) {
              await page.locator(`#${id} svg`).waitFor();
            }
            // Live: the CPU line gets drawn as rounds come in, without a reload.
            await until(page, drawn("chart-cpu"), 60_000);
            const cpu = await page.locator("#monitor-figures dd").first().innerText();
            assert.match(cpu, /^\d+(\.\d)? %$/, `CPU figure: ${cpu}`);
            const label = await page.locator("#chart-cpu svg").getAttribute("aria-label");
            assert.match(label ?? "", /^CPU: latest use \d/);
            await shot(page, "container-desktop");
            await page.locator("#monitor .range-tabs a", { hasText: "24h" }).click();
            await page.locator('#monitor .range-tabs a.active:text("24h")').waitFor();
            await until(page, drawn("chart-cpu") + " || true", 1000);
            assert.match(await page.locator("#monitor .hint").innerText(), /1-minute averages/);
            await shot(page, "container-24h-desktop");
          });

          await step("2. health: an unhealthy container's failing probes", async () => {
            await page.goto(`${base}/containers/${sick}`);
            await page.locator("#health-status", { hasText: "unhealthy" }).waitFor({
              timeout: 30_000,
            });
            const first = page.locator("#health-probes tbody tr").first();
            assert.equal(await first.locator("td").nth(1).innerText(), "1");
            assert.match(await first.locator("pre").innerText(), /unhealthy on purpose/);
            await shot(page, "health-desktop");
          });

          await step("3. the list and the dashboard show live CPU/memory figures", async () => {
            await page.goto(`${base}/containers?all=1`);
            const fig = page.locator(`#row-${await idOf(client, busy)} .use-fig .use-cpu`);
            await fig.waitFor({ timeout: 30_000 });
            assert.match(await fig.innerText(), /\d+(\.\d)? %/);
            await shot(page, "list-desktop");
            await page.goto(`${base}/`);
            await page.locator("#top-use-table", { hasText: busy }).waitFor({ timeout: 30_000 });
            assert.match(await page.locator("#top-host").innerText(), /Host CPU \d/);
            await shot(page, "dashboard-desktop");
          });

          await step("4. /host from the nav; phone and dark mode", async () => {
            await page.locator("nav.nav a", { hasText: "Host" }).click();
            await page.getByRole("heading", { level: 1, name: "Host health" }).waitFor();
            await page.locator("#host-health", { hasText: "up" }).waitFor();
            assert.match(await page.locator("#host-health").innerText(), /answers in/);
            await until(page, drawn("chart-host-cpu"), 60_000);
            await shot(page, "host-desktop");

            const small = await phone.newPage();
            const overflow = overflowChecks(small);
            await small.goto(`${base}/containers/${busy}`);
            await small.locator("#monitor #chart-cpu svg").waitFor();
            await until(small, drawn("chart-cpu"), 60_000);
            await overflow.measure("container page");
            const width = await small.locator("#chart-cpu svg").evaluate((e) =>
              e.getBoundingClientRect().width
            );
            assert.ok(width >= 300, `the graph uses the phone's width (${width} px)`);
            await shot(small, "container-phone");
            await small.goto(`${base}/host`);
            await small.locator("#chart-host-cpu svg").waitFor();
            await overflow.measure("host page");
            await shot(small, "host-phone");
            await small.goto(`${base}/containers?all=1`);
            await small.locator(".use-fig .use-cpu").first().waitFor({ timeout: 30_000 });
            await overflow.measure("list");
            await shot(small, "list-phone");
            overflow.assertNone();

            const dark = await darkContext(browser, browserErrors, client);
            const darkPage = await dark.newPage();
            await darkPage.goto(`${base}/containers/${busy}`);
            await until(darkPage, drawn("chart-cpu"), 60_000);
            // The line's colour is the dark theme's, not the light one's.
            const stroke = await darkPage.evaluate<string>(
              "getComputedStyle(document.querySelector('#chart-cpu path.chart-line')).stroke",
            );
            assert.equal(stroke, "rgb(77, 141, 255)");
            await shot(darkPage, "container-desktop-dark");
            await darkPage.goto(`${base}/host`);
            await darkPage.locator("#chart-host-cpu svg").waitFor();
            await shot(darkPage, "host-desktop-dark");
            await dark.close();
          });
        },
      );
    } finally {
      await removeLabeled(run);
    }
  },
});

async function idOf(
  client: { json: <T>(m: string, p: string) => Promise<{ body: T }> },
  name: string,
) {
  const r = await client.json<{ id: string }>("GET", `/api/v1/containers/${name}`);
  return r.body.id;
}

/**
 * End-to-end: the live dashboard and the events page in headless Chromium against the real
 * daemon. A container started and stopped from the CLI changes the dashboard's counts, its
 * recent events and its attention list without a reload; the events page prepends new events
 * live, keeps its filters in the URL (and its stream follows them), and shows hostile names as
 * text. Then both pages on a 375 px phone: no sideways scrolling. Screenshots go to
 * tests/output/screenshots/dashboard-*.png.
 *
 * Needs the test bed (tests/testbed/up.sh) and /usr/bin/chromium. Run:
 *   deno task vendor && deno test -A tests/e2e/dashboard.test.ts
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  browserRun,
  docScreenshots,
  overflowChecks,
  pathOf,
  screenshot,
  watchConsole,
} from "../helpers/browser.ts";
import {
  docker,
  dockerApi,
  removeLabeled,
  runId,
  runLabeled,
  TEST_LABEL,
} from "../helpers/docker.ts";
import { waitFor } from "../helpers/server.ts";
import { dockerCli, images } from "../testbed/images.ts";

/** Live changes must show without a reload; generous, since how fast is the bench's measure
 * (event latency) and a loaded 2-core machine must not fail a correct page. */
const LIVE_MS = 15_000;

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `dashboard-${name}`);
}

/**
 * Records every event row and attention item the page shows from now on, even one that a
 * burst of other activity on the shared daemon pushes out of the bounded lists a moment later.
 */
async function recordShown(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const seen = window.__seen = new Set();
    const note = (root) => {
      if (!(root instanceof Element)) return;
      for (const e of [root, ...root.querySelectorAll("[data-action], [data-kind]")]) {
        if (e.dataset.action) seen.add("event " + e.dataset.name + " " + e.dataset.action);
        if (e.dataset.kind) seen.add("attention " + e.dataset.container + " " + e.dataset.kind);
      }
    };
    note(document.body);
    new MutationObserver((records) => {
      for (const r of records) {
        r.addedNodes.forEach(note);
        if (r.type === "attributes") note(r.target);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  })()`);
}

/** The little of the DOM these page functions touch (the test is type-checked without lib.dom). */
type Doc = {
  document: {
    querySelectorAll(s: string): ArrayLike<{ dataset: Record<string, string | undefined> }> & {
      length: number;
    } & Iterable<{ dataset: Record<string, string | undefined> }>;
  };
};
type Seen = { __seen: Set<string> };

/** Waits until the page has shown `what` (see recordShown). */
async function shown(page: Page, what: string, timeout = LIVE_MS): Promise<void> {
  await page.waitForFunction((w) => (globalThis as unknown as Seen).__seen.has(w), what, {
    timeout,
  });
}

/** A page-lifetime marker: still there after a change means the page was not reloaded. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(`window.__noReload = true`);
}

async function notReloaded(page: Page): Promise<void> {
  assert.equal(await page.evaluate(`window.__noReload === true`), true, "the page reloaded");
}

/** Waits until more elements match `selector` than `before` (a new live one arrived). */
async function more(page: Page, selector: string, before: number, timeout = LIVE_MS) {
  await page.waitForFunction(
    ([sel, n]) => (globalThis as unknown as Doc).document.querySelectorAll(sel).length > n,
    [selector, before] as const,
    { timeout },
  );
}

/** Waits until every event row on the page passes `test` (by its data- attributes). */
async function everyRow(
  page: Page,
  field: "type" | "name",
  includes: string,
  timeout = LIVE_MS,
): Promise<void> {
  await page.waitForFunction(
    ([f, v]) =>
      [...(globalThis as unknown as Doc).document.querySelectorAll("#event-list li")]
        .every((li) => (li.dataset[f] ?? "").includes(v)),
    [field, includes] as const,
    { timeout },
  );
}

async function runningCount(page: Page): Promise<number> {
  return Number(await page.locator("#count-running").getAttribute("data-count"));
}

Deno.test({
  name: "e2e: live dashboard and events page follow the CLI (desktop and phone)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const label = `${TEST_LABEL}=${run}`;
    const names = {
      web: `e2e-dash-${run}-web`,
      late: `e2e-dash-${run}-late`,
      failed: `e2e-dash-${run}-failed`,
    };
    const network = `e2e-dash-${run}-<b>bold</b>`;
    const browserErrors = watchConsole([], { warnings: true });
    try {
      await runLabeled(run, names.web, [images.web]);
      await browserRun(
        t,
        { browserErrors, finalStep: 6 },
        async ({ base, client, browser, phone, page, step }) => {
          await step("1. the dashboard: counts, capacity, host, disk, recent events", async () => {
            await page.goto(`${base}/`);
            await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
            await page.locator("#count-running").waitFor();
            await page.locator("#capacity meter").waitFor();
            await page.locator("#dash-disk table").waitFor();
            await page.locator("#host-load meter").waitFor();
            await page.locator("#dash-attention").waitFor();
            await shot(page, "desktop");
            await docScreenshots(page, "dashboard");
          });

          await step(
            "2. docker run and stop from the CLI: the dashboard follows, no reload",
            async () => {
              await markPage(page);
              await recordShown(page);
              const before = await runningCount(page);
              await runLabeled(run, names.late, [images.web]);
              await shown(page, `event ${names.late} start`);
              await waitFor("the running count to follow Docker", async () => {
                const info = await dockerApi<{ ContainersRunning: number }>("/info");
                return (await runningCount(page)) === info.ContainersRunning;
              }, 5_000);
              assert.ok((await runningCount(page)) >= before, "running went down on a start");
              await docker(["stop", "-t", "1", names.late]);
              await shown(page, `event ${names.late} stop`);
              // A failed container shows up for attention, linking to its page.
              await runLabeled(run, names.failed, [images.exits]);
              await shown(page, `attention ${names.failed} exited`);
              const item = page.locator(`#dash-attention [data-container="${names.failed}"]`);
              assert.match(await item.innerText(), /exited with code 3/);
              assert.equal(
                await item.locator("a").getAttribute("href"),
                `/containers/${names.failed}`,
              );
              await notReloaded(page);
              await shot(page, "desktop-live");
            },
          );

          await step("3. the events page: live prepends, filters in the URL", async () => {
            await page.goto(`${base}/events`);
            await page.getByRole("heading", { level: 1, name: "Events" }).waitFor();
            await page.locator(`#event-list [data-name="${names.failed}"]`).first().waitFor();
            await markPage(page);
            const starts = `#event-list li[data-name="${names.late}"][data-action="start"]`;
            const startsBefore = await page.locator(starts).count();
            await docker(["start", names.late]);
            await more(page, starts, startsBefore);
            const first = page.locator("#event-list li").first();
            assert.equal(await first.getAttribute("data-type"), "container");
            // The newest container event is the start (a network connect may come just before).
            const firstContainer = page.locator('#event-list li[data-type="container"]').first();
            assert.equal(await firstContainer.getAttribute("data-name"), names.late);
            const link = page.locator(`#event-list li[data-name="${names.late}"] a.ev-name`)
              .first();
            assert.equal(await link.getAttribute("href"), `/containers/${names.late}`);

            // Filter by type: the URL follows and the stream too.
            await page.locator("#ef-type").selectOption("container");
            await page.waitForURL((u) => u.search.includes("type=container"));
            await page.locator("#events-cli", { hasText: "--filter type=container" }).waitFor();
            await everyRow(page, "type", "container");
            await page.locator("#ef-q").fill(run);
            await page.waitForURL((u) => u.search.includes(`q=${run}`));
            await everyRow(page, "name", run);
            assert.equal(pathOf(page), `/events?type=container&q=${run}`);
            await docker(["network", "create", "--label", label, network]);
            const stops = `#event-list li[data-name="${names.late}"][data-action="stop"]`;
            const stopsBefore = await page.locator(stops).count();
            await docker(["stop", "-t", "1", names.late]);
            await more(page, stops, stopsBefore);
            assert.equal(await page.locator('#event-list li[data-type="network"]').count(), 0);
            await notReloaded(page);
            await shot(page, "events-desktop");

            // Hostile names are text: the network's <b> is not an element.
            await page.goto(
              `${base}/events?type=network&q=${encodeURIComponent(`e2e-dash-${run}`)}`,
            );
            const net = page.locator(`#event-list li[data-type="network"]`).first();
            await net.waitFor();
            assert.match(await net.innerText(), /<b>bold<\/b>/);
            assert.equal(await page.locator("#event-list b").count(), 0);
            // Back and forward keep the filters.
            await page.goBack();
            await page.waitForURL((u) => u.search.includes("type=container"));
            assert.equal(await page.locator("#ef-type").inputValue(), "container");
          });

          await step("4. on a phone: no sideways scrolling", async () => {
            const p = await phone.newPage();
            const { measure, assertNone } = overflowChecks(p);
            await p.goto(`${base}/`);
            await p.locator("#count-running").waitFor();
            await p.locator(`#dash-attention [data-container="${names.failed}"]`).waitFor();
            await measure("dashboard");
            await shot(p, "phone");
            await p.goto(`${base}/events`);
            await p.locator("#event-list li").first().waitFor();
            await measure("events");
            await shot(p, "events-phone");
            await p.goto(`${base}/events?type=container&q=${run}`);
            await p.locator("#event-list li").first().waitFor();
            const starts = `#event-list li[data-name="${names.late}"][data-action="start"]`;
            const before = await p.locator(starts).count();
            await docker(["start", names.late]);
            await more(p, starts, before);
            await measure("events, filtered, after a live event");
            await p.close();
            assertNone();
          });

          await step("5. dark theme on the desktop", async () => {
            const dark = await browser.newContext({
              viewport: { width: 1280, height: 800 },
              colorScheme: "dark",
            });
            browserErrors.watch(dark, "dark");
            const [name, value] = client.cookie!.split("=");
            await dark.addCookies([{ name, value, url: base, httpOnly: true, sameSite: "Lax" }]);
            const p = await dark.newPage();
            await p.goto(`${base}/`);
            await p.locator("#count-running").waitFor();
            await shot(p, "desktop-dark");
            await p.goto(`${base}/events`);
            await p.locator("#event-list li").first().waitFor();
            await shot(p, "events-desktop-dark");
            await dark.close();
          });
        },
      );
    } finally {
      await removeLabeled(run);
      await dockerCli(["network", "rm", network]);
    }
  },
});

/**
 * End-to-end: the log viewer in headless Chromium against the real daemon.
 *
 * A user opens a ticking container's logs from its page and sees new lines arrive, searches
 * (matches highlighted), hides the lines that do not match, pauses (nothing new is drawn, the
 * status counts what waits) and resumes (every line is there, in order), sees the "stopped"
 * notice when the CLI stops the container and the "restarted" one when it starts again; the
 * merged view shows two containers with their chips; the same pages fit a 375 px phone. No
 * console errors or CSP violations. Screenshots: tests/output/screenshots/logs-*.png.
 *
 * Needs the test bed (tests/testbed/up.sh) and /usr/bin/chromium. Run:
 *   deno task vendor && deno test -A tests/e2e/logs.test.ts
 */
import assert from "node:assert/strict";
import { docker, removeLabeled, runId, runLabeled } from "../helpers/docker.ts";
import type { Page } from "playwright-core";
import {
  browserRun,
  darkContext,
  overflowChecks,
  pathOf,
  screenshot,
  until,
  watchConsole,
} from "../helpers/browser.ts";
import { images } from "../testbed/images.ts";

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `logs-${name}`);
}

/** The numbers of the `line N` lines shown, in page order. */
async function shownNumbers(page: Page): Promise<number[]> {
  const texts = await page.locator("#log-lines .log-line .log-text").allInnerTexts();
  return texts.map((t) => Number(/^line (\d+)$/.exec(t)?.[1] ?? NaN)).filter(Number.isFinite);
}

/** The computed text colour of an element (runs in the page). */
const colorOf = new Function("e", "return getComputedStyle(e).color") as (e: unknown) => string;

function assertConsecutive(numbers: number[], what: string): void {
  for (let i = 1; i < numbers.length; i++) {
    assert.equal(
      numbers[i],
      numbers[i - 1] + 1,
      `${what}: ${numbers.slice(Math.max(0, i - 3), i + 2)}`,
    );
  }
}

Deno.test({
  name: "e2e: log viewer: live lines, search, hide, pause/resume, stop notice, merged, phone",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const tick = `e2e-${run}-ticker`;
    const app = `e2e-${run}-app`;
    const browserErrors = watchConsole([], { warnings: true });
    try {
      await runLabeled(run, tick, [images.ticker]);
      // A program with colours, stderr, markup and a very long line, for the screenshots.
      await runLabeled(run, app, [
        images.base,
        "sh",
        "-c",
        [
          `printf '\\033[32mINFO\\033[0m server listening on :8080\\n'`,
          `printf '\\033[33mWARN\\033[0m cache is cold\\n'`,
          `echo 'ERROR could not reach db: <script>alert(1)</script>' >&2`,
          `printf '\\033[1;34mDEBUG\\033[0m %s\\n' "$(seq -s ' ' 1 120)"`,
          `while true; do echo "tick $(date +%s)"; sleep 1; done`,
        ].join("; "),
      ]);

      await browserRun(
        t,
        { browserErrors, finalStep: 9 },
        async ({ base, client, browser, phone, page, step }) => {
          const lines = page.locator("#log-lines .log-line");

          await step("1. from the container page to its logs: lines arrive live", async () => {
            await page.goto(`${base}/containers/${tick}`);
            await page.locator("#detail-logs").click();
            await page.waitForURL(`${base}/containers/${tick}/logs`);
            await page.getByRole("heading", { level: 1 }).filter({ hasText: tick }).waitFor();
            assert.equal(
              await page.locator("#log-cli").innerText(),
              `docker logs --tail 100 ${tick}`,
            );
            await page.locator("#log-status[data-state=live]").waitFor();
            await lines.nth(2).waitFor();
            const before = await lines.count();
            await lines.nth(before + 2).waitFor();
            assertConsecutive(await shownNumbers(page), "live lines");
          });

          await step("2. search highlights; only matching hides the rest", async () => {
            await lines.nth(11).waitFor();
            await page.locator("#log-search").fill("LINE 1");
            await page.locator("#log-lines mark.log-hit").first().waitFor();
            const hits = await page.locator("#log-lines mark.log-hit").allInnerTexts();
            assert.ok(hits.length >= 2 && hits.every((h) => h === "line 1"), hits.join("|"));
            assert.match(await page.locator("#log-status").innerText(), /\d+ matching/);
            await page.locator("#log-hide").check();
            const visible = await page.locator("#log-lines .log-line:visible .log-text")
              .allInnerTexts();
            assert.ok(
              visible.length > 0 && visible.every((v) => v.startsWith("line 1")),
              visible.join("|"),
            );
            assert.ok(await page.locator("#log-lines .log-line[hidden]").count() > 0);
            await shot(page, "search-desktop");
            await page.locator("#log-hide").uncheck();
            await page.locator("#log-search").fill("");
            await until(page, `!document.querySelector("#log-lines mark.log-hit")`);
            assert.equal(await page.locator("#log-lines .log-line[hidden]").count(), 0);
          });

          await step("3. pause stops drawing but keeps receiving; resume catches up", async () => {
            await page.locator("#log-pause").click();
            assert.equal(await page.locator("#log-pause").getAttribute("aria-pressed"), "true");
            const frozen = await lines.count();
            const lastFrozen = (await shownNumbers(page)).at(-1)!;
            await page.locator("#log-status", { hasText: /Paused — [3-9]\d* new lines/ }).waitFor();
            assert.equal(await lines.count(), frozen, "nothing new drawn while paused");
            await page.locator("#log-pause").click();
            await lines.nth(frozen + 2).waitFor();
            const numbers = await shownNumbers(page);
            assertConsecutive(numbers, "after resume");
            assert.ok(numbers.includes(lastFrozen + 1) && numbers.at(-1)! >= lastFrozen + 3);
            assert.match(await page.locator("#log-status").innerText(), /^Live/);
          });

          await step(
            "4. options: server filter and timestamps reload the stream and the CLI",
            async () => {
              await page.locator("#log-grep").fill("line 2");
              await page.locator("#log-grep").press("Enter");
              await page.waitForURL((u) => u.searchParams.get("grep") === "line 2");
              await page.locator("#log-cli", { hasText: "| grep -iF -- 'line 2'" }).waitFor();
              await until(
                page,
                `(() => {
            const t = [...document.querySelectorAll("#log-lines .log-text")].map((e) => e.textContent);
            return t.length > 0 && t.every((x) => x.includes("line 2"));
          })()`,
              );
              await page.locator("#log-timestamps").check();
              await page.locator("#log-cli", { hasText: "--timestamps" }).waitFor();
              await page.locator("#log-lines .log-line time.log-ts").first().waitFor();
              assert.match(
                await page.locator("#log-download").getAttribute("href") ?? "",
                /\/logs\/download\?.*timestamps=1/,
              );
              await page.locator("#log-grep").fill("");
              await page.locator("#log-grep").press("Enter");
              await page.waitForURL((u) => !u.searchParams.has("grep"));
              assert.equal(pathOf(page), `/containers/${tick}/logs?timestamps=1`);
              await lines.nth(5).waitFor();
              await shot(page, "viewer-desktop");
            },
          );

          await step(
            "5. the CLI stops the container: the viewer says so; a start goes on",
            async () => {
              await docker(["stop", "-t", "2", tick]);
              const notice = page.locator("#log-lines .log-notice[data-kind=stopped]");
              await notice.waitFor();
              assert.equal(await notice.innerText(), "— container stopped (exit 0) —");
              await page.locator("#log-status[data-state=stopped]").waitFor();
              await docker(["start", tick]);
              await page.locator("#log-lines .log-notice[data-kind=restarted]").waitFor();
              await page.locator("#log-lines .log-notice[data-kind=restarted] ~ .log-line").first()
                .waitFor();
              const after = page.locator("#log-lines .log-notice[data-kind=restarted] ~ .log-line");
              assert.match(await after.first().locator(".log-text").innerText(), /^line 0$/);
              await page.locator("#log-status[data-state=live]").waitFor();
            },
          );

          await step("6. colours, stderr and markup as text; dark theme", async () => {
            await page.goto(`${base}/containers/${app}/logs`);
            const err = page.locator("#log-lines .log-line[data-stream=stderr] .log-text");
            await err.waitFor();
            assert.equal(
              await err.innerText(),
              "ERROR could not reach db: <script>alert(1)</script>",
            );
            assert.equal(await page.locator("#log-lines script").count(), 0);
            const green = page.locator("#log-lines .ansi-green-fg").first();
            assert.equal(await green.innerText(), "INFO");
            const color = await green.evaluate(colorOf);
            assert.equal(color, "rgb(17, 99, 41)", "light theme green");
            assert.equal(await page.locator("#log-lines [style]").count(), 0);
            await shot(page, "colors-desktop");
            const dark = await darkContext(browser, browserErrors, client);
            const p = await dark.newPage();
            await p.goto(`${base}/containers/${app}/logs`);
            const darkGreen = p.locator("#log-lines .ansi-green-fg").first();
            await darkGreen.waitFor();
            assert.equal(
              await darkGreen.evaluate(colorOf),
              "rgb(63, 185, 80)",
              "dark theme green",
            );
            await shot(p, "colors-desktop-dark");
            await dark.close();
          });

          await step("7. merged view: both containers, each line with its chip", async () => {
            await page.goto(`${base}/containers/logs`);
            await page.locator(`input[name=ids][value="${tick}"]`).check();
            await page.locator(`input[name=ids][value="${app}"]`).check();
            await page.getByRole("button", { name: "Show logs" }).last().click();
            await page.waitForURL((u) =>
              u.pathname === "/containers/logs" && u.search.includes("ids=")
            );
            await page.locator(`#log-lines .log-chip`, { hasText: tick }).first().waitFor();
            await page.locator(`#log-lines .log-chip`, { hasText: app }).first().waitFor();
            const chips = await page.locator("#log-lines .log-chip").evaluateAll((
              es,
            ) => [...new Set(es.map((e) => `${e.textContent}=${e.className}`))]);
            assert.equal(chips.length, 2, chips.join("|"));
            await shot(page, "merged-desktop");
          });

          await step("8. phone: viewer and merged view fit 375 px, wrapped or not", async () => {
            const p = await phone.newPage();
            const { measure, assertNone } = overflowChecks(p);
            await p.goto(`${base}/containers/${app}/logs?timestamps=1`);
            await p.locator("#log-lines .log-line").nth(3).waitFor();
            await shot(p, "viewer-phone");
            await measure("viewer, wrapped");
            await p.locator("#log-wrap").uncheck();
            await measure("viewer, not wrapped");
            await shot(p, "viewer-phone-nowrap");
            await p.goto(`${base}/containers/logs?ids=${tick},${app}`);
            await p.locator("#log-lines .log-chip").first().waitFor();
            await shot(p, "merged-phone");
            await measure("merged");
            await p.goto(`${base}/containers/logs`);
            await measure("picker");
            await shot(p, "picker-phone");
            await p.close();
            assertNone();
          });
        },
      );
    } finally {
      await removeLabeled(run);
    }
  },
});

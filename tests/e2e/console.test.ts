/**
 * End-to-end: the container console in headless Chromium against the real daemon.
 *
 * A user opens a container's console from its page, picks a user, types a command and reads
 * its output in the terminal; the TTY follows the window when it is resized (`stty size`);
 * copy and paste go through the clipboard; the shell's exit is said and Reconnect opens a new
 * one; a dropped connection reconnects by itself to a new shell, and the old one is ended;
 * closing the tab ends the exec; the main process's output shows read-only; light, dark and
 * phone screenshots (tests/output/screenshots/console-*.png). No console errors or CSP
 * violations (xterm's styles pass the page's nonce).
 *
 * Needs the test bed (tests/testbed/up.sh) and /usr/bin/chromium. Run:
 *   deno task vendor && deno test -A tests/e2e/console.test.ts
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  browserRun,
  darkContext,
  newContext,
  overflowChecks,
  screenshot,
  SCREENSHOTS,
  shareSession,
  until,
  watchConsole,
} from "../helpers/browser.ts";
import { execRunning, forwarder, topCommands } from "../helpers/console.ts";
import { removeLabeled, runId, runLabeled } from "../helpers/docker.ts";
import { waitFor } from "../helpers/server.ts";
import { images } from "../testbed/images.ts";

/** The terminal's visible text (xterm's DOM renderer draws the visible rows). */
function screen(page: Page): Promise<string> {
  return page.locator("#console-term .xterm-rows").innerText();
}

/** Waits until the terminal shows a line matching `pattern`. */
async function shows(page: Page, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(await screen(page))) {
    if (Date.now() > deadline) {
      throw new Error(`the terminal never showed ${pattern}:\n${await screen(page)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Types a command line into the terminal as a user would. */
async function typeLine(page: Page, line: string): Promise<void> {
  await page.locator("#console-term .xterm-helper-textarea").focus();
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
}

const connected = `document.getElementById("console")?.dataset.state === "open"`;
const execOf = (page: Page) =>
  page.evaluate<string>(`document.getElementById("console").dataset.exec`);
const sizeOf = (page: Page) =>
  page.evaluate<string>(`document.getElementById("console").dataset.size`);

Deno.test({
  name: "e2e: console: type and read, resize, copy/paste, reconnect, tab close ends it, phone",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const web = `e2e-${run}-web`;
    const tick = `e2e-${run}-ticker`;
    const browserErrors = watchConsole([], { warnings: true });
    let cut: ReturnType<typeof forwarder> | undefined;
    try {
      await runLabeled(run, web, [images.web]);
      await runLabeled(run, tick, [images.ticker]);
      await browserRun(
        t,
        { browserErrors, finalStep: 10 },
        async ({ base, server, client, browser, desktop, phone, page, step }) => {
          await desktop.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });

          await step("1. from the container page to a console as user app", async () => {
            await page.goto(`${base}/containers/${web}`);
            await page.locator("#detail-console").click();
            await page.waitForURL(`${base}/containers/${web}/console`);
            assert.equal(
              await page.locator("#console-cli").innerText(),
              `docker exec -it ${web} sh`,
            );
            assert.equal(await page.locator("#console-command").isVisible(), false);
            await page.locator("#console-user").fill("app");
            await page.locator("#console-open").click();
            await page.waitForURL(/\/console\?shell=sh/);
            await until(page, connected);
            assert.equal(
              await page.locator("#console-cli").innerText(),
              `docker exec -it -u app ${web} sh`,
            );
          });

          await step("2. a command typed in the terminal, its output read there", async () => {
            await typeLine(page, "echo e2e-$((6*7)); id -u");
            await shows(page, /^e2e-42$/m);
            await shows(page, /^1000$/m);
            await screenshot(page, "console-desktop");
          });

          await step("3. the TTY follows a resized window: stty size", async () => {
            const before = await sizeOf(page);
            await page.setViewportSize({ width: 900, height: 640 });
            await until(page, `document.getElementById("console").dataset.size !== "${before}"`);
            const [cols, rows] = (await sizeOf(page)).split("x");
            await typeLine(page, "clear; stty size");
            await shows(page, new RegExp(`^${rows} ${cols}$`, "m"));
            await page.setViewportSize({ width: 1280, height: 800 });
          });

          await step("4. copy a selection and paste into the shell", async () => {
            await typeLine(page, "clear; echo copy-me-please");
            await shows(page, /^copy-me-please$/m);
            const line = page.locator("#console-term .xterm-rows > div", {
              hasText: /^copy-me-please$/,
            });
            // The rows take no pointer events (xterm's screen above them does): click there.
            const box = (await line.boundingBox())!;
            await page.mouse.dblclick(box.x + 20, box.y + box.height / 2);
            await page.locator("#console-copy").click();
            await until(page, `document.getElementById("console-status").textContent === "Copied"`);
            assert.equal(
              await page.evaluate<string>("navigator.clipboard.readText()"),
              "copy-me-please",
            );
            await page.evaluate(`navigator.clipboard.writeText("echo pasted-$((1+1))")`);
            await page.locator("#console-paste").click();
            // The paste reads the clipboard first: Enter only once the shell has echoed it.
            await shows(page, /echo pasted-\$\(\(1\+1\)\) *$/m);
            await page.keyboard.press("Enter");
            await shows(page, /^pasted-2$/m);
          });

          await step("5. the shell's exit is said; Reconnect opens a new one", async () => {
            const first = await execOf(page);
            await typeLine(page, "exit 3");
            await shows(page, /sh exited with code 3\./);
            await until(page, `document.getElementById("console").dataset.state === "ended"`);
            await page.locator("#console-reconnect").click();
            await until(page, connected);
            await shows(page, /Connected to a new shell/);
            assert.notEqual(await execOf(page), first);
          });

          await step(
            "6. a dropped connection reconnects to a new shell; the old one ends",
            async () => {
              cut = forwarder({ port: server.port });
              const via = `http://127.0.0.1:${cut.port}`;
              // Its own context, not watched: the cut breaks the page's other streams (SSE) too.
              const droppedContext = await newContext(browser);
              await shareSession(droppedContext, client);
              const dropped = await droppedContext.newPage();
              await dropped.goto(`${via}/containers/${web}/console?shell=sh`);
              await until(dropped, connected);
              const old = await execOf(dropped);
              cut.cut();
              await shows(dropped, /Connection lost\. Reconnecting/);
              await until(dropped, connected);
              await shows(dropped, /Connected to a new shell/);
              assert.notEqual(await execOf(dropped), old);
              await waitFor("the dropped shell to end", async () => !(await execRunning(old)));
              await droppedContext.close();
            },
          );

          await step("7. closing the tab ends the exec", async () => {
            const execId = await execOf(page);
            assert.equal(await execRunning(execId), true);
            await page.close();
            await waitFor("the exec to end", async () => !(await execRunning(execId)));
            assert.deepEqual((await topCommands(web)).filter((cmd) => cmd === "sh"), []);
          });

          await step("8. dark and phone; the main process's output, read-only", async () => {
            const dark = await darkContext(browser, browserErrors, client);
            const darkPage = await dark.newPage();
            await darkPage.goto(`${base}/containers/${web}/console?shell=sh`);
            await until(darkPage, connected);
            await typeLine(darkPage, "ls -l --color=always /");
            await shows(darkPage, /linuxrc -> \/bin\/busybox/);
            await screenshot(darkPage, "console-dark");
            await dark.close();

            const small = await phone.newPage();
            const overflow = overflowChecks(small);
            await small.goto(`${base}/containers/${web}/console?shell=sh`);
            await until(small, connected);
            await typeLine(small, "echo on-a-phone");
            await shows(small, /^on-a-phone$/m);
            await overflow.measure("console on a phone");
            await screenshot(small, "console-phone");
            await small.goto(`${base}/containers/${tick}/console?view=attach`);
            await until(small, connected);
            await shows(small, /line \d+/);
            assert.equal(await small.locator("#console-copy").count(), 0);
            await overflow.measure("main process output on a phone");
            await screenshot(small, "console-attach-phone");
            overflow.assertNone();
          });

          await step(
            "9. Settings → Console turns consoles off; the console page says so",
            async () => {
              const settings = await desktop.newPage();
              await settings.goto(`${base}/settings#console`);
              await settings.locator("#console-enabled").uncheck();
              await settings.locator("#console-settings-form button[type=submit]").click();
              await settings.locator("#console-saved").waitFor();
              assert.equal(await settings.locator("#console-enabled").isChecked(), false);
              await settings.locator("#console-panel").screenshot({
                path: `${SCREENSHOTS}/console-settings.png`,
              });
              await settings.goto(`${base}/containers/${web}/console?shell=sh`);
              assert.match(
                await settings.locator("#console-unavailable").innerText(),
                /Consoles are turned off/,
              );
              assert.equal(await settings.locator("#console").count(), 0);
              await settings.goto(`${base}/settings#console`);
              await settings.locator("#console-enabled").check();
              await settings.locator("#console-settings-form button[type=submit]").click();
              await settings.locator("#console-saved").waitFor();
              await settings.close();
            },
          );
        },
      );
    } finally {
      cut?.close();
      await removeLabeled(run);
    }
  },
});

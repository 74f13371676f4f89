/**
 * What the browser tests (tests/e2e/) share: Debian's Chromium driven by playwright-core,
 * desktop and phone contexts, a watch on console errors / page errors / CSP violations,
 * screenshots into tests/output/screenshots/, the 375 px overflow check and logging in.
 */
import assert from "node:assert/strict";
import {
  type Browser,
  type BrowserContext,
  chromium,
  type ConsoleMessage,
  type Page,
} from "playwright-core";
import { type Client, setupAndLogin } from "./client.ts";
import { PASSWORD, ROOT, startServer, type TestServer } from "./server.ts";

const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = `${ROOT}/tests/output/screenshots`;
export const DOC_SCREENSHOTS = `${ROOT}/docs/screenshots`;
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };
const TIMEOUT_MS = 15_000;

/** Headless Chromium from /usr/bin/chromium, without its background chatter. */
export async function launchBrowser(): Promise<Browser> {
  return await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/**
 * A desktop (1280×800) or phone (375×812, touch, 2× pixels) context; its pages wait at most
 * 15 s by default.
 */
export async function newContext(
  browser: Browser,
  opts: { phone?: boolean; colorScheme?: "light" | "dark" } = {},
): Promise<BrowserContext> {
  const colorScheme = opts.colorScheme ?? "light";
  const context = await browser.newContext(
    opts.phone
      ? { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, colorScheme }
      : { viewport: DESKTOP, colorScheme },
  );
  context.setDefaultTimeout(TIMEOUT_MS);
  return context;
}

/**
 * The usual pair of light contexts, both watched by `browserErrors` (and, given `session`,
 * logged in with that API client's session), and a first page on the desktop.
 */
export async function desktopAndPhone(
  browser: Browser,
  browserErrors: ConsoleWatch,
  opts: { session?: Client } = {},
): Promise<{ desktop: BrowserContext; phone: BrowserContext; page: Page }> {
  const open = async (where: "desktop" | "phone") => {
    const context = await newContext(browser, { phone: where === "phone" });
    browserErrors.watch(context, where);
    if (opts.session) await shareSession(context, opts.session);
    return context;
  };
  const desktop = await open("desktop");
  const phone = await open("phone");
  return { desktop, phone, page: await desktop.newPage() };
}

/** A console message or uncaught error of a page; `where` names its context. */
export type Problem = { where: string; kind: string; text: string; url: string };

/**
 * A 4xx answer a test provokes on purpose: Chromium logs "Failed to load resource" for each,
 * which is then not a problem when its status and path (without the query) match.
 */
export type ExpectedFailure = { status: number; path: string };

export type ConsoleWatch = {
  /** Everything recorded so far, expected or not. */
  readonly problems: readonly Problem[];
  /** Records the problems of every page `context` opens, labelled `where`. */
  watch(context: BrowserContext, where: string): void;
  /** Fails, listing them, when anything but the expected failures was recorded. */
  assertClean(base: string): void;
  /** Prints all that was recorded (expected ones marked), for a failed run. */
  dump(base: string): void;
};

/** What Chromium logs for a request it cut because the host's network interfaces changed. */
const NETWORK_CHANGED = /^Failed to load resource: net::ERR_NETWORK_CHANGED$/;

/**
 * Collects console errors (and, with `warnings`, console warnings) and page errors; CSP
 * violations reach the console as errors. `expected` is the test's allow-list.
 * Every container a test starts or stops adds or removes an interface on the host (a veth), and
 * Chromium then cuts the requests in flight with net::ERR_NETWORK_CHANGED (chromium issue
 * 41465264); those lines are the test host's, not the app's, and are not counted. A page that
 * really lost a script or a stylesheet still fails the test at what it then cannot do or show.
 */
export function watchConsole(
  expected: ReadonlyArray<ExpectedFailure>,
  opts: { warnings?: boolean } = {},
): ConsoleWatch {
  const problems: Problem[] = [];
  const isExpected = (p: Problem, base: string): boolean => {
    if (p.kind !== "console") return false;
    if (NETWORK_CHANGED.test(p.text)) return true;
    const m = /^Failed to load resource: the server responded with a status of (\d{3})\b/.exec(
      p.text,
    );
    if (!m) return false;
    return expected.some((e) =>
      e.status === Number(m[1]) && p.url.split("?")[0] === `${base}${e.path}`
    );
  };
  const describe = (p: Problem) => `[${p.where}] ${p.kind}: ${p.text} (${p.url})`;
  return {
    problems,
    watch(context, where) {
      const attach = (page: Page) => {
        page.on("console", (msg: ConsoleMessage) => {
          const kind = msg.type() === "error"
            ? "console"
            : opts.warnings && msg.type() === "warning"
            ? "warning"
            : null;
          if (kind) problems.push({ where, kind, text: msg.text(), url: msg.location().url });
        });
        page.on("pageerror", (err: Error) => {
          problems.push({
            where,
            kind: "pageerror",
            text: String(err.stack ?? err),
            url: page.url(),
          });
        });
      };
      context.pages().forEach(attach);
      context.on("page", attach);
    },
    assertClean(base) {
      const unexpected = problems.filter((p) => !isExpected(p, base));
      assert.deepEqual(
        unexpected,
        [],
        `browser reported problems:\n${unexpected.map(describe).join("\n")}`,
      );
    },
    dump(base) {
      if (!problems.length) return;
      console.error(
        `--- browser console errors and page errors ---\n${
          problems.map((p) =>
            `${describe(p)}${isExpected(p, base) ? " [expected: provoked by the test]" : ""}`
          ).join("\n")
        }`,
      );
    },
  };
}

/**
 * Runs `t.step`s in order; after the first failing one the rest are skipped (each depends on
 * the one before). `failed` names it.
 */
export function stepsUntilFailure(t: Deno.TestContext): {
  step: (name: string, fn: () => Promise<void> | void) => Promise<void>;
  readonly failed: string | null;
} {
  let failed: string | null = null;
  return {
    async step(name, fn) {
      if (failed) return;
      if (!(await t.step(name, fn))) failed = name;
    },
    get failed() {
      return failed;
    },
  };
}

/**
 * The closing step `number` of a browser test, run even after a failed step: nothing but the
 * expected failures reached the console. Then closes `contexts`, and fails the test if this or
 * any earlier step failed.
 */
export async function finalBrowserCheck(
  t: Deno.TestContext,
  number: number,
  run: {
    steps: { readonly failed: string | null };
    browserErrors: ConsoleWatch;
    base: string;
    contexts: BrowserContext[];
  },
): Promise<void> {
  const checked = await t.step(
    `${number}. no console errors, CSP violations or page errors`,
    () => run.browserErrors.assertClean(run.base),
  );
  for (const context of run.contexts) await context.close();
  if (run.steps.failed || !checked) throw new Error(`step failed: ${run.steps.failed ?? number}`);
}

/** What `browserRun` hands its test body. */
export type BrowserRun = {
  server: TestServer;
  /** The server's URL. */
  base: string;
  /** Set up and logged in; its session is shared with `desktop` and `phone`. */
  client: Client;
  browser: Browser;
  desktop: BrowserContext;
  phone: BrowserContext;
  /** A first page on the desktop. */
  page: Page;
  /** See stepsUntilFailure. */
  step: (name: string, fn: () => Promise<void> | void) => Promise<void>;
};

/**
 * The frame of a browser test: starts the server (with `env` added to its environment), sets it
 * up and logs in, launches Chromium with the usual desktop and phone contexts (see
 * desktopAndPhone), runs `body`'s steps and the closing step `finalStep` (see
 * finalBrowserCheck). On a failure prints the server's output and the browser's reports; always
 * closes the browser and stops the server.
 */
export async function browserRun(
  t: Deno.TestContext,
  opts: { browserErrors: ConsoleWatch; finalStep: number; env?: Record<string, string> },
  body: (run: BrowserRun) => Promise<void>,
): Promise<void> {
  const { browserErrors } = opts;
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startServer(opts.env);
    const base = server.url;
    const client = await setupAndLogin(base);
    browser = await launchBrowser();
    const { desktop, phone, page } = await desktopAndPhone(browser, browserErrors, {
      session: client,
    });
    const steps = stepsUntilFailure(t);
    await body({ server, base, client, browser, desktop, phone, page, step: steps.step });
    await finalBrowserCheck(t, opts.finalStep, {
      steps,
      browserErrors,
      base,
      contexts: [desktop, phone],
    });
  } catch (err) {
    printFailureDetails(server, browserErrors);
    throw err;
  } finally {
    await browser?.close();
    await server?.stop();
  }
}

/**
 * A dark desktop context, watched by `browserErrors` as "dark" and logged in with `client`'s
 * session.
 */
export async function darkContext(
  browser: Browser,
  browserErrors: ConsoleWatch,
  client: Client,
): Promise<BrowserContext> {
  const dark = await newContext(browser, { colorScheme: "dark" });
  browserErrors.watch(dark, "dark");
  await shareSession(dark, client);
  return dark;
}

/**
 * Waits until `expression` is true in the page. Not page.waitForFunction: Playwright evaluates
 * its predicate with eval, which the CSP (rightly) refuses; page.evaluate goes through CDP.
 */
export async function until(page: Page, expression: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** For a failed run: prints what the server wrote and what the browser reported. */
export function printFailureDetails(
  server: TestServer | undefined,
  browserErrors: ConsoleWatch,
): void {
  if (server) console.error(`--- server output ---\n${server.output()}`);
  browserErrors.dump(server?.url ?? "");
}

/** A full-page screenshot, once the page has loaded, to tests/output/screenshots/`name`.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(SCREENSHOTS, { recursive: true });
  await page.waitForLoadState("load");
  // caret "initial": by default Playwright hides the caret by writing a style attribute on
  // inputs, and leaves style="" behind; htmx then copies that attribute onto the swapped-in
  // inputs with setAttribute, which the strict CSP (rightly) reports as an inline style.
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true, caret: "initial" });
}

/**
 * The README's pictures: with DOCKERMATE_DOC_SCREENSHOTS=1, the viewport in the light and the dark
 * scheme to docs/screenshots/`name`-light.png and `name`-dark.png. Off by default, so an ordinary
 * test run leaves the work tree clean; run the tests that take them with it on to refresh them.
 */
export async function docScreenshots(page: Page, name: string): Promise<void> {
  if (Deno.env.get("DOCKERMATE_DOC_SCREENSHOTS") !== "1") return;
  await Deno.mkdir(DOC_SCREENSHOTS, { recursive: true });
  await page.waitForLoadState("load");
  // The page's first screen, as a newcomer sees it.
  await page.evaluate("window.scrollTo(0, 0)");
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({
      path: `${DOC_SCREENSHOTS}/${name}-${colorScheme}.png`,
      caret: "initial",
    });
  }
  await page.emulateMedia({ colorScheme: null });
}

/**
 * No sideways scrolling on the phone: null, or what sticks out of `what`. With isMobile,
 * Chromium widens the layout viewport (window.innerWidth) to fit content wider than the
 * device, so `scrollWidth <= innerWidth` alone would pass for an overflowing page: innerWidth
 * must also still be the phone's width. The message names the elements that stick out.
 */
export async function horizontalOverflow(page: Page, what: string): Promise<string | null> {
  const m = await page.evaluate<{ scrollWidth: number; innerWidth: number; culprits: string[] }>(
    `(() => {
      const limit = document.documentElement.clientWidth;
      const culprits = [...document.querySelectorAll("body *")]
        .filter((e) => e.getBoundingClientRect().right > limit + 0.5)
        // Content of a sideways-scrolling box (the nav row, a table) is fine when that box
        // clips it; an absolutely positioned child escapes the clip unless the box is positioned.
        .filter((e) => {
          for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
            const cs = getComputedStyle(a);
            if (cs.overflowX !== "visible" && a.getBoundingClientRect().right <= limit + 0.5) {
              return getComputedStyle(e).position === "absolute" && cs.position === "static";
            }
          }
          return true;
        })
        .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
          (e.className ? "." + String(e.className).trim().replace(/\\s+/g, ".") : "") +
          " in #" + (e.parentElement?.closest("[id]")?.id ?? "?") +
          " (right edge " + Math.round(e.getBoundingClientRect().right) + " px)");
      return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        culprits,
      };
    })()`,
  );
  const detail = `scrollWidth ${m.scrollWidth}, innerWidth ${m.innerWidth}, device ${PHONE.width}` +
    (m.culprits.length ? `; sticking out: ${m.culprits.join(", ")}` : "");
  return m.scrollWidth <= m.innerWidth && m.innerWidth <= PHONE.width
    ? null
    : `${what}: horizontal overflow on the phone (${detail})`;
}

/** Fails at once when `page` scrolls sideways on the phone. */
export async function assertNoHorizontalOverflow(page: Page, what: string): Promise<void> {
  const overflow = await horizontalOverflow(page, what);
  assert.equal(overflow, null, overflow ?? "");
}

/**
 * Measures several states of a phone page, asserting once at the end (so that every state
 * is still measured and screenshotted after the first one that overflows).
 */
export function overflowChecks(page: Page): {
  measure: (what: string) => Promise<void>;
  assertNone: () => void;
} {
  const overflows: string[] = [];
  return {
    async measure(what) {
      const issue = await horizontalOverflow(page, what);
      if (issue) overflows.push(issue);
    },
    assertNone() {
      assert.deepEqual(overflows, [], overflows.join("\n"));
    },
  };
}

/** The path and query of the page's URL. */
export function pathOf(page: Page): string {
  const u = new URL(page.url());
  return `${u.pathname}${u.search}`;
}

/** Logs in through the login form with the test password and waits for the dashboard. */
export async function logIn(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.locator("#login-form #password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${base}/`);
}

/** Hands the session of an API client (see setupAndLogin) to a browser context. */
export async function shareSession(context: BrowserContext, client: Client): Promise<void> {
  const [name, value] = client.cookie!.split("=");
  await context.addCookies([{ name, value, url: client.base, httpOnly: true, sameSite: "Lax" }]);
}

/** The steps the page lists for an applied edit, in order (an update pulls the image first). */
export const APPLIED_STEP_LABELS = [
  "Stored the current config",
  "Stopped the old container",
  "Moved the old container aside",
  "Created the new container",
  "Started the new container",
  "Checked that it runs",
  "Removed the old container",
] as const;

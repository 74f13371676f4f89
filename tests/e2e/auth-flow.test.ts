/**
 * End-to-end: a real user in headless Chromium sets DockerMate up, logs in, reads the
 * dashboard, toggles the theme, creates an API token, logs out; then does it again on a
 * phone-sized viewport. Screenshots go to tests/output/screenshots/.
 *
 * Needs /usr/bin/chromium and a Docker daemon at /var/run/docker.sock. Run:
 *   deno task vendor && deno test -A tests/e2e/
 */
import assert from "node:assert/strict";
import {
  type Browser,
  type BrowserContext,
  chromium,
  type ConsoleMessage,
  type Page,
} from "playwright-core";
import { PASSWORD, ROOT, SETUP_TOKEN, startServer, type TestServer } from "../helpers/server.ts";

const CHROMIUM = "/usr/bin/chromium";
const DOCKER_SOCKET = "/var/run/docker.sock";
const SCREENSHOTS = `${ROOT}/tests/output/screenshots`;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };
const TIMEOUT_MS = 15_000;

type Problem = { where: string; kind: string; text: string; url: string };

/**
 * The only console errors a run may show: Chromium logs "Failed to load resource" for every
 * 4xx answer, and this test deliberately provokes a 400 from POST /setup (wrong token, weak
 * password) and a 401 from POST /login (wrong password). Anything else (a CSP violation, a
 * script error, a 404 for an asset, an SSE failure) fails the test.
 */
const EXPECTED_FAILURES: ReadonlyArray<{ status: number; path: string }> = [
  { status: 400, path: "/setup" },
  { status: 401, path: "/login" },
];

function isExpected(p: Problem, base: string): boolean {
  if (p.kind !== "console") return false;
  const m = /^Failed to load resource: the server responded with a status of (\d{3})\b/.exec(
    p.text,
  );
  if (!m) return false;
  return EXPECTED_FAILURES.some((e) =>
    e.status === Number(m[1]) && p.url.split("?")[0] === `${base}${e.path}`
  );
}

/** Records console errors and uncaught page errors of every page a context opens. */
function watch(context: BrowserContext, where: string, problems: Problem[]): void {
  const attach = (page: Page) => {
    page.setDefaultTimeout(TIMEOUT_MS);
    page.on("console", (msg: ConsoleMessage) => {
      if (msg.type() === "error") {
        problems.push({ where, kind: "console", text: msg.text(), url: msg.location().url });
      }
    });
    page.on("pageerror", (err: Error) => {
      problems.push({ where, kind: "pageerror", text: String(err.stack ?? err), url: page.url() });
    });
  };
  context.pages().forEach(attach);
  context.on("page", attach);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState("load");
  // caret "initial": by default Playwright hides the caret by writing a style attribute on
  // inputs, and leaves style="" behind; htmx then copies that attribute onto the swapped-in
  // inputs with setAttribute, which the strict CSP (rightly) reports as an inline style.
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true, caret: "initial" });
}

/** Waits for the htmx strength check of exactly `password` to come back. */
function strengthResponse(page: Page, password: string) {
  const field = new URLSearchParams({ password }).toString();
  return page.waitForResponse((r) =>
    r.url().endsWith("/password-strength") && r.request().method() === "POST" &&
    (r.request().postData() ?? "").split("&").includes(field)
  );
}

/**
 * No sideways scrolling on the phone. With isMobile, Chromium widens the layout viewport
 * (window.innerWidth) to fit content wider than the device, so `scrollWidth <= innerWidth`
 * alone would pass for an overflowing page: innerWidth must also still be the phone's width.
 * On failure the message names the elements that stick out.
 */
async function horizontalOverflow(page: Page, what: string): Promise<string | null> {
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

/** Reads the Docker Engine API directly over its socket. */
async function dockerGet<T>(client: Deno.HttpClient, path: string): Promise<T> {
  const res = await fetch(`http://localhost${path}`, { client });
  assert.equal(res.status, 200, `Docker ${path} answered ${res.status}`);
  return await res.json() as T;
}

function pathOf(page: Page): string {
  const u = new URL(page.url());
  return `${u.pathname}${u.search}`;
}

async function logIn(page: Page, base: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.locator("#login-form #password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

async function textOf(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).textContent()) ?? "").trim();
}

Deno.test({
  name: "e2e: setup, login, dashboard, theme, API token, logout (desktop and phone)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await Deno.mkdir(SCREENSHOTS, { recursive: true });
    const docker = Deno.createHttpClient({ proxy: { transport: "unix", path: DOCKER_SOCKET } });
    const problems: Problem[] = [];
    let server: TestServer | undefined;
    let browser: Browser | undefined;
    try {
      server = await startServer();
      const base = server.url;
      browser = await chromium.launch({
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
      const desktop = await browser.newContext({ viewport: DESKTOP, colorScheme: "light" });
      watch(desktop, "desktop", problems);
      const phone = await browser.newContext({
        viewport: PHONE,
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 2,
        colorScheme: "light",
      });
      watch(phone, "phone", problems);
      const page = await desktop.newPage();
      /**
       * Runs a step; after the first failing one the remaining user-flow steps are skipped
       * (each depends on the one before), but the browser-errors check still runs.
       */
      let failed: string | null = null;
      const step = async (name: string, fn: () => Promise<void> | void) => {
        if (failed) return;
        if (!(await t.step(name, fn))) failed = name;
      };

      await step(
        "1. first visit goes to setup; bad token and weak password are refused",
        async () => {
          await page.goto(`${base}/`);
          await page.waitForURL(`${base}/setup`);
          const form = page.locator("form#setup-form");
          await form.waitFor();
          assert.equal(await textOf(page, "#setup-form h1"), "Set up DockerMate");

          // The phone sees the same page: no sideways scrolling.
          const phonePage = await phone.newPage();
          await phonePage.goto(`${base}/`);
          await phonePage.waitForURL(`${base}/setup`);
          await phonePage.locator("form#setup-form").waitFor();
          await shot(phonePage, "setup-phone");
          const overflow = await horizontalOverflow(phonePage, "setup");
          assert.equal(overflow, null, overflow ?? "");
          await phonePage.close();

          // Wrong setup token: the error sits in the token's own field, the input is marked.
          await page.locator("#setupToken").fill("not-the-right-token");
          await page.locator("#password").fill(PASSWORD);
          await page.locator("#confirm").fill(PASSWORD);
          await page.getByRole("button", { name: "Create admin" }).click();
          const tokenError = page.locator("#setup-form .field:has(#setupToken) .field-error");
          await tokenError.waitFor();
          assert.match(await tokenError.innerText(), /setup token is missing or wrong/);
          assert.equal(await page.locator("#setupToken").getAttribute("aria-invalid"), "true");
          assert.equal(pathOf(page), "/setup");
          // Next to the field: directly below the input, not elsewhere on the page.
          const inputBox = (await page.locator("#setupToken").boundingBox())!;
          const errorBox = (await tokenError.boundingBox())!;
          assert.ok(
            errorBox.y >= inputBox.y + inputBox.height - 1 &&
              errorBox.y - (inputBox.y + inputBox.height) < 24,
            `token error not right below the token input (input ${
              JSON.stringify(inputBox)
            }, error ${JSON.stringify(errorBox)})`,
          );
          await shot(page, "setup-wrong-token-desktop");

          // Right token, weak password: refused, with the reason under the password field.
          await page.locator("#setupToken").fill(SETUP_TOKEN);
          await page.locator("#password").fill("password1234");
          await page.locator("#confirm").fill("password1234");
          await page.getByRole("button", { name: "Create admin" }).click();
          const passwordError = page.locator("#password-error");
          await passwordError.waitFor();
          assert.match(await passwordError.innerText(), /common|guess|run/i);
          assert.equal(await page.locator("#password").getAttribute("aria-invalid"), "true");
          assert.equal(
            await page.locator("#setupToken-error").count(),
            0,
            "token error still shown though the token was right",
          );
          assert.equal(pathOf(page), "/setup");

          // Typing a password asks the server for a strength verdict (htmx replaces #strength).
          const strength = page.locator("#strength");
          assert.match(await strength.innerText(), /At least 12 characters/);
          await page.locator("#setupToken").fill(SETUP_TOKEN);
          const weakChecked = strengthResponse(page, "password1234");
          await page.locator("#password").pressSequentially("password1234");
          assert.equal((await weakChecked).status(), 200);
          await page.locator("#strength .hint.warn").waitFor();
          assert.match(await strength.locator(".hint.warn").innerText(), /Not accepted/);
          const weakScore = Number(await strength.locator("meter").getAttribute("value"));
          assert.ok(weakScore < 3, `"password1234" scored ${weakScore}`);

          await page.locator("#password").fill("");
          const goodChecked = strengthResponse(page, PASSWORD);
          await page.locator("#password").pressSequentially(PASSWORD);
          assert.equal((await goodChecked).status(), 200);
          await page.locator("#strength:not(:has(.hint.warn)) meter").waitFor();
          const goodScore = Number(await strength.locator("meter").getAttribute("value"));
          assert.ok(goodScore >= 3, `the passphrase scored ${goodScore}`);
          assert.match(await textOf(page, "#strength .strength-label"), /strong/);
          await page.locator("#confirm").fill(PASSWORD);
          await shot(page, "setup-desktop");

          await page.getByRole("button", { name: "Create admin" }).click();
          await page.waitForURL(`${base}/login?setup=done`);
          await page.locator("form#login-form").waitFor();
          assert.match(await textOf(page, "#login-form .alert-ok"), /Admin created/);
        },
      );

      await step("2. wrong password is refused; right one shows the live dashboard", async () => {
        await shot(page, "login-desktop");
        await page.locator("#login-form #password").fill("definitely not my password");
        await page.getByRole("button", { name: "Log in" }).click();
        const err = page.locator("#login-form #password-error");
        await err.waitFor();
        assert.equal((await err.innerText()).trim(), "Wrong password");
        assert.ok(pathOf(page).startsWith("/login"));

        await page.locator("#login-form #password").fill(PASSWORD);
        await page.locator("#remember").check();
        await page.getByRole("button", { name: "Log in" }).click();
        await page.waitForURL(`${base}/`);
        await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();

        // Load the page once more right after reading Docker, and compare the two.
        const version = await dockerGet<{ Version: string }>(docker, "/version");
        const info = await dockerGet<{ ContainersRunning: number; ContainersStopped: number }>(
          docker,
          "/info",
        );
        const res = await page.goto(`${base}/`);
        assert.ok(res, "no response for /");
        assert.equal(res.status(), 200);
        const csp = res.headers()["content-security-policy"];
        assert.ok(csp, "GET / has no Content-Security-Policy header");
        assert.ok(!csp.includes("unsafe-inline"), `CSP allows inline code: ${csp}`);
        assert.match(csp, /script-src 'self'/);

        await page.locator("section#docker-info").waitFor();
        const dockerInfo = await page.locator("section#docker-info").innerText();
        assert.ok(
          dockerInfo.includes(version.Version),
          `dashboard does not show Docker ${version.Version}:\n${dockerInfo}`,
        );
        const counts = page.locator("section#container-counts");
        const stat = async (label: string) =>
          Number(
            (await counts.locator(".stat", { hasText: label }).first().locator(".stat-value")
              .innerText()).trim(),
          );
        assert.equal(await stat("Running"), info.ContainersRunning, "running containers");
        assert.equal(await stat("Stopped"), info.ContainersStopped, "stopped containers");

        const nav = page.getByRole("navigation", { name: "Main" });
        const links = (await nav.getByRole("link").allInnerTexts()).map((s) => s.trim());
        assert.deepEqual(links, [
          "Dashboard",
          "Containers",
          "Images",
          "Networks",
          "Volumes",
          "Stacks",
          "Settings",
        ]);
        assert.equal(
          await nav.getByRole("link", { name: "Dashboard" }).getAttribute("aria-current"),
          "page",
        );
        await shot(page, "dashboard-desktop");
      });

      await step("3. theme toggle cycles system → light → dark and survives a reload", async () => {
        const theme = () =>
          page.evaluate<string | null>(`document.documentElement.getAttribute("data-theme")`);
        const toggle = page.locator("button#theme-toggle");
        assert.equal(await theme(), null, "starts following the system");
        await toggle.click();
        await page.locator(`html[data-theme="light"]`).waitFor({ state: "attached" });
        await toggle.click();
        await page.locator(`html[data-theme="dark"]`).waitFor({ state: "attached" });
        assert.equal(await toggle.getAttribute("data-mode"), "dark");
        await page.reload();
        await page.locator("section#docker-info").waitFor();
        assert.equal(await theme(), "dark", "dark theme lost on reload");
        assert.equal(await toggle.getAttribute("data-mode"), "dark");
        // The dark theme really applies: the body background is dark.
        const bg = await page.evaluate<string>("getComputedStyle(document.body).backgroundColor");
        assert.equal(bg, "rgb(15, 20, 27)", `body background in dark theme is ${bg}`);
        await shot(page, "dashboard-desktop-dark");
      });

      await step("4. settings: a new API token is shown once and works as Bearer", async () => {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" })
          .click();
        await page.waitForURL(`${base}/settings`);
        await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
        assert.equal(await page.locator("#new-token").count(), 0);

        await page.locator("#token-name").fill("e2e token");
        await page.getByRole("button", { name: "Create token" }).click();
        const shown = page.locator("#new-token");
        await shown.waitFor();
        assert.match(await shown.innerText(), /e2e token/);
        const token = (await shown.locator("pre code").innerText()).trim();
        assert.ok(token.length >= 20, `token looks wrong: ${JSON.stringify(token)}`);
        await page.locator("#tokens table", { hasText: "e2e token" }).waitFor();

        // The sessions and audit tables show this login.
        await page.locator("#sessions .badge", { hasText: "this session" }).waitFor();
        assert.ok((await page.locator("#audit tbody tr").count()) >= 3);
        assert.match(await page.locator("#audit").innerText(), /login\.success/);
        await shot(page, "settings-desktop-dark");

        const res = await fetch(`${base}/api/v1/tokens`, {
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(res.status, 200);
        const tokens = await res.json() as Array<{ name: string }>;
        assert.ok(tokens.some((t) => t.name === "e2e token"), JSON.stringify(tokens));
        const bad = await fetch(`${base}/api/v1/tokens`, {
          headers: { authorization: `Bearer ${token}x` },
        });
        await bad.body?.cancel();
        assert.equal(bad.status, 401, "a wrong token is accepted");

        // Shown once: a reload no longer contains it.
        await page.reload();
        await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
        assert.equal(await page.locator("#new-token").count(), 0);
        assert.ok(!(await page.content()).includes(token), "the token is shown again");

        // Back to the default theme for what follows.
        const toggle = page.locator("button#theme-toggle");
        await toggle.click();
        await page.locator("html:not([data-theme])").waitFor({ state: "attached" });
      });

      await step("5. log out goes back to login, and / stays locked", async () => {
        await page.locator("button#logout").click();
        await page.waitForURL(`${base}/login`);
        await page.locator("form#login-form").waitFor();
        await page.goto(`${base}/`);
        await page.waitForURL(`${base}/login`);
        await page.locator("form#login-form").waitFor();
        const api = await fetch(`${base}/api/v1/tokens`);
        await api.body?.cancel();
        assert.equal(api.status, 401);
      });

      await step("phone: login, dashboard and settings fit 375 px; nav is usable", async () => {
        const p = await phone.newPage();
        await p.goto(`${base}/`);
        await p.waitForURL(`${base}/login`);
        await p.locator("form#login-form").waitFor();
        // Every page is screenshotted and measured; overflow is asserted once at the end.
        const overflows: string[] = [];
        const measure = async (what: string) => {
          const issue = await horizontalOverflow(p, what);
          if (issue) overflows.push(issue);
        };
        await shot(p, "login-phone");
        await measure("login");

        await logIn(p, base, PASSWORD);
        await p.waitForURL(`${base}/`);
        await p.locator("section#docker-info").waitFor();
        assert.equal(
          await p.evaluate<string | null>(`document.documentElement.getAttribute("data-theme")`),
          null,
        );
        await measure("dashboard");
        // The nav is a sideways-scrolling row: all items are there, the last can be reached.
        const nav = p.getByRole("navigation", { name: "Main" });
        assert.ok(await nav.isVisible(), "nav hidden on the phone");
        assert.equal(await nav.getByRole("link").count(), 7);
        await shot(p, "dashboard-phone");

        const settings = nav.getByRole("link", { name: "Settings" });
        await settings.scrollIntoViewIfNeeded();
        const box = (await settings.boundingBox())!;
        assert.ok(
          box.x >= 0 && box.x + box.width <= PHONE.width,
          `Settings link not reachable: ${JSON.stringify(box)}`,
        );
        await settings.tap();
        await p.waitForURL(`${base}/settings`);
        await p.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
        await shot(p, "settings-phone");
        await measure("settings");

        await p.locator("button#logout").tap();
        await p.waitForURL(`${base}/login`);
        await p.close();
        assert.deepEqual(overflows, [], overflows.join("\n"));
      });

      const checked = await t.step("6. no console errors, CSP violations or page errors", () => {
        const unexpected = problems.filter((p) => !isExpected(p, base));
        assert.deepEqual(
          unexpected,
          [],
          `browser reported problems:\n${
            unexpected.map((p) => `[${p.where}] ${p.kind}: ${p.text} (${p.url})`).join("\n")
          }`,
        );
      });
      await desktop.close();
      await phone.close();
      if (failed || !checked) throw new Error(`step failed: ${failed ?? "6"}`);
    } catch (err) {
      if (server) console.error(`--- server output ---\n${server.output()}`);
      if (problems.length) {
        const base = server?.url ?? "";
        console.error(
          `--- browser console errors and page errors ---\n${
            problems.map((p) =>
              `[${p.where}] ${p.kind}: ${p.text} (${p.url})${
                isExpected(p, base) ? " [expected: provoked by the test]" : ""
              }`
            ).join("\n")
          }`,
        );
      }
      throw err;
    } finally {
      await browser?.close();
      await server?.stop();
      docker.close();
    }
  },
});

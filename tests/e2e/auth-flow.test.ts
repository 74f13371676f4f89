/**
 * End-to-end: a real user in headless Chromium sets DockerMate up, logs in, reads the
 * dashboard, toggles the theme, creates an API token, logs out; then does it again on a
 * phone-sized viewport. Screenshots go to tests/output/screenshots/.
 *
 * Needs /usr/bin/chromium and a Docker daemon at /var/run/docker.sock. Run:
 *   deno task vendor && deno test -A tests/e2e/
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import {
  assertNoHorizontalOverflow,
  desktopAndPhone,
  type ExpectedFailure,
  finalBrowserCheck,
  launchBrowser,
  logIn,
  overflowChecks,
  pathOf,
  PHONE,
  printFailureDetails,
  screenshot,
  stepsUntilFailure,
  watchConsole,
} from "../helpers/browser.ts";
import { dockerApi } from "../helpers/docker.ts";
import { PASSWORD, SETUP_TOKEN, startServer, type TestServer } from "../helpers/server.ts";

/**
 * The only console errors a run may show: Chromium logs "Failed to load resource" for every
 * 4xx answer, and this test deliberately provokes a 400 from POST /setup (wrong token, weak
 * password) and a 401 from POST /login (wrong password). Anything else (a CSP violation, a
 * script error, a 404 for an asset, an SSE failure) fails the test.
 */
const EXPECTED_FAILURES: ReadonlyArray<ExpectedFailure> = [
  { status: 400, path: "/setup" },
  { status: 401, path: "/login" },
];

/** Waits for the htmx strength check of exactly `password` to come back. */
function strengthResponse(page: Page, password: string) {
  const field = new URLSearchParams({ password }).toString();
  return page.waitForResponse((r) =>
    r.url().endsWith("/password-strength") && r.request().method() === "POST" &&
    (r.request().postData() ?? "").split("&").includes(field)
  );
}

async function textOf(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).textContent()) ?? "").trim();
}

Deno.test({
  name: "e2e: setup, login, dashboard, theme, API token, logout (desktop and phone)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const browserErrors = watchConsole(EXPECTED_FAILURES);
    let server: TestServer | undefined;
    let browser: Browser | undefined;
    try {
      server = await startServer();
      const base = server.url;
      browser = await launchBrowser();
      const { desktop, phone, page } = await desktopAndPhone(browser, browserErrors);
      // After the first failing step the remaining user-flow steps are skipped (each depends
      // on the one before), but the browser-errors check still runs.
      const steps = stepsUntilFailure(t);
      const step = steps.step;

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
          await screenshot(phonePage, "setup-phone");
          await assertNoHorizontalOverflow(phonePage, "setup");
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
          await screenshot(page, "setup-wrong-token-desktop");

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
          await screenshot(page, "setup-desktop");

          await page.getByRole("button", { name: "Create admin" }).click();
          await page.waitForURL(`${base}/login?setup=done`);
          await page.locator("form#login-form").waitFor();
          assert.match(await textOf(page, "#login-form .alert-ok"), /Admin created/);
        },
      );

      await step("2. wrong password is refused; right one shows the live dashboard", async () => {
        await screenshot(page, "login-desktop");
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
        const version = await dockerApi<{ Version: string }>("/version");
        const info = await dockerApi<{ ContainersRunning: number; ContainersStopped: number }>(
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
          "Templates",
          "Events",
          "Host",
          "Settings",
        ]);
        assert.equal(
          await nav.getByRole("link", { name: "Dashboard" }).getAttribute("aria-current"),
          "page",
        );
        await screenshot(page, "dashboard-desktop");
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
        await screenshot(page, "dashboard-desktop-dark");
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
        await screenshot(page, "settings-desktop-dark");

        const res = await fetch(`${base}/api/v1/audit`, {
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(res.status, 200);
        const audit = await res.json() as Array<{ action: string; actor: string | null }>;
        assert.ok(audit.some((e) => e.action === "token.create"), JSON.stringify(audit));
        // A token reaches the API, but not the tokens themselves (a leaked one cannot mint more).
        const mint = await fetch(`${base}/api/v1/tokens`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await mint.body?.cancel();
        assert.equal(mint.status, 403);
        const bad = await fetch(`${base}/api/v1/audit`, {
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
        const { measure, assertNone } = overflowChecks(p);
        await screenshot(p, "login-phone");
        await measure("login");

        await logIn(p, base);
        await p.locator("section#docker-info").waitFor();
        assert.equal(
          await p.evaluate<string | null>(`document.documentElement.getAttribute("data-theme")`),
          null,
        );
        await measure("dashboard");
        // The nav is a sideways-scrolling row: all items are there, the last can be reached.
        const nav = p.getByRole("navigation", { name: "Main" });
        assert.ok(await nav.isVisible(), "nav hidden on the phone");
        assert.equal(await nav.getByRole("link").count(), 10);
        await screenshot(p, "dashboard-phone");

        const settings = nav.getByRole("link", { name: "Settings" });
        await settings.scrollIntoViewIfNeeded();
        const box = (await settings.boundingBox())!;
        assert.ok(
          box.x >= 0 && box.x + box.width <= PHONE.width + 1, // subpixel layout at the end of the row
          `Settings link not reachable: ${JSON.stringify(box)}`,
        );
        await settings.tap();
        await p.waitForURL(`${base}/settings`);
        await p.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
        await screenshot(p, "settings-phone");
        await measure("settings");

        await p.locator("button#logout").tap();
        await p.waitForURL(`${base}/login`);
        await p.close();
        assertNone();
      });

      await finalBrowserCheck(t, 6, { steps, browserErrors, base, contexts: [desktop, phone] });
    } catch (err) {
      printFailureDetails(server, browserErrors);
      throw err;
    } finally {
      await browser?.close();
      await server?.stop();
    }
  },
});

/**
 * End-to-end: the dashboard's capacity card and the settings page (hardware profile, retention,
 * tags), driven by a user in headless Chromium, checked against Docker itself.
 *
 * Needs /usr/bin/chromium, a Docker daemon at /var/run/docker.sock and the test bed's images
 * (tests/testbed/up.sh). Run:
 *   deno task vendor && deno test -A tests/e2e/settings.test.ts
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { classifyHost, readDeviceModel } from "../../services/host/hardware.ts";
import { PROFILES } from "../../services/host/profile-limits.ts";
import {
  desktopAndPhone,
  type ExpectedFailure,
  finalBrowserCheck,
  launchBrowser,
  logIn,
  overflowChecks,
  printFailureDetails,
  screenshot,
  stepsUntilFailure,
  watchConsole,
} from "../helpers/browser.ts";
import { setupAndLogin } from "../helpers/client.ts";
import { dockerApi, engine, removeLabeled, runId, TEST_LABEL } from "../helpers/docker.ts";
import { startServer, type TestServer, waitFor } from "../helpers/server.ts";
import { images } from "../testbed/images.ts";

/**
 * Chromium logs "Failed to load resource" for every 4xx answer; these are the ones this test
 * provokes on purpose (a limit of 0, a rename onto an existing tag). Anything else fails it.
 */
const EXPECTED_FAILURES: ReadonlyArray<ExpectedFailure> = [
  { status: 400, path: "/settings/hardware" },
  { status: 409, path: "/settings/tags/gamma/rename" },
];

/** Whether the page's table-wrap boxes had to scroll sideways (allowed, but worth knowing). */
async function scrollingTables(page: Page): Promise<string[]> {
  return await page.evaluate<string[]>(
    `[...document.querySelectorAll(".table-wrap")]
      .filter((e) => e.scrollWidth > e.clientWidth + 1)
      .map((e) => e.closest("[id]")?.id ?? "?")`,
  );
}

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().innerText()) ?? "").replace(/\s+/g, " ").trim();
}

type Info = {
  Containers: number;
  NCPU: number;
  MemTotal: number;
  Architecture: string;
  OperatingSystem: string;
};

/**
 * Loads the dashboard and reads "Containers: N of M" while Docker's own count holds still
 * (other test runs may share the daemon): Docker's count before and after must agree with N.
 */
async function dashboardCapacity(
  page: Page,
  base: string,
): Promise<{ used: number; max: number; docker: number }> {
  let last = "";
  for (let attempt = 0; attempt < 8; attempt++) {
    const before = (await dockerApi<Info>("/info")).Containers;
    await page.goto(`${base}/`);
    await page.locator("#capacity").waitFor();
    const line = await text(page, "#capacity .gauge-count");
    const after = (await dockerApi<Info>("/info")).Containers;
    const m = /^Containers: (\d+) of (\d+)$/.exec(line);
    assert.ok(m, `capacity line reads ${JSON.stringify(line)}`);
    const used = Number(m[1]);
    if (before === after && used === before) return { used, max: Number(m[2]), docker: after };
    last = `page ${used}, Docker ${before} then ${after}`;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the dashboard's count never matched Docker's (${last})`);
}

/** A row of the tags table, by the tag's name. */
function tagRow(page: Page, name: string) {
  return page.locator(`#tags-panel tr#tag-${name}`);
}

async function tagCount(page: Page, name: string): Promise<number> {
  return Number(await tagRow(page, name).locator(".tag-count").getAttribute("data-count"));
}

/** Waits for the htmx POST to `path` to come back, running `act` to send it. */
async function posted(page: Page, path: string, act: () => Promise<void>): Promise<number> {
  const [res] = await Promise.all([
    page.waitForResponse((r) =>
      new URL(r.url()).pathname === path && r.request().method() === "POST"
    ),
    act(),
  ]);
  return res.status();
}

Deno.test({
  name: "e2e: dashboard capacity; settings: hardware profile, retention, tags (desktop, phone)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const browserErrors = watchConsole(EXPECTED_FAILURES);
    const run = runId();
    const created: string[] = [];
    let server: TestServer | undefined;
    let browser: Browser | undefined;
    try {
      server = await startServer({ RATE_LIMIT_MUTATIONS: "1000" });
      const base = server.url;
      const api = await setupAndLogin(base);

      // Three containers (created, not started) whose labels carry tags; the app adopts them
      // through its sync, so alpha is on 2 containers, beta on 2 and gamma on 1.
      const tagged: Record<string, string> = { a: "alpha,beta", b: "alpha", c: "beta,gamma" };
      for (const [suffix, tags] of Object.entries(tagged)) {
        const name = `dm-e2e-settings-${run}-${suffix}`;
        await engine("POST", `/containers/create?name=${name}`, {
          Image: images.web,
          Labels: {
            [TEST_LABEL]: run,
            "com.dockermate.managed": "true",
            "com.dockermate.tags": tags,
          },
        });
        created.push(name);
      }
      const adopted = new Set<string>();
      await waitFor("the app to adopt the test containers", async () => {
        const res = await api.json<{ recorded: string[] }>("POST", "/api/v1/containers/sync");
        assert.equal(res.status, 200, `sync answered ${res.status}: ${JSON.stringify(res.body)}`);
        res.body.recorded.forEach((n) => adopted.add(n));
        return created.every((n) => adopted.has(n));
      });

      browser = await launchBrowser();
      const { desktop, phone, page } = await desktopAndPhone(browser, browserErrors);
      const steps = stepsUntilFailure(t);
      const step = steps.step;

      const info = await dockerApi<Info>("/info");
      const detected = PROFILES[
        classifyHost({
          cpus: info.NCPU,
          memoryBytes: info.MemTotal,
          architecture: info.Architecture,
          operatingSystem: info.OperatingSystem,
          model: await readDeviceModel(),
        })
      ];

      await step("1. the dashboard shows N of M and the detected profile", async () => {
        await logIn(page, base);
        const cap = await dashboardCapacity(page, base);
        assert.equal(cap.max, detected.maxContainers, "limit is not the detected profile's");
        assert.ok(cap.used >= 3, `only ${cap.used} containers counted`);
        const profile = await text(page, "#capacity-profile");
        assert.equal(profile, detected.label, `profile reads ${JSON.stringify(profile)}`);
        const host = await text(page, "#capacity-host");
        assert.ok(host.startsWith(`${info.NCPU} cores`), `host reads ${JSON.stringify(host)}`);
        const meter = page.locator("#capacity meter");
        assert.equal(Number(await meter.getAttribute("value")), cap.used);
        assert.equal(Number(await meter.getAttribute("max")), cap.max);
        assert.equal(
          Number(await meter.getAttribute("low")),
          (cap.max * detected.warnPercent) / 100,
        );
        assert.equal(
          Number(await meter.getAttribute("high")),
          (cap.max * detected.criticalPercent) / 100,
        );
        await page.locator("#capacity .gauge-level.level-ok").waitFor();
        await screenshot(page, "settings-e2e-dashboard-desktop");
      });

      await step("2. settings: hardware profile override, warning, limit 3, back", async () => {
        await page.goto(`${base}/settings`);
        await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
        assert.match(await text(page, "#profile-detected"), new RegExp(`^${detected.label} \\(`));
        assert.equal(await text(page, "#profile-effective"), detected.label);
        const limits = await text(page, "#profile-facts");
        assert.match(limits, new RegExp(`Max containers ${detected.maxContainers}\\b`));
        assert.match(limits, new RegExp(`Stats every ${detected.statsIntervalSeconds} second`));
        assert.match(
          limits,
          new RegExp(`Update checks every ${detected.updateCheckIntervalHours} hour`),
        );
        const select = page.locator("#hw-profile");
        assert.equal(await select.inputValue(), "");
        assert.equal(
          (await select.locator("option").first().innerText()).trim(),
          `Detected (${detected.label})`,
        );

        // Server-side validation: a limit of 0 (the browser's own check switched off).
        await page.evaluate(`document.getElementById("hardware-form").noValidate = true`);
        await page.locator("#hw-max").fill("0");
        assert.equal(
          await posted(page, "/settings/hardware", () => page.click("#hardware-form button")),
          400,
        );
        await page.locator("#hw-max-error").waitFor();
        assert.equal(await text(page, "#hw-max-error"), "must be at least 1");
        assert.equal(await page.locator("#hw-max").getAttribute("aria-invalid"), "true");
        assert.equal(await page.locator("#hw-max").inputValue(), "0", "typed value lost");
        const input = (await page.locator("#hw-max").boundingBox())!;
        const error = (await page.locator("#hw-max-error").boundingBox())!;
        assert.ok(
          error.y >= input.y + input.height - 1 && error.y - (input.y + input.height) < 24,
          "the limit's error is not right below it",
        );

        // A bigger profile than the hardware suggests: the warning says so.
        await page.locator("#hw-profile").selectOption("enterprise");
        await page.locator("#hw-max").fill("");
        assert.equal(
          await posted(page, "/settings/hardware", () => page.click("#hardware-form button")),
          200,
        );
        await page.locator("#hardware-saved").waitFor();
        if (detected.maxContainers < PROFILES.enterprise.maxContainers) {
          const warning = await text(page, "#hardware-warning");
          assert.match(
            warning,
            new RegExp(
              `The detected hardware \\(${detected.label}\\) suggests at most ${detected.maxContainers} containers; ${PROFILES.enterprise.maxContainers} may overload it`,
            ),
          );
        } else {
          // Enterprise hardware: the override asks for nothing more than it can take.
          assert.equal(await page.locator("#hardware-warning").count(), 0);
        }
        assert.match(await text(page, "#profile-effective"), /^Enterprise \(overridden/);
        await page.locator("#audit", { hasText: "settings.hardware" }).waitFor();
        await screenshot(page, "settings-e2e-hardware-warning-desktop");

        // Detected profile, limit 3: saved in the DB, shown on the dashboard as "of 3".
        await page.locator("#hw-profile").selectOption("");
        await page.locator("#hw-max").fill("3");
        assert.equal(
          await posted(page, "/settings/hardware", () => page.click("#hardware-form button")),
          200,
        );
        // The last save's "Saved" is on the page until the new form is swapped in: wait for
        // what only the new one says.
        await page.locator("#hardware-full", { hasText: "the limit is 3" }).waitFor();
        assert.equal(await page.locator("#hardware-warning").count(), 0, "warning for 3");
        assert.match(await text(page, "#hardware-full"), /the limit is 3: creating another/);
        assert.match(await text(page, "#hardware-capacity .gauge-count"), / of 3$/);
        assert.equal(await text(page, "#profile-effective"), `${detected.label} (overridden)`);

        const cap = await dashboardCapacity(page, base);
        assert.equal(cap.max, 3);
        await page.locator("#capacity .gauge-level.level-full").waitFor();
        await page.locator("#capacity-full").waitFor();
        assert.equal(await text(page, "#capacity-profile"), `${detected.label} (overridden)`);
        await screenshot(page, "settings-e2e-dashboard-limit-3-desktop");

        // Persisted: a reload of settings still shows the override in the form.
        await page.goto(`${base}/settings`);
        assert.equal(await page.locator("#hw-max").inputValue(), "3");

        // Back to the detected profile and its own limit.
        await page.locator("#hw-profile").selectOption("");
        await page.locator("#hw-max").fill("");
        assert.equal(
          await posted(page, "/settings/hardware", () => page.click("#hardware-form button")),
          200,
        );
        await page.locator("#hardware-saved").waitFor();
        assert.equal(await text(page, "#profile-effective"), detected.label);
        const back = await dashboardCapacity(page, base);
        assert.equal(back.max, detected.maxContainers);
        assert.equal(await text(page, "#capacity-profile"), detected.label);
      });

      await step("3. tags: counts, color, rename (and its conflict), merge, delete", async () => {
        await page.goto(`${base}/settings#tags`);
        await tagRow(page, "alpha").waitFor();
        assert.equal(await tagCount(page, "alpha"), 2);
        assert.equal(await tagCount(page, "beta"), 2);
        assert.equal(await tagCount(page, "gamma"), 1);
        assert.equal(await tagCount(page, "prod"), 0);

        // Color: the badge takes the palette class.
        await tagRow(page, "gamma").locator("select[name=color]").selectOption("teal");
        await posted(
          page,
          "/settings/tags/gamma/color",
          () =>
            tagRow(page, "gamma").getByRole("button", { name: "Set the color of gamma" }).click(),
        );
        await tagRow(page, "gamma").locator(".tag.tag-teal").waitFor();

        // Rename onto an existing name: refused (409) on the row, with "merge instead".
        await tagRow(page, "gamma").locator("input[name=name]").fill("alpha");
        assert.equal(
          await posted(
            page,
            "/settings/tags/gamma/rename",
            () => tagRow(page, "gamma").getByRole("button", { name: "Rename gamma" }).click(),
          ),
          409,
        );
        const conflict = page.locator("#tag-gamma-name-error");
        await conflict.waitFor();
        assert.match(await conflict.innerText(), /exists already: merge instead/);
        assert.equal(await tagRow(page, "gamma").locator("input[name=name]").inputValue(), "alpha");
        await conflict.getByRole("button", { name: "Merge gamma into alpha" }).waitFor();
        await screenshot(page, "settings-e2e-tag-conflict-desktop");

        // Rename alpha → web.
        await tagRow(page, "alpha").locator("input[name=name]").fill("web");
        assert.equal(
          await posted(
            page,
            "/settings/tags/alpha/rename",
            () => tagRow(page, "alpha").getByRole("button", { name: "Rename alpha" }).click(),
          ),
          200,
        );
        await tagRow(page, "web").waitFor();
        assert.equal(await tagRow(page, "alpha").count(), 0);
        assert.equal(await tagCount(page, "web"), 2);
        assert.match(await text(page, "#tags-notice"), /Renamed alpha to web/);
        await page.locator("#audit", { hasText: "tag.rename" }).waitFor();

        // Merge beta into web: container a had both, so web ends on all three.
        await tagRow(page, "beta").locator("select[name=into]").selectOption("web");
        assert.equal(
          await posted(
            page,
            "/settings/tags/beta/merge",
            () => tagRow(page, "beta").getByRole("button", { name: "Merge beta" }).click(),
          ),
          200,
        );
        await page.locator("#tags-notice", { hasText: "Merged beta into web" }).waitFor();
        assert.equal(await tagRow(page, "beta").count(), 0);
        assert.equal(await tagCount(page, "web"), 3);
        await page.locator("#audit", { hasText: "tag.merge" }).waitFor();

        // Delete asks first (server-rendered); Cancel keeps the tag.
        await tagRow(page, "web").getByRole("button", { name: "Delete web" }).click();
        const confirm = page.locator("#tag-web-confirm");
        await confirm.waitFor();
        assert.match(
          (await confirm.innerText()).replace(/\s+/g, " "),
          /Remove the tag web from 3 containers\?/,
        );
        await screenshot(page, "settings-e2e-tag-confirm-desktop");
        await confirm.getByRole("link", { name: "Cancel" }).click();
        await confirm.waitFor({ state: "detached" });
        assert.equal(await tagCount(page, "web"), 3);

        await tagRow(page, "web").getByRole("button", { name: "Delete web" }).click();
        await confirm.waitFor();
        assert.equal(
          await posted(
            page,
            "/settings/tags/web/delete",
            () => confirm.getByRole("button", { name: "Delete tag web" }).click(),
          ),
          200,
        );
        await tagRow(page, "web").waitFor({ state: "detached" });
        assert.match(await text(page, "#tags-notice"), /Deleted web \(removed from 3 containers\)/);
        await page.locator("#audit", { hasText: "tag.delete" }).waitFor();

        // What the page says is what the database holds: a reload agrees.
        await page.reload();
        await tagRow(page, "gamma").waitFor();
        assert.equal(await tagRow(page, "web").count(), 0);
        assert.equal(await tagRow(page, "beta").count(), 0);
        assert.equal(await tagCount(page, "gamma"), 1);
        await tagRow(page, "gamma").locator(".tag.tag-teal").waitFor();
      });

      await step("4. retention: 7 days and a 30 s health window survive a reload", async () => {
        await page.goto(`${base}/settings#retention`);
        assert.equal(await page.locator("#retention-days").inputValue(), "30");
        assert.equal(await page.locator("#health-window").inputValue(), "15");
        assert.match(await text(page, "#last-prune"), /Prune of expired records: never\./);
        await page.locator("#retention-days").fill("7");
        await page.locator("#health-window").fill("30");
        assert.equal(
          await posted(page, "/settings/retention", () => page.click("#retention-form button")),
          200,
        );
        await page.locator("#retention-saved").waitFor();
        await page.locator("#audit", { hasText: "settings.retention" }).waitFor();
        await page.reload();
        assert.equal(await page.locator("#retention-days").inputValue(), "7");
        assert.equal(await page.locator("#health-window").inputValue(), "30");
      });

      await step("5. the same forms work without htmx (plain POST, 303 back)", async () => {
        const post = (path: string, form: Record<string, string>) =>
          api.text("POST", path, { form });
        const ok = await post("/settings/retention", {
          deletedRetentionDays: "8",
          healthWindowSeconds: "20",
        });
        assert.equal(ok.status, 303);
        assert.equal(ok.res.headers.get("location"), "/settings#retention");
        const bad = await post("/settings/retention", {
          deletedRetentionDays: "0",
          healthWindowSeconds: "20",
        });
        assert.equal(bad.status, 400);
        assert.match(bad.body, /id="retention-days-error"[^>]*>must be at least 1</);
        assert.match(bad.body, /<h1>Settings<\/h1>/);
        const ask = await post("/settings/tags/gamma/delete", {});
        assert.equal(ask.status, 200);
        assert.match(ask.body, /Remove the tag <strong>gamma<\/strong> from 1 container\?/);
        const conflict = await post("/settings/tags/gamma/rename", { name: "prod" });
        assert.equal(conflict.status, 409);
        assert.match(conflict.body, /A tag &quot;prod&quot; exists already: merge instead/);
        const hw = await post("/settings/hardware", { profile: "", maxContainers: "" });
        assert.equal(hw.status, 303);
        const badTag = await post("/settings/tags/Not%20A%20Tag/rename", { name: "x" });
        assert.equal(badTag.status, 400);
        await page.goto(`${base}/settings`);
        assert.equal(await page.locator("#retention-days").inputValue(), "8");
      });

      await step("6. screenshots; the phone has no sideways scrolling", async () => {
        await page.goto(`${base}/settings`);
        await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
        await screenshot(page, "settings-e2e-settings-desktop");

        const p = await phone.newPage();
        await logIn(p, base);
        await p.locator("#capacity").waitFor();
        const { measure, assertNone } = overflowChecks(p);
        await measure("dashboard");
        await screenshot(p, "settings-e2e-dashboard-phone");

        await p.goto(`${base}/settings`);
        await p.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
        await measure("settings");
        const scrolling = await scrollingTables(p);
        assert.ok(
          !scrolling.includes("tags-panel") && !scrolling.includes("hardware-panel"),
          `these sections scroll sideways on the phone: ${scrolling.join(", ")}`,
        );
        await screenshot(p, "settings-e2e-settings-phone");

        // A confirmation and an error open on the phone still fit.
        await tagRow(p, "gamma").getByRole("button", { name: "Delete gamma" }).tap();
        await p.locator("#tag-gamma-confirm").waitFor();
        await measure("settings with a delete confirmation");
        await p.evaluate(`document.getElementById("hardware-form").noValidate = true`);
        await p.locator("#hw-max").fill("0");
        await posted(p, "/settings/hardware", () => p.locator("#hardware-form button").tap());
        await p.locator("#hw-max-error").waitFor();
        await measure("settings with a field error");
        await screenshot(p, "settings-e2e-settings-phone-states");
        await p.close();
        assertNone();
      });

      await finalBrowserCheck(t, 7, { steps, browserErrors, base, contexts: [desktop, phone] });
    } catch (err) {
      printFailureDetails(server, browserErrors);
      throw err;
    } finally {
      await browser?.close();
      await server?.stop();
      await removeLabeled(run);
    }
  },
});

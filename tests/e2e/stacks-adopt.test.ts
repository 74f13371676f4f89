/**
 * End-to-end: the stack pages' other ways in and out, in headless Chromium against the real
 * daemon and Compose v2: a compose project started with the CLI is listed as external with its
 * file and adopted; another page hands the editor a draft; without JavaScript the editor is a
 * textarea whose problems come back on the page and whose deploy runs to its end; without
 * Compose v2 the Stacks page says how to install it and the rest works.
 * Screenshots: tests/output/screenshots/stacks-*.png.
 *
 * Needs the test bed (tests/testbed/up.sh, docker26.sh for Compose v2) and /usr/bin/chromium.
 * Run: deno task vendor && deno test -A tests/e2e/stacks-adopt.test.ts
 */
import assert from "node:assert/strict";
import { browserRun, screenshot, shareSession, watchConsole } from "../helpers/browser.ts";
import { setupAndLogin } from "../helpers/client.ts";
import { compose, composeDownAll, composeEnv } from "../helpers/compose.ts";
import { runId } from "../helpers/docker.ts";
import { startServer } from "../helpers/server.ts";
import { codeEditor, DEPLOY_MS, projectContainers } from "../helpers/stack-pages.ts";
import { images } from "../testbed/images.ts";

Deno.test({
  name: "e2e: stacks: adopt a project started elsewhere; the editor without JavaScript",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const external = `${run}-ext`;
    const plain = `${run}-plain`;
    const outside = await Deno.makeTempDir({ prefix: "dockermate-e2e-outside-" });
    // A refused deploy without JavaScript is a 400 page, on purpose.
    const browserErrors = watchConsole([{ status: 400, path: "/stacks" }], {
      warnings: true,
    });
    try {
      await Deno.writeTextFile(
        `${outside}/compose.yaml`,
        `services:\n  app:\n    image: ${images.web}\n    network_mode: bridge\n` +
          `    labels:\n      test.dockermate.run: ${run}\n`,
      );
      const up = await compose(outside, ["-p", external, "up", "-d"]);
      assert.equal(up.code, 0, up.stderr);
      await browserRun(
        t,
        { browserErrors, finalStep: 4, env: composeEnv() },
        async ({ base, browser, client, page, step }) => {
          await step(
            "1. a project started elsewhere is listed with its file and adopted",
            async () => {
              await page.goto(`${base}/stacks`);
              const row = page.locator(`#stacks-external-table tr[data-stack="${external}"]`);
              await row.waitFor();
              assert.match(await row.innerText(), new RegExp(`${outside}/compose.yaml`));
              assert.match(await row.innerText(), /external/);
              await screenshot(page, "stacks-external");
              await row.getByRole("button", { name: "Adopt" }).click();
              await page.waitForURL(`${base}/stacks/${external}?adopted=1`);
              await page.locator(".alert-ok", { hasText: "Adopted" }).waitFor();
              assert.equal(await page.locator("#stack-edit").count(), 1, "managed now: editable");
              assert.match(await page.locator("#stack-compose").innerText(), /image: /);
              assert.match(await page.locator("#stack-history").innerText(), /Adopted/);
              assert.equal(
                (await projectContainers(external)).get("app")?.State,
                "running",
                "adopting touched nothing in Docker",
              );
            },
          );

          await step(
            "2. a draft from another page; without JavaScript: a compose key refused, then a deploy",
            async () => {
              // Another page (the converter, a template) hands the editor a draft: nothing deploys.
              const draft = `services:\n  web:\n    image: ${images.web}\n`;
              await page.evaluate(`(() => {
              const form = document.createElement("form");
              form.method = "post";
              form.action = "/stacks/new/draft";
              for (const [name, value] of Object.entries(${
                JSON.stringify({ name: `${run}-draft`, compose: draft, env: "A=1\n" })
              })) {
                const input = document.createElement("textarea");
                input.name = name;
                input.value = value;
                form.append(input);
              }
              document.body.append(form);
              form.submit();
            })()`);
              await page.waitForURL(`${base}/stacks/new/draft`);
              await codeEditor(page, "compose").waitFor();
              assert.equal(await page.locator("#stack-name").inputValue(), `${run}-draft`);
              assert.equal(await page.locator("#compose-text").inputValue(), draft);
              assert.deepEqual(
                await codeEditor(page, "compose").locator(".cm-line").allInnerTexts(),
                [...draft.split("\n").slice(0, -1), "\n"],
              );
              assert.equal(await page.locator("#env-text").inputValue(), "A=1\n");
              const none = await client.request("GET", `/stacks/${run}-draft`);
              await none.body?.cancel();
              assert.equal(none.status, 404, "a draft is not deployed");

              const context = await browser.newContext({ javaScriptEnabled: false });
              browserErrors.watch(context, "no-js");
              await shareSession(context, client);
              const nojs = await context.newPage();
              await nojs.goto(`${base}/stacks/new`);
              await nojs.locator("#compose-text").waitFor();
              assert.equal(await nojs.locator(".cm-editor").count(), 0);
              await nojs.locator("#stack-name").fill(plain);
              const bad = `services:\n  web:\n    image: ${images.web}\n    bogus_key: 1\n` +
                `    network_mode: bridge\n    labels:\n      test.dockermate.run: ${run}\n`;
              await nojs.locator("#compose-text").fill(bad);
              await nojs.locator("#stack-deploy").click();
              const problem = nojs.locator("#problem-list .problem").first();
              await problem.waitFor();
              assert.match(await problem.innerText(), /line 4.*services\.web\.bogus_key/);
              assert.equal(await nojs.locator("#compose-text").inputValue(), bad, "text kept");
              assert.equal(await nojs.locator("#stack-name").inputValue(), plain);
              await screenshot(nojs, "stacks-nojs-problem");
              await nojs.locator("#compose-text").fill(bad.replace("    bogus_key: 1\n", ""));
              await nojs.locator("#stack-deploy").click();
              await nojs.waitForURL(`${base}/stacks/${plain}`, { timeout: DEPLOY_MS });
              assert.match(await nojs.locator('tr[data-service="web"]').innerText(), /running/);
              await nojs.goto(`${base}/stacks/${plain}/down`);
              await nojs.locator("#stack-down-submit").click();
              await nojs.waitForURL(`${base}/stacks`, { timeout: DEPLOY_MS });
              assert.equal((await projectContainers(plain)).size, 0);
              await context.close();
            },
          );

          await step("3. no Compose v2: the page says so and how to install it", async () => {
            // The same server cannot lose Compose; what it shows is checked on one that has none.
            const missing = await startServer({ DOCKER_COMPOSE: "/nonexistent/docker-compose" });
            try {
              const other = await setupAndLogin(missing.url);
              const context = await browser.newContext();
              browserErrors.watch(context, "no-compose");
              await shareSession(context, other);
              const p = await context.newPage();
              await p.goto(`${missing.url}/stacks`);
              const card = p.locator("#compose-missing");
              assert.match(await card.innerText(), /not found[\s\S]*Install Docker Compose v2/);
              assert.equal(await p.locator("#stacks-empty").count(), 0);
              await screenshot(p, "stacks-compose-missing");
              await p.goto(`${missing.url}/stacks/new`);
              assert.equal(await p.locator("#stack-deploy").isDisabled(), true);
              const res = await p.goto(`${missing.url}/containers`);
              assert.equal(res?.status(), 200, "the rest works");
              await context.close();
            } finally {
              await missing.stop();
            }
          });
        },
      );
    } finally {
      await composeDownAll(outside, external);
      await composeDownAll("/tmp", plain);
      await Deno.remove(outside, { recursive: true });
    }
  },
});

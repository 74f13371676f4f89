/**
 * End-to-end: the converter and the templates in Chromium. A pasted `docker run` shows its YAML
 * and names the flag it cannot carry; "Create a stack from this" opens the stack editor with the
 * file and the name; an unknown flag is named under the field. A template imported from an
 * export file deploys through its form (a wrong port is named under its variable first) and
 * the container runs. Desktop and phone screenshots: tests/output/screenshots/convert-*.png and
 * templates-*.png.
 */
import assert from "node:assert/strict";
import { inspect, removeLabeled, runId, TEST_LABEL } from "../helpers/docker.ts";
import {
  browserRun,
  overflowChecks,
  pathOf,
  screenshot,
  watchConsole,
} from "../helpers/browser.ts";
import { freePort } from "../helpers/server.ts";
import { images } from "../testbed/images.ts";

const COMMAND = `docker run -d --name web \\
  -p 8080:80 -v web-data:/usr/share/nginx/html \\
  -e TZ=Europe/Berlin --restart unless-stopped \\
  --gpus all nginx:1.27`;

Deno.test({
  name: "e2e: convert a docker run, then deploy a template through its form",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const expected = [{ status: 400, path: "/convert" }];
    const browserErrors = watchConsole(expected);
    try {
      await browserRun(t, { browserErrors, finalStep: 6 }, async (r) => {
        const { base, client, phone, page, step } = r;

        await step("1. a pasted docker run shows its YAML and names --gpus", async () => {
          await page.goto(`${base}/convert`);
          await page.locator("#convert-command").fill(COMMAND);
          await page.getByRole("button", { name: "Convert" }).click();
          const yaml = page.locator("#convert-compose");
          await yaml.waitFor();
          const text = await yaml.textContent() ?? "";
          assert.match(text, /container_name: web/);
          assert.match(text, /- 8080:80/);
          await page.locator(".convert-warnings li", { hasText: "--gpus all: not carried" })
            .waitFor();
          assert.equal(
            await page.locator("#convert-stack textarea[name=compose]").inputValue(),
            text,
            "the stack draft carries the same file",
          );
          assert.equal(
            await page.locator("#convert-stack").getAttribute("action"),
            "/stacks/new/draft",
          );
          await screenshot(page, "convert-desktop");
        });

        await step(
          "2. 'Create a stack from this' opens the stack editor with the file",
          async () => {
            const yaml = await page.locator("#convert-compose").textContent() ?? "";
            await page.locator("#convert-stack").getByRole("button", {
              name: "Create a stack from this",
            })
              .click();
            await page.waitForURL(`${base}/stacks/new/draft`);
            assert.equal(await page.locator("#compose-text").inputValue(), yaml);
            assert.equal(await page.locator("#stack-name").inputValue(), "web");
            await screenshot(page, "convert-stack-draft");
            await page.goto(`${base}/convert`);
          },
        );

        await step("3. an unknown flag is named under the field", async () => {
          await page.locator("#convert-command").fill("docker run --frobnicate nginx");
          await page.getByRole("button", { name: "Convert" }).click();
          await page.locator("#command-error", { hasText: "--frobnicate is not a docker run flag" })
            .waitFor();
          assert.equal(await page.locator("#convert-compose").count(), 0);
        });

        const port = freePort();
        const name = `e2e-${run}-tpl`;
        await step("4. an imported template deploys through its form", async () => {
          // Our own export format, for a template on network "none": a new container's network
          // interface makes Chromium cancel the loads of the page it is opening at that moment
          // (net::ERR_NETWORK_CHANGED), which is Docker's doing, not the page's.
          const imported = await client.json<{ ids: string[] }>(
            "POST",
            "/api/v1/templates/import",
            {
              format: "dockermate-templates",
              version: 1,
              templates: [{
                name: "Test web",
                description: "The test bed's web server",
                categories: ["test"],
                variables: [
                  { name: "LISTEN_PORT", label: "Listen port", kind: "port", default: "8080" },
                  { name: "GREETING", label: "Greeting", kind: "env", default: "hello" },
                ],
                body: {
                  kind: "container",
                  config: {
                    image: images.web,
                    env: ["GREETING=${GREETING}", "LISTEN_PORT=${LISTEN_PORT}"],
                    labels: { [TEST_LABEL]: run },
                    restart: "unless-stopped",
                    networkMode: "none",
                  },
                },
              }],
            },
          );
          assert.equal(imported.status, 200, JSON.stringify(imported.body));
          const [id] = imported.body.ids;
          expected.push({ status: 400, path: `/templates/${id}/deploy` });

          await page.goto(`${base}/templates`);
          await page.locator("#tf-q").fill("test web");
          await page.getByRole("button", { name: "Filter" }).click();
          await page.locator(`#template-${id}`).waitFor();
          assert.equal(await page.locator(".template-card").count(), 1);
          await page.goto(`${base}/templates`);
          await screenshot(page, "templates-desktop");

          await page.goto(`${base}/templates/${id}`);
          await page.locator("#tv-name").fill(name);
          await page.locator("#tv-LISTEN_PORT").fill("99999");
          await page.getByRole("button", { name: "Deploy" }).click();
          await page.locator("#tv-LISTEN_PORT-error", { hasText: "must be a port number 1-65535" })
            .waitFor();
          assert.equal(await page.locator("#tv-name").inputValue(), name, "the values stay");
          await screenshot(page, "templates-deploy-error");

          await page.locator("#tv-LISTEN_PORT").fill(String(port));
          await page.locator("#tv-GREETING").fill("hi there");
          await page.getByRole("button", { name: "Deploy" }).click();
          await page.waitForURL(`${base}/containers/${name}`);
          const c = await inspect(name);
          assert.equal(c.State.Running, true);
          assert.ok(c.Config.Env.includes("GREETING=hi there"));
          assert.ok(c.Config.Env.includes(`LISTEN_PORT=${port}`));
          assert.equal(c.Config.Labels["com.dockermate.template"], id);
          assert.equal(pathOf(page), `/containers/${name}`);
        });

        await step("5. phone: the converter, the gallery and a deploy form fit", async () => {
          const p = await phone.newPage();
          const { measure, assertNone } = overflowChecks(p);
          await p.goto(`${base}/convert`);
          await p.locator("#convert-command").fill(COMMAND);
          await p.getByRole("button", { name: "Convert" }).click();
          await p.locator("#convert-compose").waitFor();
          await measure("converter with a result");
          await screenshot(p, "convert-phone");
          await p.goto(`${base}/templates`);
          await measure("templates gallery");
          await screenshot(p, "templates-phone");
          await p.goto(`${base}/templates/builtin-nextcloud`);
          await measure("a stack template's deploy form");
          await screenshot(p, "templates-deploy-phone");
          await p.close();
          assertNone();
        });
      });
    } finally {
      await removeLabeled(run);
    }
  },
});

/**
 * End-to-end: stacks in headless Chromium against the real daemon and Compose v2.
 *
 * A user finds no stacks and opens the editor, types a compose file with a YAML error into
 * CodeMirror and sees it at its line, fixes it, deploys and watches compose's output to the
 * end, sees the services running on the stack's page, edits one service and previews that only
 * it is recreated, deploys that, compares the two versions in the history, restores the first,
 * and takes the stack down with its volumes. Then the pages on a 375 px phone and in dark mode.
 * Screenshots: tests/output/screenshots/stacks-*.png.
 *
 * Needs the test bed (tests/testbed/up.sh, docker26.sh for Compose v2) and /usr/bin/chromium.
 * Run: deno task vendor && deno test -A tests/e2e/stacks.test.ts
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
import { composeDownAll, composeEnv } from "../helpers/compose.ts";
import { dockerApi, runId } from "../helpers/docker.ts";
import { freePort } from "../helpers/server.ts";
import { codeEditor, DEPLOY_MS, opOutcome, projectContainers } from "../helpers/stack-pages.ts";
import { images } from "../testbed/images.ts";

async function volumeExists(name: string): Promise<boolean> {
  const filters = encodeURIComponent(JSON.stringify({ name: [name] }));
  const { Volumes } = await dockerApi<{ Volumes: { Name: string }[] | null }>(
    `/volumes?filters=${filters}`,
  );
  return (Volumes ?? []).some((v) => v.Name === name);
}

/**
 * The compose file; `greeting` is the one thing the edit changes (the web service's env). The
 * services join Docker's default bridge: a network of the project's own would add a host
 * interface, and Chromium aborts the page's open requests when the host's addresses change
 * (net::ERR_NETWORK_CHANGED).
 */
function composeFile(run: string, greeting: string): string {
  return `services:
  web:
    image: ${images.web}
    network_mode: bridge
    environment:
      GREETING: ${greeting}
    ports:
      - "\${WEB_PORT}:8080"
    volumes:
      - data:/data
    labels:
      test.dockermate.run: ${run}
  worker:
    image: ${images.ticker}
    network_mode: bridge
    labels:
      test.dockermate.run: ${run}
volumes:
  data:
    labels:
      test.dockermate.run: ${run}
`;
}

/** Replaces the editor's text: select all, then the text as one input (no auto-indent). */
async function replaceText(page: Page, file: "compose" | "env", text: string): Promise<void> {
  await codeEditor(page, file).click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}

/** The 1-based numbers of the editor lines that carry a lint mark. */
function markedLines(page: Page): Promise<number[]> {
  return page.evaluate<number[]>(`(() => {
    const lines = [...document.querySelectorAll(".code-editor-compose .cm-content > .cm-line")];
    return lines.flatMap((l, i) => l.querySelector(".cm-lintRange-error") ? [i + 1] : []);
  })()`);
}

Deno.test({
  name: "e2e: stacks: editor with errors at their line, deploy, edit + preview, history, down",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const name = `${run}-shop`;
    const port = freePort();
    const env = `WEB_PORT=${port}\n`;
    // A Check of a broken file answers 400 (the problems), on purpose.
    const browserErrors = watchConsole([{ status: 400, path: "/stacks/-/check" }], {
      warnings: true,
    });
    try {
      await browserRun(
        t,
        { browserErrors, finalStep: 11, env: composeEnv() },
        async ({ base, browser, client, phone, page, step }) => {
          let firstIds = new Map<string, string>();

          await step("1. no stacks yet: the empty state leads to the editor", async () => {
            await page.goto(`${base}/stacks`);
            await page.locator("#stacks-empty").waitFor();
            await screenshot(page, "stacks-empty-desktop");
            await page.locator("#stacks-empty").getByRole("link", { name: "New stack" }).click();
            await page.getByRole("heading", { level: 1, name: "New stack" }).waitFor();
            await codeEditor(page, "compose").waitFor();
            // CodeMirror's <style> elements carry this response's nonce; scripts get none.
            const nonces = [];
            for (let i = 0; i < 2; i++) {
              const res = await page.goto(`${base}/stacks/new`);
              const csp = res?.headers()["content-security-policy"] ?? "";
              assert.match(csp, /script-src 'self';/);
              assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
              const nonce = /style-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
              assert.ok(nonce, csp);
              await codeEditor(page, "compose").waitFor();
              assert.equal(
                await page.evaluate<boolean>(
                  `[...document.querySelectorAll("head style")].every((s) => s.nonce === ${
                    JSON.stringify(nonce)
                  })`,
                ),
                true,
              );
              nonces.push(nonce);
            }
            assert.notEqual(nonces[0], nonces[1], "a fresh nonce for each response");
            assert.equal(
              await page.locator("#compose-text").isVisible(),
              false,
              "CodeMirror replaces the textarea",
            );
          });

          await step("2. a YAML error is shown at its line; fixed by typing", async () => {
            await page.locator("#stack-name").fill(name);
            // Line 5 lacks its colon.
            const broken = composeFile(run, "hello").replace("environment:", "environment");
            await replaceText(page, "compose", broken);
            await replaceText(page, "env", env);
            const posts: string[] = [];
            page.on("request", (r) => {
              if (r.method() === "POST") posts.push(new URL(r.url()).pathname);
            });
            await page.locator("#stack-check").click();
            const problem = page.locator("#problem-list .problem").first();
            await problem.waitFor();
            assert.deepEqual(posts, ["/stacks/-/check"], "Check only checks: nothing deploys");
            assert.equal(await page.locator("#problem-list .problem").count(), 1);
            assert.match(await problem.innerText(), /^line 5, column 5: \w/);
            await until(page, `document.querySelector(".cm-lint-marker-error") !== null`);
            assert.deepEqual(await markedLines(page), [5], "the error is marked on line 5");
            // The hidden textarea (what the form posts) follows the editor.
            assert.equal(await page.locator("#compose-text").inputValue(), broken);
            await screenshot(page, "stacks-editor-error");

            // Fix it as a user would: to line 5 (the problem's link), its end, the colon.
            await page.locator("#problem-list [data-jump-line]").first().click();
            await page.keyboard.press("End");
            await page.keyboard.type(":");
            assert.equal(
              await page.locator("#compose-text").inputValue(),
              composeFile(run, "hello"),
            );
            await page.locator("#stack-check").click();
            await page.locator("#check-fine").waitFor();
            assert.deepEqual(await markedLines(page), [], "no mark left");
          });

          await step("3. deploy: compose's output streams in to the end", async () => {
            await page.locator("#stack-deploy").click();
            await page.locator("#stack-op-card").waitFor();
            const cli = await page.locator("#stack-op-card").getAttribute("data-cli") ?? "";
            assert.match(cli, new RegExp(`^cd \\S*/${name} && docker compose up -d$`));
            const { state, text } = await opOutcome(page);
            assert.equal(state, "done", text);
            assert.ok(
              text.includes(`$ ${cli}`),
              `the transcript starts with the command:\n${text}`,
            );
            assert.match(text, /Container \S+-web-1 +Started/, "compose's own lines are shown");
            assert.match(text, new RegExp(`Deployed ${name}`));
            await screenshot(page, "stacks-deployed");
            const containers = await projectContainers(name);
            assert.equal(containers.get("web")?.State, "running");
            assert.equal(containers.get("worker")?.State, "running");
            firstIds = new Map([...containers].map(([s, c]) => [s, c.Id]));
          });

          await step("4. the stack's page: services running, files, history", async () => {
            await page.locator("#stack-open").click();
            await page.waitForURL(`${base}/stacks/${name}`);
            const overview = page.locator("#stack-overview");
            assert.equal(await overview.getAttribute("data-status"), "running");
            for (const service of ["web", "worker"]) {
              const row = overview.locator(`tr[data-service="${service}"]`);
              assert.match(await row.innerText(), /running/);
              assert.equal(
                await row.locator("a.container-link").getAttribute("href"),
                `/containers/${name}-${service}-1`,
              );
            }
            const portLink = overview.locator('tr[data-service="web"] a.port');
            assert.equal(await portLink.innerText(), `${port}→8080`);
            assert.equal(await portLink.getAttribute("href"), `http://127.0.0.1:${port}/`);
            assert.match(await page.locator("#stack-compose").innerText(), /GREETING: hello/);
            assert.equal(await page.locator("#stack-history tr[data-version]").count(), 1);
            await page.locator("#stack-tags-input").fill("shop, prod");
            await page.locator("#stack-tags-panel").getByRole("button", { name: "Save tags" })
              .click();
            await page.locator("#stack-tags-panel .saved").waitFor();
            assert.deepEqual(
              await page.locator("#stack-tags-panel .tags-now .tag").allInnerTexts(),
              ["prod", "shop"],
            );
            await screenshot(page, "stacks-page-desktop");
            // Its containers carry the stack's tags: the containers list finds them by tag.
            await page.goto(`${base}/containers?all=1&tag=shop`);
            assert.deepEqual(
              (await page.locator("tr.container-row .name-link").allInnerTexts()).sort(),
              [`${name}-web-1`, `${name}-worker-1`],
            );
            await page.goto(`${base}/stacks/${name}`);
            // The merged log view of its containers: the worker's lines arrive.
            await page.locator("#stack-logs").click();
            await page.locator("#log-lines .log-line", { hasText: /line \d+/ }).first().waitFor();
            await page.goto(`${base}/stacks`);
            const row = page.locator(`#stacks-table tr[data-stack="${name}"]`);
            assert.match(await row.innerText(), /running[\s\S]*2\/2/);
            assert.deepEqual(await row.locator(".tag").allInnerTexts(), ["prod", "shop"]);
            await screenshot(page, "stacks-list-desktop");
          });

          await step("5. stop and start from its page: output live, the card follows", async () => {
            await page.goto(`${base}/stacks/${name}`);
            const overview = page.locator("#stack-overview");
            await page.locator("#stack-action-stop").click();
            const stopped = await opOutcome(page);
            assert.equal(stopped.state, "done", stopped.text);
            assert.match(stopped.text, /docker compose stop[\s\S]*Container \S+ +Stopped/);
            await page.locator('#stack-overview[data-status="stopped"]').waitFor();
            assert.match(await overview.innerText(), /0 of 2 containers running/);
            assert.equal((await projectContainers(name)).get("web")?.State, "exited");
            await screenshot(page, "stacks-stopped");
            await page.locator("#stack-action-start").click();
            await page.locator('#stack-overview[data-status="running"]').waitFor({
              timeout: DEPLOY_MS,
            });
            assert.match(await page.locator("#stack-op-outcome").innerText(), /start done/);
            assert.equal((await projectContainers(name)).get("web")?.State, "running");
          });

          await step(
            "6. edit one service: the preview recreates only it, then deploy",
            async () => {
              await page.goto(`${base}/stacks/${name}`);
              await page.locator("#stack-edit").click();
              await page.getByRole("heading", { level: 1, name: `Edit ${name}` }).waitFor();
              await codeEditor(page, "compose").waitFor();
              assert.equal(
                await page.locator("#compose-text").inputValue(),
                composeFile(run, "hello"),
              );
              await replaceText(page, "compose", composeFile(run, "bonjour"));
              await page.locator("#stack-preview-button").click();
              await page.locator("#stack-preview").waitFor();
              const action = (service: string) =>
                page.locator(`#stack-preview li[data-service="${service}"]`).getAttribute(
                  "data-action",
                );
              assert.equal(await action("web"), "recreate");
              assert.equal(await action("worker"), "unchanged");
              await screenshot(page, "stacks-preview");
              await page.locator("#stack-deploy").click();
              const { state, text } = await opOutcome(page);
              assert.equal(state, "done", text);
              assert.match(text, /recreated web/);
              const after = await projectContainers(name);
              assert.notEqual(after.get("web")?.Id, firstIds.get("web"), "web was recreated");
              assert.equal(after.get("worker")?.Id, firstIds.get("worker"), "worker was not");
            },
          );

          await step("7. history: two versions and the diff between them", async () => {
            await page.goto(`${base}/stacks/${name}`);
            const versions = page.locator("#stack-history tr[data-version]");
            assert.equal(await versions.count(), 2);
            await versions.first().getByRole("link", { name: "Changes" }).click();
            await page.locator("#stack-diff").waitFor();
            assert.match(
              await page.locator("#stack-diff .diff-removed").innerText(),
              /GREETING: hello/,
            );
            assert.match(
              await page.locator("#stack-diff .diff-added").innerText(),
              /GREETING: bonjour/,
            );
            await screenshot(page, "stacks-diff");
          });

          await step("8. restore the first version: a redeploy, confirmed", async () => {
            await page.goto(`${base}/stacks/${name}`);
            await page.locator("#stack-history tr[data-version]").last()
              .getByRole("link", { name: "Restore…" }).click();
            await page.locator("#stack-restore").waitFor();
            assert.match(
              await page.locator("#stack-restore .diff-added").innerText(),
              /GREETING: bonjour/,
              "the restore shows what it undoes",
            );
            await page.locator("#stack-restore-submit").click();
            const { state, text } = await opOutcome(page);
            assert.equal(state, "done", text);
            const web = (await projectContainers(name)).get("web");
            const inspect = await dockerApi<{ Config: { Env: string[] } }>(
              `/containers/${web?.Id}/json`,
            );
            assert.ok(inspect.Config.Env.includes("GREETING=hello"), "the first version is back");
            await page.goto(`${base}/stacks/${name}`);
            assert.equal(await page.locator("#stack-history tr[data-version]").count(), 3);
          });

          await step("9. phone and dark mode: readable, nothing sticks out", async () => {
            const mobile = await phone.newPage();
            const overflow = overflowChecks(mobile);
            for (
              const [path, shot] of [
                ["/stacks", "stacks-list-phone"],
                [`/stacks/${name}`, "stacks-page-phone"],
                [`/stacks/${name}/edit`, "stacks-editor-phone"],
                [`/stacks/${name}/history`, "stacks-diff-phone"],
                [`/stacks/${name}/down`, "stacks-down-phone"],
              ]
            ) {
              await mobile.goto(`${base}${path}`);
              await mobile.locator("h1").waitFor();
              if (path.endsWith("/edit")) await mobile.locator(".cm-content").first().waitFor();
              await overflow.measure(path);
              await screenshot(mobile, shot);
            }
            await mobile.close();
            overflow.assertNone();
            const dark = await darkContext(browser, browserErrors, client);
            const night = await dark.newPage();
            for (
              const [path, shot] of [
                [`/stacks/${name}`, "stacks-page-dark"],
                [`/stacks/${name}/edit`, "stacks-editor-dark"],
              ]
            ) {
              await night.goto(`${base}${path}`);
              await night.locator("h1").waitFor();
              if (path.endsWith("/edit")) await night.locator(".cm-content").first().waitFor();
              await screenshot(night, shot);
            }
            const editorBg = await night.evaluate<string>(
              `getComputedStyle(document.querySelector(".cm-editor")).backgroundColor`,
            );
            assert.equal(editorBg, "rgb(23, 30, 39)", "the editor follows the dark palette");
            await codeEditor(night, "compose").click();
            await night.keyboard.press("Control+A");
            // CodeMirror draws the selection layer in its next measure cycle.
            await night.locator(".cm-selectionBackground").first().waitFor();
            const selection = await night.evaluate<string>(
              `getComputedStyle(document.querySelector(".cm-selectionBackground")).backgroundColor`,
            );
            assert.equal(selection, "rgb(38, 79, 120)", "the selection too");
            await dark.close();
          });

          await step("10. down with its volumes, after a clear warning", async () => {
            await page.goto(`${base}/stacks/${name}`);
            await page.locator("#stack-action-down").click();
            await page.locator("#stack-down").waitFor();
            assert.match(
              await page.locator("#stack-down .alert-error").innerText(),
              /deletes their data for good/,
            );
            await page.locator("#stack-down-volumes").check();
            await screenshot(page, "stacks-down");
            await page.locator("#stack-down-submit").click();
            const { state, text } = await opOutcome(page);
            assert.equal(state, "done", text);
            assert.match(text, /with its volumes/);
            assert.equal((await projectContainers(name)).size, 0, "no container left");
            assert.equal(await volumeExists(`${name}_data`), false, "the volume is gone");
            await page.locator("#stacks-back").click();
            await page.locator("#stacks-empty").waitFor();
          });
        },
      );
    } finally {
      await composeDownAll("/tmp", name);
    }
  },
});

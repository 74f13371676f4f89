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
import { dockerApi, runId } from "../helpers/docker.ts";
import { freePort } from "../helpers/server.ts";
import { COMPOSE_V2_CONFIG, images } from "../testbed/images.ts";

const COMPOSE_BIN = `${COMPOSE_V2_CONFIG}/cli-plugins/docker-compose`;
/** A deploy pulls nothing (the images are local) but starts two containers: seconds. */
const DEPLOY_MS = 60_000;

type Listed = { Id: string; Names: string[]; State: string; Labels: Record<string, string> };

/** The project's containers by service, straight from Docker. */
async function projectContainers(project: string): Promise<Map<string, Listed>> {
  const filters = encodeURIComponent(
    JSON.stringify({ label: [`com.docker.compose.project=${project}`] }),
  );
  const list = await dockerApi<Listed[]>(`/containers/json?all=1&filters=${filters}`);
  return new Map(list.map((c) => [c.Labels["com.docker.compose.service"], c]));
}

async function volumeExists(name: string): Promise<boolean> {
  const filters = encodeURIComponent(JSON.stringify({ name: [name] }));
  const { Volumes } = await dockerApi<{ Volumes: { Name: string }[] | null }>(
    `/volumes?filters=${filters}`,
  );
  return (Volumes ?? []).some((v) => v.Name === name);
}

/** `docker compose -p <project> down -v` by the test itself, for whatever a failed run left. */
async function composeDown(project: string): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await new Deno.Command(COMPOSE_BIN, {
      args: ["-p", project, "down", "-v", "--remove-orphans"],
      cwd: dir,
      stdout: "null",
      stderr: "null",
    }).output();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The compose file; `greeting` is the one thing the edit changes (the web service's env). */
function composeFile(run: string, greeting: string): string {
  return `services:
  web:
    image: ${images.web}
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
    labels:
      test.dockermate.run: ${run}
volumes:
  data:
    labels:
      test.dockermate.run: ${run}
`;
}

/** The CodeMirror editor over the textarea `file` (compose or env). */
function editor(page: Page, file: "compose" | "env") {
  return page.locator(`.code-editor-${file} .cm-content`);
}

/** Replaces the editor's text: select all, then the text as one input (no auto-indent). */
async function replaceText(page: Page, file: "compose" | "env", text: string): Promise<void> {
  await editor(page, file).click();
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

/** Waits for the operation card to end, and says how (done or failed) with its text. */
async function opOutcome(page: Page): Promise<{ state: string; text: string }> {
  const outcome = page.locator("#stack-op-outcome");
  await outcome.waitFor({ timeout: DEPLOY_MS });
  return {
    state: (await outcome.getAttribute("data-state")) ?? "",
    text: await outcome.innerText(),
  };
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
        { browserErrors, finalStep: 10, env: { DOCKER_COMPOSE: COMPOSE_BIN } },
        async ({ base, browser, client, phone, page, step }) => {
          let firstIds = new Map<string, string>();

          await step("1. no stacks yet: the empty state leads to the editor", async () => {
            await page.goto(`${base}/stacks`);
            await page.locator("#stacks-empty").waitFor();
            await screenshot(page, "stacks-empty-desktop");
            await page.locator("#stacks-empty").getByRole("link", { name: "New stack" }).click();
            await page.getByRole("heading", { level: 1, name: "New stack" }).waitFor();
            await editor(page, "compose").waitFor();
            assert.equal(
              await page.locator("#compose-text").isVisible(),
              false,
              "CodeMirror replaces the textarea",
            );
          });

          await step("2. a YAML error is shown at its line; fixed by typing", async () => {
            await page.locator("#stack-name").fill(name);
            const broken = composeFile(run, "hello").replace(
              "    environment:",
              "   environment:",
            );
            await replaceText(page, "compose", broken);
            await replaceText(page, "env", env);
            await page.locator("#stack-check").click();
            const problem = page.locator("#problem-list .problem").first();
            await problem.waitFor();
            assert.match(await problem.innerText(), /^line 4, column \d+/);
            await until(page, `document.querySelector(".cm-lint-marker-error") !== null`);
            assert.deepEqual(await markedLines(page), [4], "the error is marked on line 4");
            // The hidden textarea (what the form posts) follows the editor.
            assert.equal(await page.locator("#compose-text").inputValue(), broken);
            await screenshot(page, "stacks-editor-error");

            // Fix it as a user would: to line 4, then one more space of indent.
            await page.locator("#problem-list [data-jump-line]").first().click();
            await page.keyboard.press("Home");
            await page.keyboard.type(" ");
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
            const cli = await page.locator(".stack-op-cli").innerText();
            assert.match(cli, new RegExp(`cd \\S*${name} && docker compose up -d`));
            const { state, text } = await opOutcome(page);
            assert.equal(state, "done", text);
            assert.match(text, /Started|Running/, "compose's own lines are shown");
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
            assert.match(await overview.locator('tr[data-service="web"]').innerText(), /8080/);
            assert.match(await page.locator("#stack-compose").innerText(), /GREETING: hello/);
            assert.equal(await page.locator("#stack-history tr[data-version]").count(), 1);
            const logs = await page.locator("#stack-logs").getAttribute("href");
            assert.ok(logs?.includes(`${name}-web-1`), `logs link: ${logs}`);
            await screenshot(page, "stacks-page-desktop");
          });

          await step(
            "5. edit one service: the preview recreates only it, then deploy",
            async () => {
              await page.locator("#stack-edit").click();
              await page.getByRole("heading", { level: 1, name: `Edit ${name}` }).waitFor();
              await editor(page, "compose").waitFor();
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

          await step("6. history: two versions and the diff between them", async () => {
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

          await step("7. restore the first version: a redeploy, confirmed", async () => {
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

          await step("8. phone and dark mode: readable, nothing sticks out", async () => {
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
              await screenshot(night, shot);
            }
            const editorBg = await night.evaluate<string>(
              `getComputedStyle(document.querySelector(".cm-editor")).backgroundColor`,
            );
            assert.equal(editorBg, "rgb(23, 30, 39)", "the editor follows the dark palette");
            await dark.close();
          });

          await step("9. down with its volumes, after a clear warning", async () => {
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
      await composeDown(name);
    }
  },
});

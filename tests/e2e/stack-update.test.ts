/**
 * End-to-end: updating a stack from its page in headless Chromium, against the real daemon,
 * Compose v2 and the local registry.
 *
 * A stack of two services runs; a new image of one is pushed and the update check finds it.
 * The user sees "update available" in the list and on the stack's page, clicks Update and
 * watches it live (pull, compose, the health gate) to "Updated", with the services and history
 * cards following. Then a new image that exits: Update again, and the page says it was rolled
 * back, why, with the service's last log lines, and Docker runs the previous image again. On a
 * phone: the page fits, and an update that finds nothing new says so; the page in dark mode.
 * Screenshots: tests/output/screenshots/stack-update-*.png.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  assertNoHorizontalOverflow,
  browserRun,
  darkContext,
  screenshot,
  until,
  watchConsole,
} from "../helpers/browser.ts";
import type { Client } from "../helpers/client.ts";
import { dockerApi, removeLabeled, runId, TEST_LABEL } from "../helpers/docker.ts";
import { publish, type Variant } from "../helpers/publish.ts";
import { pushImage, removeImage, removeLabeledImages, tagImage } from "../helpers/registry.ts";
import { downProject, runRepo, STACK_ENV } from "../helpers/stack-update.ts";
import { EXITS_STDERR } from "../testbed/images.ts";

/** Pull, compose, a 3 s gate and, for a failure, the rollback: well under a minute. */
const UPDATE_MS = 90_000;

type Listed = { Id: string; ImageID: string; State: string; Labels: Record<string, string> };

/** The project's containers by service, straight from Docker. */
async function byService(project: string): Promise<Map<string, Listed>> {
  const filters = encodeURIComponent(
    JSON.stringify({ label: [`com.docker.compose.project=${project}`] }),
  );
  const list = await dockerApi<Listed[]>(`/containers/json?all=1&filters=${filters}`);
  return new Map(list.map((c) => [c.Labels["com.docker.compose.service"], c]));
}

/**
 * Two services on Docker's default bridge: a network of the project's own would add a host
 * interface, and Chromium aborts open requests when the host's addresses change.
 */
function composeFile(run: string, web: string, db: string): string {
  const common = `    restart: unless-stopped
    network_mode: bridge
    stop_grace_period: 1s
    labels: { ${TEST_LABEL}: "${run}" }`;
  return `services:\n  web:\n    image: ${web}\n${common}\n  db:\n    image: ${db}\n${common}\n`;
}

/** A new image pushed from elsewhere: this host keeps `ref` on `oldId` until it pulls. */
async function publishElsewhere(run: string, ref: string, variant: Variant, oldId: string) {
  const id = await publish(run, ref, variant);
  await tagImage(oldId, ref);
  await removeImage(id, true);
  return id;
}

/** Clicks Update, sees the live progress reach the gate, and waits for how it ended. */
async function runUpdate(
  page: Page,
  expectGate: boolean,
): Promise<{ outcome: string; text: string }> {
  await page.locator("#stack-update-button").click();
  await page.locator("#stack-op-card").waitFor();
  if (expectGate) {
    // Live: the gate's line shows while the card still runs.
    await until(
      page,
      `(() => {
        const p = document.querySelector("#stack-op-stream .stack-op-progress");
        return p !== null && p.innerText.includes("Health gate:");
      })()`,
      UPDATE_MS,
    );
  }
  const outcome = page.locator("#stack-op-outcome");
  await outcome.waitFor({ timeout: UPDATE_MS });
  return {
    outcome: (await outcome.getAttribute("data-outcome")) ?? "",
    text: await outcome.innerText(),
  };
}

async function checkUpdates(client: Client): Promise<void> {
  const r = await client.json("POST", "/api/v1/images/check-updates");
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

Deno.test({
  name: "e2e: stack update: update available, Update live to updated, a rollback, the phone",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const name = `${run}-upd`;
    const web = `${runRepo(run, "e2e-web")}:latest`;
    const db = `${runRepo(run, "e2e-db")}:latest`;
    // Each recreate changes the host's interfaces (a veth): Chromium may cut a request then.
    const browserErrors = watchConsole([], { warnings: true });
    try {
      await browserRun(
        t,
        { browserErrors, finalStep: 5, env: STACK_ENV },
        async ({ base, browser, client, phone, page, step }) => {
          let before = new Map<string, Listed>();
          let updatedWeb = "";

          await step("1. a new image is found: the list says update available", async () => {
            await publish(run, web, "web");
            await publish(run, db, "healthy");
            const created = await client.json("POST", "/api/v1/stacks", {
              name,
              compose: composeFile(run, web, db),
            });
            assert.equal(created.status, 201, JSON.stringify(created.body));
            for (const service of ["web", "db"]) {
              const r = await client.json(
                "PUT",
                `/api/v1/containers/${name}-${service}-1/update-policy`,
                { policy: "off", settleSeconds: 3, healthTimeoutSeconds: 30 },
              );
              assert.equal(r.status, 200, JSON.stringify(r.body));
            }
            before = await byService(name);
            updatedWeb = await publishElsewhere(run, web, "web", before.get("web")!.ImageID);
            await checkUpdates(client);
            await page.goto(`${base}/stacks`);
            const row = page.locator(`#stack-row-${name}`);
            assert.match(await row.innerText(), /update available/);
            await screenshot(page, "stack-update-list");
          });

          await step("2. Update: live progress to updated, the cards follow", async () => {
            await page.locator(`#stack-row-${name} a.stack-link`).click();
            await page.waitForURL(`${base}/stacks/${name}`);
            await page.locator("#stack-update-available").waitFor();
            const cli = await page.locator("#stack-update code.cli-mini").innerText();
            assert.match(cli, new RegExp(`^cd \\S*/${name} && docker compose pull && `));
            const versions = await page.locator("#stack-history tr[data-version]").count();
            const { outcome, text } = await runUpdate(page, true);
            assert.equal(outcome, "updated", text);
            assert.match(text, /docker compose up -d --no-deps --pull never web/);
            assert.match(text, /Updated: every recreated service passed its health gate/);
            assert.match(text, /web\s+\S+e2e-web:latest/);
            const now = await byService(name);
            assert.equal(now.get("web")!.ImageID, updatedWeb);
            assert.notEqual(now.get("web")!.Id, before.get("web")!.Id);
            assert.equal(now.get("db")!.Id, before.get("db")!.Id, "db untouched");
            // Out of band: the history has the update, the services card its new container.
            assert.equal(
              await page.locator("#stack-history tr[data-version]").count(),
              versions + 1,
            );
            assert.match(
              await page.locator("#stack-history tr[data-version]").first().innerText(),
              /Update[\s\S]*applied/,
            );
            await screenshot(page, "stack-update-updated-desktop");
          });

          await step("3. a new image that exits: rolled back, why, its last lines", async () => {
            await publishElsewhere(run, web, "exits", updatedWeb);
            await page.reload();
            const { outcome, text } = await runUpdate(page, true);
            assert.equal(outcome, "rolled-back", text);
            assert.match(text, /Rolled back: web: the new container \S+ (restarted|exited)/);
            assert.match(text, /Every service is back on the image it ran before/);
            assert.match(
              text,
              new RegExp(`web .*tried \\w{12}, back on ${updatedWeb.slice(7, 19)}`),
            );
            const logs = page.locator("#stack-op-outcome .failed-logs pre");
            assert.match(await logs.innerText(), new RegExp(EXITS_STDERR));
            const now = await byService(name);
            assert.equal(now.get("web")!.ImageID, updatedWeb, "web runs the image before");
            assert.equal(now.get("web")!.State, "running");
            assert.match(
              await page.locator("#stack-history tr[data-version]").first().innerText(),
              /Update[\s\S]*rolled-back/,
            );
            await screenshot(page, "stack-update-rolled-back-desktop");
          });

          await step("4. on a phone: it fits; nothing new is up to date", async () => {
            const mobile = await phone.newPage();
            await mobile.goto(`${base}/stacks/${name}`);
            await assertNoHorizontalOverflow(mobile, "the stack page");
            await screenshot(mobile, "stack-update-page-phone");
            // The registry still has the image that exits; put the one that runs back there.
            await tagImage(updatedWeb, web);
            await pushImage(web);
            const { outcome, text } = await runUpdate(mobile, false);
            assert.equal(outcome, "up-to-date", text);
            assert.match(
              text,
              /Up to date: every service runs the image its reference names already\. Nothing/,
            );
            await assertNoHorizontalOverflow(mobile, "the update's outcome");
            await screenshot(mobile, "stack-update-up-to-date-phone");
            const darkMode = await darkContext(browser, browserErrors, client);
            const dark = await darkMode.newPage();
            await dark.goto(`${base}/stacks/${name}`);
            await dark.locator("#stack-update-button").waitFor();
            await screenshot(dark, "stack-update-page-dark");
            await darkMode.close();
          });
        },
      );
    } finally {
      await downProject(name);
      await removeLabeled(run);
      await removeLabeledImages(run);
    }
  },
});

/**
 * End-to-end: edit, history and adopt in headless Chromium against the real daemon.
 *
 * A user adopts a container made with the CLI, edits its env and port (the diff follows the
 * typing), watches the recreate's steps stream in, then tries a port that is taken and sees the
 * rollback explained with the container untouched, compares versions in the history and restores
 * the first one. Then the pages on a 375 px phone. Screenshots: tests/output/screenshots/recreate-*.png.
 *
 * Needs the test bed (tests/testbed/up.sh) and /usr/bin/chromium. Run:
 *   deno task vendor && deno test -A tests/e2e/recreate.test.ts
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  APPLIED_STEP_LABELS,
  browserRun,
  type ExpectedFailure,
  overflowChecks,
  screenshot,
  until,
  watchConsole,
} from "../helpers/browser.ts";
import { dockerApi, removeLabeled, runId, runLabeled } from "../helpers/docker.ts";
import { freePort } from "../helpers/server.ts";
import { images } from "../testbed/images.ts";

/** A recreate stops the old container and waits a settle time (3 s) for the new one. */
const RECREATE_MS = 30_000;

type Inspect = {
  Id: string;
  State: { Running: boolean };
  Config: { Env: string[]; Labels: Record<string, string> | null };
  HostConfig: { PortBindings: Record<string, { HostPort: string }[]> | null };
};

function inspect(name: string): Promise<Inspect> {
  return dockerApi<Inspect>(`/containers/${name}/json`);
}

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `recreate-${name}`);
}

/** Replaces a textarea's text the way a user would (select all, type). */
async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).fill(text);
  await page.locator(selector).dispatchEvent("input");
}

Deno.test({
  name: "e2e: adopt, edit with diff and live steps, rollback explained, history restore",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const name = `e2e-${run}-app`;
    const [p1, p2] = [freePort(), freePort()];
    // A host program, not a container, holds this port: only the new container's start finds
    // out (a port another container publishes is refused before anything changes).
    const holder = Deno.listen({ hostname: "0.0.0.0", port: freePort() });
    const taken = (holder.addr as Deno.NetAddr).port;
    const blocker = `e2e-${run}-blocker`;
    const published = freePort();
    // The edit refused for a port another container publishes answers 409 (a rollback is a 200).
    const expected: ExpectedFailure[] = [{ status: 409, path: `/containers/${name}/edit` }];
    const browserErrors = watchConsole(expected, { warnings: true });
    try {
      await runLabeled(run, name, [
        "-e",
        "GREETING=hello",
        "-p",
        `${p1}:8080`,
        images.web,
      ]);
      await runLabeled(run, blocker, [
        "-p",
        `${published}:8080`,
        images.web,
      ]);
      const original = await inspect(name);
      await browserRun(
        t,
        { browserErrors, finalStep: 6 },
        async ({ base, phone, page, step }) => {
          await step("1. adopt an external container from its page", async () => {
            await page.goto(`${base}/containers/${name}`);
            await page.locator(".badge-external").waitFor();
            await page.locator("#detail-adopt").click();
            await page.getByRole("heading", { level: 1, name: `Adopt ${name}` }).waitFor();
            await shot(page, "adopt");
            await page.locator("#adopt-tags").fill("web");
            await page.locator("#adopt-submit").click();
            await page.waitForURL((u) => u.pathname === `/containers/${name}`);
            await page.locator("#detail-edit").waitFor();
            assert.equal(await page.locator(".badge-external").count(), 0, "managed now");
            assert.equal(await page.locator("#detail-adopt").count(), 0);
            assert.equal((await inspect(name)).Id, original.Id, "adopting did not recreate it");
          });

          await step("2. edit env and port: the diff follows, the steps stream in", async () => {
            await page.locator("#detail-edit").click();
            await page.getByRole("heading", { level: 1, name: `Edit ${name}` }).waitFor();
            assert.equal(await page.locator("#edit-env").inputValue(), "GREETING=hello");
            assert.equal(await page.locator("#edit-ports").inputValue(), `${p1}:8080`);
            await typeInto(page, "#edit-env", "GREETING=bonjour\nEXTRA=1");
            await typeInto(page, "#edit-ports", `${p2}:8080`);
            await page.locator("#edit-preview .diff-added", { hasText: "GREETING=bonjour" })
              .waitFor();
            await page.locator("#edit-preview .diff-removed", { hasText: `${p1}:8080` })
              .waitFor();
            await shot(page, "edit-diff");
            await page.locator("#edit-submit").click();
            await page.locator("#recreate-op").waitFor();
            await page.locator('.recreate-outcome[data-outcome="applied"]')
              .waitFor({ timeout: RECREATE_MS });
            const labels = await page.locator(".recreate-steps .step-label").allInnerTexts();
            assert.deepEqual(labels, APPLIED_STEP_LABELS);
            assert.match(
              await page.locator(".recreate-steps").innerText(),
              new RegExp(`docker rename ${name} ${name}-dm-old-\\d+`),
            );
            await shot(page, "edit-applied");
            const now = await inspect(name);
            assert.notEqual(now.Id, original.Id);
            assert.ok(now.Config.Env.includes("GREETING=bonjour"));
            assert.equal(now.HostConfig.PortBindings?.["8080/tcp"]?.[0].HostPort, String(p2));
            assert.equal(now.Config.Labels?.["com.dockermate.managed"], "true");
            assert.equal(now.Config.Labels?.["com.dockermate.tags"], "web");
          });

          await step("3. a port that is taken: refused at the field, or rolled back", async () => {
            const before = await inspect(name);
            // Another container publishes it: the form says so, nothing is touched.
            await page.goto(`${base}/containers/${name}/edit`);
            await typeInto(page, "#edit-ports", `${published}:8080`);
            await page.locator("#edit-submit").click();
            await page.locator("#ports-error", {
              hasText: `host port ${published}/tcp is already published by container "${blocker}"`,
            }).waitFor();
            assert.equal(await page.locator("#edit-ports").inputValue(), `${published}:8080`);
            assert.equal(await page.locator("#recreate-op").count(), 0, "no recreate started");
            await shot(page, "edit-refused");
            assert.equal((await inspect(name)).Id, before.Id);
            // A host program holds it: only the start finds out, and the old one comes back.
            await page.goto(`${base}/containers/${name}/edit`);
            await typeInto(page, "#edit-ports", `${taken}:8080`);
            await page.locator("#edit-preview .diff-added", { hasText: `${taken}:8080` })
              .waitFor();
            await page.locator("#edit-submit").click();
            await page.locator('.recreate-outcome[data-outcome="rolled-back"]')
              .waitFor({ timeout: RECREATE_MS });
            const outcome = await page.locator(".recreate-outcome .alert").innerText();
            assert.match(
              outcome,
              /Rolled back: .*(address already in use|port is already allocated)/,
            );
            assert.match(outcome, /The old container is back as it was/);
            await shot(page, "edit-rolled-back");
            const after = await inspect(name);
            assert.equal(after.Id, before.Id);
            assert.equal(after.State.Running, true);
          });

          await step("4. history: compare versions, restore the first one", async () => {
            await page.goto(`${base}/containers/${name}/history`);
            await page.getByRole("heading", { level: 1, name: `History of ${name}` }).waitFor();
            const rows = page.locator(".history-table tbody tr");
            assert.equal(await rows.count(), 3, "adopt, edit, failed edit");
            assert.match(await rows.nth(0).innerText(), /rolled-back/);
            assert.match(await rows.nth(2).innerText(), /Adopted/);
            const adoptId = (await rows.nth(2).getAttribute("id"))!.replace("history-", "");
            await page.goto(`${base}/containers/${name}/history?from=${adoptId}&to=current`);
            await page.locator("#history-diff .diff-removed", { hasText: "GREETING=hello" })
              .waitFor();
            await page.locator("#history-diff .diff-added", { hasText: "GREETING=bonjour" })
              .waitFor();
            await shot(page, "history");
            await page.locator(`#history-${adoptId} a`, { hasText: "Restore this version" })
              .click();
            await page.locator("#restore-submit").click();
            await page.locator('.recreate-outcome[data-outcome="applied"]')
              .waitFor({ timeout: RECREATE_MS });
            await until(page, `document.querySelector(".recreate-outcome") !== null`);
            const now = await inspect(name);
            assert.ok(now.Config.Env.includes("GREETING=hello"));
            assert.equal(now.HostConfig.PortBindings?.["8080/tcp"]?.[0].HostPort, String(p1));
          });

          await step("5. on a phone: edit and history fit the screen", async () => {
            const small = await phone.newPage();
            const checks = overflowChecks(small);
            await small.goto(`${base}/containers/${name}/edit`);
            await small.locator("#edit-form").waitFor();
            await checks.measure("edit page");
            await screenshot(small, "recreate-phone-edit");
            await small.goto(`${base}/containers/${name}/history`);
            await small.locator(".history-table").waitFor();
            await checks.measure("history page");
            await screenshot(small, "recreate-phone-history");
            await small.close();
            checks.assertNone();
          });
        },
      );
    } finally {
      holder.close();
      await removeLabeled(run);
    }
  },
});

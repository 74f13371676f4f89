/**
 * End-to-end: safe updates in headless Chromium against the real daemon and the local registry.
 *
 * A container follows a tag of a repository of this run's own on 127.0.0.1:5000. The user sets
 * its settle time in the Updates card, updates it to a healthy new image (the steps stream in),
 * then to one that exits at once and sees the rollback explained with the failed container's
 * last lines, rolls back to the first image by ID, changes the version from the registry's tag
 * list, and runs Update all, where a prod-tagged container is skipped until confirmed. Then the
 * pages on a 375 px phone. Screenshots: tests/output/screenshots/updates-*.png.
 *
 * Needs the test bed (tests/testbed/up.sh) and /usr/bin/chromium. Run:
 *   deno task vendor && deno test -A tests/e2e/updates.test.ts
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  APPLIED_STEP_LABELS,
  browserRun,
  docScreenshots,
  type ExpectedFailure,
  overflowChecks,
  screenshot,
  SCREENSHOTS,
  watchConsole,
} from "../helpers/browser.ts";
import { docker, dockerApi, removeLabeled, runId, runLabeled } from "../helpers/docker.ts";
import { deleteFromRegistry } from "../helpers/registry.ts";
import {
  dockerCli,
  EXITS_CODE,
  EXITS_STDERR,
  images,
  NAMESPACE,
  REGISTRY,
  REGISTRY_URL,
} from "../testbed/images.ts";

/** Pull, stop, recreate and a health gate of a few seconds, on a busy 2-core machine. */
const UPDATE_MS = 90_000;

type Inspect = {
  Id: string;
  Image: string;
  State: { Running: boolean };
  Config: { Image: string; Labels: Record<string, string> | null };
};

function inspect(name: string): Promise<Inspect> {
  return dockerApi<Inspect>(`/containers/${name}/json`);
}

async function imageId(ref: string): Promise<string> {
  return await docker(["image", "inspect", "--format", "{{.Id}}", ref]);
}

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `updates-${name}`);
}

/** The per-run repository's tags, made from the test bed's images, and what was pushed. */
class RunRepo {
  readonly path: string;
  readonly repo: string;
  readonly #tags = new Set<string>();
  readonly #digests: string[] = [];

  constructor(run: string) {
    this.path = `${NAMESPACE}/upd-${run}`;
    this.repo = `${REGISTRY}/${this.path}`;
  }

  ref(tag: string): string {
    return `${this.repo}:${tag}`;
  }

  /** Makes `repo:tag` point at `source` here and at the registry. */
  async publish(source: string, tag: string): Promise<void> {
    await docker(["tag", source, this.ref(tag)]);
    this.#tags.add(tag);
    const out = await docker(["push", this.ref(tag)]);
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(out)?.[1];
    if (!digest) throw new Error(`no digest in docker push output: ${out}`);
    this.#digests.push(digest);
  }

  /** Untags this run's references (the test bed's images keep theirs) and empties the repository. */
  async remove(): Promise<void> {
    for (const tag of this.#tags) await dockerCli(["rmi", this.ref(tag)]);
    await deleteFromRegistry(REGISTRY_URL, this.path, this.#digests);
  }
}

/** The `value` of every element `selector` matches, in order. */
async function values(page: Page, selector: string): Promise<string[]> {
  const all = await page.locator(selector).all();
  return await Promise.all(all.map(async (e) => (await e.getAttribute("value")) ?? ""));
}

/** The names of the steps shown, in order. */
async function stepLabels(page: Page): Promise<string[]> {
  return await page.locator(".recreate-outcome .recreate-steps .step-label").allInnerTexts();
}

Deno.test({
  name: "e2e: update, rollback explained, roll back by id, change version, update all with prod",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const repo = new RunRepo(run);
    const name = `upd-${run}-app`;
    const web = `upd-${run}-web`;
    const prod = `upd-${run}-prod`;
    const mine = new Set([name, web, prod]);
    // The one error status on purpose: a settle time out of range (a rollback is a 200).
    const expected: ExpectedFailure[] = [{
      status: 400,
      path: `/containers/${name}/update-policy`,
    }];
    const browserErrors = watchConsole(expected, { warnings: true });
    const [v1, v2, exits] = await Promise.all([
      imageId(images.appV1),
      imageId(images.appV2),
      imageId(images.exits),
    ]);
    try {
      await repo.publish(images.appV1, "latest");
      await repo.publish(images.appV1, "v1");
      await repo.publish(images.appV2, "v2");
      await repo.publish(images.appV1, "stable");
      for (const [n, tag] of [[name, "latest"], [web, "stable"], [prod, "stable"]]) {
        await runLabeled(run, n, [repo.ref(tag)]);
      }
      await browserRun(
        t,
        { browserErrors, finalStep: 9 },
        async ({ base, client, phone, page, step }) => {
          const card = page.locator("#updates-card");
          // The phone's checks are measured along the way and asserted in step 8.
          const small = await phone.newPage();
          const checks = overflowChecks(small);
          const onPhone = async (path: string, ready: string, label: string) => {
            await small.goto(`${base}${path}`);
            await small.locator(ready).waitFor();
            await checks.measure(`${label} page`);
            await screenshot(small, `updates-phone-${label}`);
          };
          const openCard = async () => {
            await page.goto(`${base}/containers/${name}`);
            await card.locator("#policy-form").waitFor();
          };

          await step(
            "1. the Updates card: what it follows; the settle time set in its form",
            async () => {
              await openCard();
              assert.match(
                await card.locator(".facts").innerText(),
                new RegExp(repo.ref("latest")),
              );
              assert.equal(
                await card.locator("#update-rollback").count(),
                0,
                "nothing to roll back",
              );
              assert.match(
                await card.locator(".cli").textContent() ?? "",
                new RegExp(`docker pull ${repo.ref("latest")}`),
              );
              assert.ok(await card.locator("#policy-off").isChecked(), "off by default");
              await card.locator("#policy-settle").fill("0");
              await card.locator("#policy-save").click();
              await page.locator("#policy-settle-error").waitFor();
              assert.match(
                await page.locator("#policy-settle-error").innerText(),
                /must be 1 to 600 seconds/,
              );
              await page.locator("#policy-settle").fill("2");
              await page.locator("#policy-save").click();
              await page.locator("#policy-saved").waitFor();
              await shot(page, "card");
              const policy = await client.json("GET", `/api/v1/containers/${name}/update-policy`);
              assert.deepEqual(policy.body, {
                policy: "off",
                settleSeconds: 2,
                healthTimeoutSeconds: 120,
              });
              // The same form without JavaScript: a redirect back, or the error on a page.
              const url = `/containers/${name}/update-policy`;
              const form = { policy: "notify", settleSeconds: "2", healthTimeoutSeconds: "4" };
              const refused = await client.text("POST", url, { form });
              assert.equal(refused.status, 400);
              assert.match(refused.body, /must be 5 to 3600 seconds/);
              const saved = await client.text("POST", url, {
                form: { ...form, policy: "off", healthTimeoutSeconds: "120" },
              });
              assert.equal(saved.status, 303);
              assert.equal(saved.res.headers.get("location"), `/containers/${name}`);
            },
          );

          let updatedId = "";
          await step("2. Update to a healthy new image: the steps stream in, updated", async () => {
            const before = await inspect(name);
            assert.equal(before.Image, v1);
            // Something in its log, kept with the history entry as the previous container's.
            await docker(["exec", name, "sh", "-c", "echo v1 says goodbye > /proc/1/fd/1"]);
            await repo.publish(images.appV2, "latest");
            await openCard();
            await card.locator("#update-now").click();
            await page.getByRole("heading", { level: 1, name: `Update ${name}` }).waitFor();
            await page.locator("#recreate-op").waitFor();
            await page.locator('.recreate-outcome[data-outcome="applied"]').waitFor({
              timeout: UPDATE_MS,
            });
            assert.deepEqual(await stepLabels(page), ["Pulled the image", ...APPLIED_STEP_LABELS]);
            const steps = await page.locator(".recreate-outcome .recreate-steps").innerText();
            assert.match(steps, new RegExp(`docker pull ${repo.ref("latest")}`));
            assert.match(steps, new RegExp(`docker rename ${name} ${name}-dm-old-\\d+`));
            const outcome = await page.locator(".recreate-outcome .alert").innerText();
            assert.match(outcome, new RegExp(`Updated ${name} to ${repo.ref("latest")}`));
            assert.match(outcome, new RegExp(v2.slice(7, 19)));
            await shot(page, "updated");
            const after = await inspect(name);
            assert.equal(after.Image, v2, "runs the new image");
            assert.notEqual(after.Id, before.Id);
            assert.equal(after.State.Running, true);
            const old = await dockerCli(["inspect", before.Id]);
            assert.notEqual(old.code, 0, "the old container is gone");
            const parked = await dockerApi<unknown[]>(
              `/containers/json?all=1&filters=${
                encodeURIComponent(JSON.stringify({ name: [`${name}-dm-old`] }))
              }`,
            );
            assert.deepEqual(parked, [], "no parked container left");
            updatedId = after.Id;
          });

          await step("3. Update to an image that exits: rolled back and explained", async () => {
            await repo.publish(images.exits, "latest");
            await openCard();
            await card.locator("#update-now").click();
            await page.locator('.recreate-outcome[data-outcome="rolled-back"]').waitFor({
              timeout: UPDATE_MS,
            });
            const outcome = await page.locator(".recreate-outcome .alert").innerText();
            assert.match(outcome, new RegExp(`Rolled back: .*exited with code ${EXITS_CODE}`));
            assert.match(outcome, /The old container is back as it was/);
            assert.match(await page.locator(".failed-logs").innerText(), new RegExp(EXITS_STDERR));
            await shot(page, "rolled-back");
            await docScreenshots(page, "update-rolled-back");
            const now = await inspect(name);
            assert.equal(now.Id, updatedId, "the container from before the update, same id");
            assert.equal(now.Image, v2);
            assert.equal(now.State.Running, true);
            assert.notEqual(now.Image, exits);
          });

          await step(
            "4. history: both updates, the failed run's lines, the previous container's log",
            async () => {
              await page.goto(`${base}/containers/${name}/history`);
              const rows = page.locator(".history-table tbody tr");
              assert.equal(await rows.count(), 2);
              assert.match(await rows.nth(0).innerText(), /Update[\s\S]*rolled-back/);
              assert.match(await rows.nth(1).innerText(), /Update[\s\S]*applied/);
              await rows.nth(1).locator(".previous-logs summary").click();
              assert.match(
                await rows.nth(1).locator(".previous-logs pre").innerText(),
                /v1 says goodbye/,
              );
              await shot(page, "history");
            },
          );

          await step("5. Roll back to the first image, by its ID", async () => {
            await openCard();
            await card.locator("#update-rollback").click();
            await page.getByRole("heading", { level: 1, name: `Roll back ${name}` }).waitFor();
            const target = await page.locator("#rollback-target").innerText();
            assert.match(target, new RegExp(v1.slice(7, 19)), "names the image ID it returns to");
            await page.locator("#rollback .diff-added", { hasText: v1 }).waitFor();
            await shot(page, "rollback-confirm");
            await page.locator("#rollback-submit").click();
            await page.locator('.recreate-outcome[data-outcome="applied"]').waitFor({
              timeout: UPDATE_MS,
            });
            assert.match(
              await page.locator(".recreate-outcome .alert").innerText(),
              new RegExp(`Rolled ${name} back to .*${v1.slice(7, 19)}`),
            );
            const now = await inspect(name);
            assert.equal(now.Image, v1);
            assert.equal(now.Config.Image, v1, "pinned by ID, so the moved tag cannot change it");
            assert.equal(now.Config.Labels?.["com.dockermate.follows"], repo.ref("latest"));
            await openCard();
            assert.match(await card.locator(".facts").innerText(), /by ID since a rollback/);
            assert.equal(await card.locator("#update-rollback").count(), 0, "rolled back already");
          });

          await step("6. Change version from the registry's tags", async () => {
            await card.locator("#update-retag").click();
            await page.getByRole("heading", { level: 1, name: `Change the version of ${name}` })
              .waitFor();
            assert.equal(await page.locator("#retag-current").innerText(), "latest");
            const options = await values(page, "#retag-tag option");
            assert.deepEqual([...options].sort(), ["latest", "stable", "v1", "v2"]);
            assert.ok(options.indexOf("v2") < options.indexOf("v1"), `newest first: ${options}`);
            await shot(page, "retag");
            await page.locator("#retag-tag").selectOption("v2");
            await page.locator("#retag-submit").click();
            await page.locator('.recreate-outcome[data-outcome="applied"]').waitFor({
              timeout: UPDATE_MS,
            });
            assert.match(
              await page.locator(".recreate-outcome .alert").innerText(),
              new RegExp(`Updated ${name} to ${repo.ref("v2")}`),
            );
            const now = await inspect(name);
            assert.equal(now.Config.Image, repo.ref("v2"));
            assert.equal(now.Image, v2);

            // Nothing new under v2: up to date, nothing touched.
            await openCard();
            await card.locator("#update-now").click();
            await page.locator('.recreate-outcome[data-outcome="up-to-date"]')
              .waitFor({ timeout: UPDATE_MS });
            assert.match(
              await page.locator(".recreate-outcome .alert").innerText(),
              new RegExp(`${name} is up to date: .*Nothing was changed`),
            );
            assert.deepEqual(await stepLabels(page), ["Pulled the image"]);
            assert.equal((await inspect(name)).Id, now.Id, "the same container");
          });

          await step("7. Update all: prod skipped until confirmed", async () => {
            for (const n of [web, prod]) {
              const r = await client.json("PUT", `/api/v1/containers/${n}/update-policy`, {
                policy: "off",
                settleSeconds: 2,
                healthTimeoutSeconds: 120,
              });
              assert.equal(r.status, 200, JSON.stringify(r.body));
            }
            const tagged = await client.json("PUT", `/api/v1/containers/${prod}/tags`, {
              tags: ["prod"],
            });
            assert.equal(tagged.status, 200, JSON.stringify(tagged.body));
            await repo.publish(images.appV2, "stable");
            await page.goto(`${base}/containers?all=1`);
            await page.locator("#check-updates").click();
            // The check's end refreshes the list, which then offers Update all.
            await page.locator("#update-all-link").waitFor({ timeout: 60_000 });
            assert.match(
              await page.locator("#update-all-link").innerText(),
              /^Update all \(\d+\)$/,
            );
            await shot(page, "list");
            await page.locator("#update-all-link").click();
            await page.getByRole("heading", { level: 1, name: "Update all" }).waitFor();
            const listed = () => values(page, "#update-all-form input[name=names]");
            const first = await listed();
            assert.ok(first.includes(web) && first.includes(prod), `listed: ${first}`);
            assert.equal(await page.locator(`li[data-name="${prod}"] .badge-prod`).count(), 1);
            assert.equal(await page.locator(`li[data-name="${web}"] .badge-prod`).count(), 0);
            // Containers of other tests on the shared daemon may be listed too: leave them be.
            for (const n of first.filter((n) => !mine.has(n))) {
              await page.locator(`#update-all-form input[value="${n}"]`).uncheck();
            }
            await shot(page, "update-all-confirm");
            await onPhone("/containers/update-all", "#update-all-form", "update-all");
            await page.locator("#update-all-submit").click();
            await page.locator("#update-all-summary").waitFor({ timeout: UPDATE_MS * 2 });
            assert.equal(
              await page.locator(`.update-all-results li[data-name="${web}"]`).getAttribute(
                "data-outcome",
              ),
              "updated",
            );
            assert.equal(
              await page.locator(`.update-all-results li[data-name="${prod}"]`).getAttribute(
                "data-outcome",
              ),
              "skipped",
            );
            assert.match(
              await page.locator("#update-all-summary").innerText(),
              /1 updated, 0 up to date, 0 rolled back, 1 skipped, 0 failed/,
            );
            await shot(page, "update-all-done");
            assert.equal((await inspect(web)).Image, v2);
            assert.equal((await inspect(prod)).Image, v1, "prod left alone");

            await page.goto(`${base}/containers/update-all`);
            for (const n of (await listed()).filter((n) => n !== prod)) {
              await page.locator(`#update-all-form input[value="${n}"]`).uncheck();
            }
            await page.locator("#confirm-prod").check();
            await page.locator("#update-all-submit").click();
            await page.locator("#update-all-summary").waitFor({ timeout: UPDATE_MS });
            assert.equal(
              await page.locator(`.update-all-results li[data-name="${prod}"]`).getAttribute(
                "data-outcome",
              ),
              "updated",
            );
            assert.match(
              await page.locator("#update-all-summary").innerText(),
              /^1 updated, 0 up to date, 0 rolled back, 0 skipped, 0 failed$/,
            );
            assert.equal((await inspect(prod)).Image, v2, "prod updated once confirmed");
          });

          await step("8. on a phone: the card and the update pages fit the screen", async () => {
            await onPhone(`/containers/${name}`, "#policy-form", "card");
            await small.locator("#updates-card").screenshot({
              path: `${SCREENSHOTS}/updates-phone-card-only.png`,
              caret: "initial",
            });
            await onPhone(`/containers/${name}/retag`, "#retag-form", "retag");
            await onPhone(`/containers/${name}/rollback`, "#rollback", "rollback");
            await onPhone(`/containers/${name}/history`, ".history-table", "history");
            await small.close();
            checks.assertNone();
          });
        },
      );
    } finally {
      await removeLabeled(run);
      await repo.remove();
    }
  },
});

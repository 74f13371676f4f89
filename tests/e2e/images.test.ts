/**
 * End-to-end: the images pages in headless Chromium against the real daemon and registry.
 *
 * A user pulls an image through the form and watches its layers come in, finds it in the list,
 * tags it and removes it through the confirmation; previews a prune (every image listed, the
 * total shown) and confirms it; turns the automatic prune on; and, after a new version is pushed
 * under a tag a container runs, clicks "Check for updates" and sees the row's badge. The list is
 * then checked on a 375 px phone and in the dark theme. Screenshots: tests/output/screenshots/
 * images-*.png.
 *
 * Needs the test bed (tests/testbed/up.sh) and /usr/bin/chromium. Run:
 *   deno task vendor && deno test -A tests/e2e/images.test.ts
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  browserRun,
  darkContext,
  overflowChecks,
  pathOf,
  screenshot,
  watchConsole,
} from "../helpers/browser.ts";
import { docker, dockerApi, removeLabeled, runId, runLabeled } from "../helpers/docker.ts";
import {
  autoPruneOff,
  imageExists,
  loadOldImage,
  pushFreshImage,
  testbedAgeDays,
} from "../helpers/images.ts";
import { removeLabeledImages } from "../helpers/registry.ts";
import { images as testbed, REGISTRY } from "../testbed/images.ts";

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `images-${name}`);
}

async function imageId(ref: string): Promise<string> {
  return (await dockerApi<{ Id: string }>(`/images/${encodeURIComponent(ref)}/json`)).Id;
}

const short = (id: string) => id.slice(7, 19);

/** Records what `#selector` shows each time it changes, into `window.__log`. */
async function recordText(page: Page, selector: string): Promise<void> {
  await page.evaluate(`(() => {
    const log = window.__log = [];
    const area = document.querySelector(${JSON.stringify(selector)});
    new MutationObserver(() => log.push(area.innerText))
      .observe(area, { subtree: true, childList: true, characterData: true });
  })()`);
}

Deno.test({
  name: "e2e: images: pull with progress, tag, remove, prune, auto-prune, update badge",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const pullRef = `${REGISTRY}/dockermate-test/e2e-img-${run}:v1`;
    const updRef = `${REGISTRY}/dockermate-test/e2e-upd-${run}:latest`;
    const browserErrors = watchConsole([], { warnings: true });
    try {
      // In the registry only: pulling it downloads a layer of 8 MiB.
      await pushFreshImage(run, pullRef, 8192);
      const days = Math.max(1, Math.ceil(await testbedAgeDays()) + 1);

      await browserRun(
        t,
        { browserErrors, finalStep: 6 },
        async ({ base, browser, client, phone, page, step }) => {
          await step("1. pull through the form: each layer's progress, then the list", async () => {
            await page.goto(`${base}/images`);
            await page.getByRole("heading", { level: 1, name: "Images" }).waitFor();
            await recordText(page, "#pull-result");
            await page.locator("#pull-image").fill(pullRef);
            await page.locator("#pull-submit").click();
            const done = page.locator(`#pull-result [data-outcome="done"]`);
            await done.waitFor({ timeout: 60_000 });
            const shown = (await page.evaluate<string[]>("window.__log")).join("\n");
            // A layer seen while it was still coming (not only its end), and one the host had.
            assert.match(
              shown,
              /[0-9a-f]{12}\s+(Pulling fs layer|Downloading|Download complete|Extracting|Verifying)/,
              shown,
            );
            assert.match(shown, /[0-9a-f]{12}\s+Pull complete/, shown);
            assert.match(shown, /[0-9a-f]{12}\s+Already exists/, shown);
            assert.match(await done.innerText(), new RegExp(`Pulled ${pullRef}`));
            assert.ok((await done.locator("li.layer-done progress").count()) >= 2);
            assert.match(
              await page.locator("#pull-op pre").innerText(),
              new RegExp(`docker pull ${pullRef}`),
            );
            // The list shows it without a reload (the live stream), unused.
            const id = await imageId(pullRef);
            const row = page.locator(`#image-${short(id)}`);
            await row.waitFor();
            assert.match(await row.innerText(), new RegExp(pullRef));
            assert.match(await row.locator(".img-unused").innerText(), /Unused/);
            await shot(page, "pull-desktop");
          });

          await step("2. tag on the image page, then remove through the confirmation", async () => {
            const id = await imageId(pullRef);
            await page.locator("#pull-open").click();
            await page.waitForURL(`${base}/images/${id.slice(7)}`);
            await page.getByRole("heading", { level: 1, name: pullRef }).waitFor();
            assert.match(
              await page.locator("#image-layers").innerText(),
              /dd if=\/dev\/urandom|sh -c/,
            );
            await page.locator("#tag-tag").fill("copy");
            await page.locator("#tag-submit").click();
            const ok = page.locator("#tag .alert-ok");
            await ok.waitFor();
            const copy = pullRef.replace(/:v1$/, ":copy");
            assert.match(
              await ok.innerText(),
              new RegExp(`Tagged ${copy}.*docker tag ${pullRef} ${copy}`, "s"),
            );
            assert.equal(await imageId(copy), id);
            await shot(page, "detail-desktop");

            await page.locator("#remove-image").click();
            await page.waitForURL(`${base}/images/${id.slice(7)}/remove`);
            const confirm = page.locator("#confirm-remove-image");
            const rmi = await confirm.locator("pre").innerText();
            assert.match(rmi, /^docker rmi \S+ \S+$/);
            assert.ok(rmi.includes(` ${pullRef}`) && rmi.includes(` ${copy}`), rmi);
            await page.locator("#confirm-remove-image-button").click();
            await page.waitForURL(`${base}/images?removed=${short(id)}`);
            await page.locator(".alert-ok", { hasText: `Removed image ${short(id)}` }).waitFor();
            assert.equal(await imageExists(id), false);
            assert.equal(await page.locator(`#image-${short(id)}`).count(), 0);
          });

          await step("3. prune: the confirmation lists every image and the total", async () => {
            const a = await loadOldImage({ run, n: 1 });
            const b = await loadOldImage({ run, n: 2 });
            const keep = await loadOldImage({ run, n: 3 });
            await page.goto(`${base}/images?dangling=1`);
            await page.locator(`#image-${short(a)} .img-dangling`).waitFor();
            await page.locator("#prune-mode").selectOption("dangling");
            await page.locator("#prune-days").fill(String(days));
            await page.locator("#prune-preview").click();
            const plan = page.locator("#prune-plan");
            await plan.waitFor();
            for (const id of [a, b, keep]) await plan.locator(`li[data-id="${id}"]`).waitFor();
            const n = Number(await plan.getAttribute("data-count"));
            assert.equal(await plan.locator("ul.prune-list li").count(), n);
            assert.match(
              await plan.locator("h2").innerText(),
              new RegExp(`Remove ${n} images?, [\\d.]+\\w?i?B in total\\?`),
            );
            assert.match(
              await plan.locator("pre").innerText(),
              new RegExp(`until=${days * 24}h[\\s\\S]*docker rmi .*${short(a)}`),
            );
            for (const ref of Object.values(testbed)) {
              assert.equal(
                await plan.locator(`li[data-id="${await imageId(ref)}"]`).count(),
                0,
                ref,
              );
            }
            await shot(page, "prune-confirm-desktop");
            // Every image is checked; clearing a box keeps that image (the test keeps one of its
            // own, and any the host had before).
            const boxes = plan.locator('ul.prune-list input[name="ids"]');
            assert.equal(await boxes.count(), n);
            const others: string[] = [];
            for (const box of await boxes.all()) {
              assert.equal(await box.isChecked(), true);
              const id = await box.getAttribute("value");
              if (id !== a && id !== b) {
                others.push(id!);
                await box.uncheck();
              }
            }
            await page.locator("#prune-confirm").click();
            const results = page.locator("#prune-results");
            await results.waitFor();
            assert.equal(await results.locator(`[data-result="ok"]`).count(), 2);
            for (const id of [a, b]) assert.equal(await imageExists(id), false);
            for (const id of others) assert.equal(await imageExists(id), true, `${id} was kept`);
            await page.locator(`#image-${short(a)}`).waitFor({ state: "detached" });

            // The automatic policy: off by default, turned on here, saved; then off again,
            // whatever fails: left on, its daily run would prune the shared daemon's images.
            try {
              assert.equal(await page.locator("#auto-enabled").isChecked(), false);
              await page.locator("#auto-enabled").check();
              await page.locator("#auto-mode").selectOption("unused");
              await page.locator("#auto-days").fill("45");
              await page.locator("#auto-save").click();
              await page.locator("#auto-prune .saved").waitFor();
              assert.match(
                await page.locator("#auto-prune pre").innerText(),
                /docker image prune -a -f --filter until=1080h/,
              );
              const policy = await client.json<Record<string, unknown>>(
                "GET",
                "/api/v1/images/prune/policy",
              );
              const { lastRun: _lastRun, ...saved } = policy.body;
              assert.deepEqual(saved, { enabled: true, mode: "unused", days: 45 });
            } finally {
              await autoPruneOff(client);
            }
          });

          await step(
            "4. a new version pushed under a running tag: Check for updates, badge",
            async () => {
              await pushFreshImage(run, updRef, 64);
              const pulled = await client.json<{ id: string }>("POST", "/api/v1/images/pull", {
                image: updRef,
              });
              assert.equal(pulled.status, 200);
              const oldId = pulled.body.id;
              await runLabeled(run, `e2e-upd-${run}`, [
                updRef,
                "sleep",
                "600",
              ]);
              // Someone pushes v2 under the same tag; this host still has v1 under it.
              await pushFreshImage(run, updRef, 64).then(() => docker(["tag", oldId, updRef]));
              await page.goto(`${base}/images?q=${encodeURIComponent(`e2e-upd-${run}`)}`);
              const row = page.locator(`#image-${short(oldId)}`);
              await row.waitFor();
              assert.equal(await row.locator(".img-update").count(), 0);
              await page.locator("#check-updates").click();
              await row.locator(".img-update", { hasText: "Update available" }).waitFor({
                timeout: 30_000,
              });
              await page.locator("#total-updates", { hasText: /^[1-9]/ }).waitFor();
              await shot(page, "update-badge-desktop");
              assert.equal(pathOf(page), `/images?q=e2e-upd-${run}`);
            },
          );

          await step("5. phone and dark: the list fits, the table scrolls on its own", async () => {
            const small = await phone.newPage();
            const overflow = overflowChecks(small);
            await small.goto(`${base}/images`);
            await small.getByRole("heading", { level: 1, name: "Images" }).waitFor();
            await overflow.measure("images list");
            await shot(small, "list-phone");
            await small.locator("#prune-preview").click();
            await small.locator("#prune-plan").waitFor();
            await overflow.measure("prune confirmation");
            await small.goto(`${base}/images/${(await imageId(testbed.healthy)).slice(7)}`);
            await small.locator("#image-layers").waitFor();
            await overflow.measure("image page");
            await shot(small, "detail-phone");
            overflow.assertNone();
            const dark = await darkContext(browser, browserErrors, client);
            const darkPage = await dark.newPage();
            await darkPage.goto(`${base}/images`);
            await darkPage.locator("#images-table").waitFor();
            await shot(darkPage, "list-desktop-dark");
            await dark.close();
          });
        },
      );
    } finally {
      await removeLabeled(run);
      await removeLabeledImages(run);
      for (const ref of [pullRef, updRef]) await docker(["rmi", ref]).catch(() => {});
    }
  },
});

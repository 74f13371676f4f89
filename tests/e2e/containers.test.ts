/**
 * End-to-end: the container pages in headless Chromium against the real daemon.
 *
 * A user creates a container through the form (seeing the `docker run` preview follow their
 * typing and the image pull stream in), lands on its page with the "running" verdict, filters
 * the list (the URL follows, the back button restores), stops a container with its row button,
 * sees a row change live when the CLI stops another and a new one appear, tags and removes
 * containers in bulk through the confirmation, restores one from Deleted; the same pages are
 * then checked on a 375 px phone. Screenshots go to tests/output/screenshots/containers-*.png.
 *
 * Needs the test bed (tests/testbed/up.sh) and /usr/bin/chromium. Run:
 *   deno task vendor && deno test -A tests/e2e/containers.test.ts
 *
 * Over 500 lines on purpose: the tests of one feature stay together, each Deno.test stands alone,
 * and splitting would only spread their shared setup over several files.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import {
  browserRun,
  darkContext,
  docScreenshots,
  type ExpectedFailure,
  overflowChecks,
  pathOf,
  screenshot,
  watchConsole,
} from "../helpers/browser.ts";
import { setupAndLogin } from "../helpers/client.ts";
import { docker, inspect, removeLabeled, runLabeled, TEST_LABEL } from "../helpers/docker.ts";
import { freePort, startServer, type TestServer, waitFor } from "../helpers/server.ts";
import { dockerCli, images, REGISTRY } from "../testbed/images.ts";

/** The post-create watch lasts healthWindowSeconds (15 s by default) for an image without a
 * HEALTHCHECK, so the "running" verdict takes that long. */
const VERDICT_TIMEOUT_MS = 45_000;

/** A copy of the web image under a name no other test uses, removed locally so create pulls. */
const PULL_IMAGE = `${REGISTRY}/dockermate-test/e2e-pull:latest`;

/**
 * Chromium logs "Failed to load resource" for every 4xx answer; this test provokes one on
 * purpose (a create refused because the host port is taken: POST /containers). Anything else,
 * console warnings included, fails the test.
 */
const EXPECTED_FAILURES: ReadonlyArray<ExpectedFailure> = [
  { status: 409, path: "/containers" },
];

/** This test's screenshots are tests/output/screenshots/containers-*.png. */
async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `containers-${name}`);
}

async function containerId(name: string): Promise<string> {
  return await docker(["inspect", "-f", "{{.Id}}", name]);
}

Deno.test({
  name: "e2e: containers: create, list, filters, live rows, bulk, deleted (desktop and phone)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = crypto.randomUUID().slice(0, 8);
    const label = `${TEST_LABEL}=${run}`;
    const tag = `e2etag-${run}`;
    const names = {
      a: `e2e-${run}-web`,
      b: `e2e-${run}-cli`,
      c: `e2e-${run}-other`,
      d: `e2e-${run}-late`,
      x: `e2e-${run}-external`,
    };
    const ids: Record<string, string> = {};
    const browserErrors = watchConsole(EXPECTED_FAILURES, { warnings: true });
    try {
      // Made outside the app: two managed, one external.
      for (const n of [names.b, names.c]) {
        await runLabeled(run, n, [
          "--label",
          "com.dockermate.managed=true",
          images.web,
        ]);
        ids[n] = await containerId(n);
      }
      const portX = freePort();
      await runLabeled(run, names.x, [
        "-p",
        `${portX}:8080`,
        images.web,
      ]);
      ids[names.x] = await containerId(names.x);
      // An image of this run (the web image plus one layer) that exists only in the registry,
      // so that creating from it really pulls, layer by layer.
      await docker(["commit", "--change", `LABEL ${label}`, names.x, PULL_IMAGE]);
      await docker(["push", PULL_IMAGE]);
      await docker(["rmi", PULL_IMAGE]);

      await browserRun(
        t,
        { browserErrors, finalStep: 8 },
        async ({ base, client, browser, phone, page, step }) => {
          const portA = freePort();

          await step(
            "1. create through the form: live preview, pull progress, verdict",
            async () => {
              await page.goto(`${base}/containers/new`);
              await page.getByRole("heading", { level: 1, name: "Create container" }).waitFor();
              // Local images are offered for the image field.
              const offered = await Promise.all(
                (await page.locator("#image-options option").all()).map((o) =>
                  o.getAttribute("value")
                ),
              );
              assert.ok(offered.includes(images.web), `image list: ${offered.join(", ")}`);
              assert.ok(await page.locator("#c-autoStart").isChecked());
              assert.ok(await page.locator("#c-pullIfMissing").isChecked());
              assert.equal(await page.locator("#c-restartPolicy").inputValue(), "unless-stopped");

              const preview = page.locator("#run-preview");
              await page.locator("#c-image").fill(PULL_IMAGE);
              await preview.locator("pre", { hasText: PULL_IMAGE }).waitFor();
              await page.locator("#c-name").pressSequentially(names.a);
              await preview.locator("pre", { hasText: `--name ${names.a}` }).waitFor();
              // A bad port shows the problem instead of a command, naming the entry.
              await page.locator("#c-ports").fill(`${portA}:8080\n99999:80`);
              await preview.locator(".field-error", { hasText: "99999" }).waitFor();
              await page.locator("#c-ports").fill(`${portA}:8080`);
              await preview.locator("pre", { hasText: `--publish ${portA}:8080` }).waitFor();
              await page.locator("#c-tags").fill(tag);
              await page.locator("#c-labels").fill(label);
              await page.locator("#c-env").fill("GREETING=hello\nAPI_TOKEN=s3cret-value");
              await preview.locator("pre", { hasText: `--label ${label}` }).waitFor();
              assert.match(await preview.innerText(), /--env API_TOKEN=s3cret-value/);
              await shot(page, "create-desktop");

              // An image the registry does not have: the operation fails and says why; the form
              // stays as typed and can be sent again.
              await page.locator("#c-image").fill(
                `${REGISTRY}/dockermate-test/missing-${run}:latest`,
              );
              await page.locator("#create-submit").click();
              const failure = page.locator(`#create-result [data-outcome="error"]`);
              await failure.waitFor();
              assert.match(await failure.innerText(), /Not created: image: pulling .* failed/);
              assert.equal(await page.locator("#create-submit").isEnabled(), true);
              await page.locator("#c-image").fill(PULL_IMAGE);
              await preview.locator("pre", { hasText: PULL_IMAGE }).waitFor();

              // A host port another container publishes: refused (409), said under the ports field,
              // and nothing typed is lost.
              await page.locator("#c-ports").fill(`${portX}:8080`);
              await page.locator("#create-submit").click();
              const portError = page.locator("#ports-error");
              await portError.waitFor();
              assert.match(await portError.innerText(), new RegExp(`${portX}.*${names.x}`));
              assert.equal(await page.locator("#c-ports").getAttribute("aria-invalid"), "true");
              assert.equal(await page.locator("#c-name").inputValue(), names.a);
              assert.equal(
                await page.locator("#c-env").inputValue(),
                "GREETING=hello\nAPI_TOKEN=s3cret-value",
              );
              await page.locator("#c-ports").fill(`${portA}:8080`);
              await preview.locator("pre", { hasText: `--publish ${portA}:8080` }).waitFor();
              assert.equal(pathOf(page), "/containers/new");

              // Submit: the operation's stream shows the pull, then the page moves to the container.
              // What the progress area shows is recorded as it changes (htmx swaps the body on
              // "done", without a page load, so the record survives the move).
              await page.evaluate(`(() => {
            const log = window.__opLog = [];
            const area = document.getElementById("create-result");
            new MutationObserver(() => log.push(area.innerText))
              .observe(area, { subtree: true, childList: true, characterData: true });
          })()`);
              const stream = page.waitForResponse((r) =>
                r.url().includes("/live/containers/operations/")
              );
              await page.locator("#create-submit").click();
              const sse = await stream;
              assert.equal(sse.status(), 200);
              assert.match(sse.headers()["content-type"] ?? "", /text\/event-stream/);
              await page.waitForURL(`${base}/containers/${names.a}`);
              const shown = (await page.evaluate<string[]>("window.__opLog")).join("\n");
              assert.match(shown, /[0-9a-f]{12}: (Already exists|Pull complete)/, shown);
              assert.match(shown, new RegExp(`Created ${names.a}`), shown);
              await page.getByRole("heading", { level: 1, name: names.a }).waitFor();
              ids[names.a] = await containerId(names.a);

              // Docker agrees: the port, the tag label, the env, the restart policy.
              const inspect = JSON.parse(await docker(["inspect", names.a]))[0];
              assert.equal(inspect.HostConfig.PortBindings["8080/tcp"][0].HostPort, String(portA));
              assert.equal(inspect.Config.Labels["com.dockermate.tags"], tag);
              assert.equal(inspect.HostConfig.RestartPolicy.Name, "unless-stopped");
              assert.ok(inspect.Config.Env.includes("GREETING=hello"));

              // The page: state, secret masked until revealed, the port as a link, the verdict.
              const state = page.locator(`#state-${ids[names.a]}`);
              await state.locator(".state-running").waitFor();
              const secret = page.locator("#env details.secret");
              assert.equal(await secret.locator(".secret-value").isVisible(), false);
              assert.match(await secret.innerText(), /••••••/);
              await secret.locator("summary").click();
              assert.equal(
                (await secret.locator(".secret-value").innerText()).trim(),
                "s3cret-value",
              );
              const portLink = page.locator(`a.port[href="http://127.0.0.1:${portA}/"]`);
              assert.equal(
                await portLink.count(),
                1,
                "the published port links to the host in use",
              );
              assert.match(await page.locator("#tags-panel").innerText(), new RegExp(tag));
              await page.locator(`#verdict[data-status="running"]`).waitFor({
                timeout: VERDICT_TIMEOUT_MS,
              });
              assert.match(await page.locator("#verdict").innerText(), /running/);
              assert.match(
                await state.locator(".lifecycle").innerText(),
                new RegExp(`docker stop ${names.a}`),
              );
              await shot(page, "detail-desktop");
              await docScreenshots(page, "container");
            },
          );

          await step("2. list: capacity, CLI, search, show all, bulk tag", async () => {
            await page.goto(`${base}/containers`);
            await page.getByRole("heading", { level: 1, name: "Containers" }).waitFor();
            assert.match(await page.locator("#capacity").innerText(), /\d+ of \d+ containers/);
            assert.equal(await page.locator("#capacity meter").count(), 1);
            assert.match(
              await page.locator("#ps-cli").innerText(),
              /^docker ps --all --filter label=com\.dockermate\.managed=true/,
            );
            // Name search: typed, debounced, in the URL.
            await page.locator("#f-q").pressSequentially(run);
            await page.waitForURL((u) => u.searchParams.get("q") === run);
            for (const n of [names.a, names.b, names.c]) {
              await page.locator(`#row-${ids[n]}`).waitFor();
            }
            assert.equal(await page.locator(`#row-${ids[names.x]}`).count(), 0, "external shown");
            assert.match(await page.locator("#ps-cli").innerText(), new RegExp(`name=${run}`));

            // Show all: the external one appears, marked, without a remove link.
            await page.locator("#f-all").check();
            await page.waitForURL((u) => u.searchParams.get("all") === "1");
            const ext = page.locator(`#row-${ids[names.x]}`);
            await ext.waitFor();
            assert.match(await ext.locator(".badge-external").innerText(), /external/);
            assert.equal(await ext.locator("a", { hasText: "Remove" }).count(), 0);
            assert.ok(!(await page.locator("#ps-cli").innerText()).includes("managed=true"));
            await page.locator("#f-all").uncheck();
            await page.waitForURL((u) => !u.searchParams.has("all"));
            await ext.waitFor({ state: "detached" });

            // Bulk tag the two CLI-made containers through the confirmation.
            await page.locator(`#select-${ids[names.b]}`).check();
            await page.locator(`#select-${ids[names.c]}`).check();
            await page.locator("#bulk-action").selectOption("tag");
            await page.locator("#bulk-tags").fill(tag);
            await page.locator("#bulk-review").click();
            const plan = page.locator("#bulk-plan");
            await plan.waitFor();
            assert.equal(await plan.locator("li.plan-ok").count(), 2);
            assert.match(await plan.innerText(), new RegExp(`will get the tags ${tag}`));
            await page.locator("#bulk-confirm").click();
            await page.locator("#bulk-results").waitFor();
            assert.equal(await page.locator(`#bulk-results [data-result="ok"]`).count(), 2);
            for (const n of [names.b, names.c]) {
              await page.locator(`#row-${ids[n]} .tag`, { hasText: tag }).waitFor();
            }
            await shot(page, "list-desktop");
          });

          await step("3. tag filter is in the URL; back restores the previous filter", async () => {
            await page.goto(`${base}/containers`);
            await page.locator("#f-tag").selectOption(tag);
            await page.waitForURL((u) => u.searchParams.get("tag") === tag);
            await page.locator(`#row-${ids[names.a]}`).waitFor();
            assert.equal(await page.locator("#containers-table tbody tr").count(), 3);
            await page.locator("#f-status").selectOption("running");
            await page.waitForURL((u) => u.searchParams.get("status") === "running");
            assert.equal(pathOf(page), `/containers?status=running&tag=${tag}`);
            await page.goBack();
            await page.waitForURL((u) => !u.searchParams.has("status"));
            assert.equal(pathOf(page), `/containers?tag=${tag}`);
            // htmx re-fetches the page for the restored URL and swaps it in.
            await page.locator("#ps-cli", { hasNotText: "status=running" }).waitFor();
            assert.equal(await page.locator("#f-status").inputValue(), "");
            assert.equal(await page.locator("#f-tag").inputValue(), tag);
            await page.locator(`#row-${ids[names.a]}`).waitFor();
            // Sorting by a column header is in the URL too.
            await page.locator("th a.sort", { hasText: "Name" }).click();
            await page.waitForURL((u) => u.searchParams.get("dir") === "desc");
            const order = await page.locator("#containers-table tbody .name-link").allInnerTexts();
            assert.deepEqual(order, [...order].sort().reverse());
          });

          await step(
            "4. stop with the row button; a CLI stop and a new container show live",
            async () => {
              await page.goto(`${base}/containers?tag=${tag}&q=${run}`);
              await page.locator(`#row-${ids[names.a]}.row-running`).waitFor();
              await page.evaluate(`window.__noReload = "still here"`);
              await page.locator(`#row-${ids[names.a]} button`, { hasText: "Stop" }).click();
              await page.locator(`#row-${ids[names.a]}.row-exited`).waitFor();
              await page.locator("#flash", { hasText: `docker stop ${names.a}` }).waitFor();

              // Another client (the CLI) stops B: its row changes without a reload (SSE).
              await docker(["stop", "-t", "1", names.b]);
              await page.locator(`#row-${ids[names.b]}.row-exited`).waitFor();
              assert.match(await page.locator(`#row-${ids[names.b]} .state`).innerText(), /exited/);

              // A container made meanwhile: the table refreshes itself with the page's filters.
              await page.locator("#f-q").fill(run);
              await page.locator("#f-tag").selectOption("");
              await page.waitForURL((u) => !u.searchParams.has("tag"));
              await runLabeled(run, names.d, [
                "--label",
                "com.dockermate.managed=true",
                images.web,
              ]);
              ids[names.d] = await containerId(names.d);
              await page.locator(`#row-${ids[names.d]}`).waitFor();
              assert.equal(await page.evaluate(`window.__noReload`), "still here", "page reloaded");
            },
          );

          await step("5. bulk remove through the confirmation", async () => {
            await page.goto(`${base}/containers?tag=${tag}`);
            await page.locator(`#select-${ids[names.a]}`).check();
            await page.locator(`#select-${ids[names.b]}`).check();
            await page.locator("#bulk-action").selectOption("remove");
            await page.locator("#bulk-review").click();
            const plan = page.locator("#bulk-plan");
            await plan.waitFor();
            assert.equal(await plan.locator("li.plan-ok").count(), 2);
            assert.match(await plan.innerText(), /will remove/);
            assert.match(
              await plan.innerText(),
              new RegExp(`docker rm (${names.a} ${names.b}|${names.b} ${names.a})`),
            );
            await page.locator("#bulk-confirm").click();
            await page.locator("#bulk-results").waitFor();
            assert.equal(await page.locator(`#bulk-results [data-result="ok"]`).count(), 2);
            for (const n of [names.a, names.b]) {
              await page.locator(`#row-${ids[n]}`).waitFor({ state: "detached" });
              const gone = await dockerCli(["inspect", n]);
              assert.notEqual(gone.code, 0, `${n} still exists in Docker`);
            }
            await page.locator(`#row-${ids[names.c]}`).waitFor();
          });

          await step("6. Deleted: restore one, and it is back in the list", async () => {
            await page.goto(`${base}/containers`);
            await page.getByRole("link", { name: "Deleted" }).click();
            await page.waitForURL(`${base}/containers/deleted`);
            const rowA = page.locator("table.deleted tr", { hasText: names.a });
            await rowA.waitFor();
            await page.locator("table.deleted tr", { hasText: names.b }).waitFor();
            assert.match(await page.locator("#retention").innerText(), /kept for \d+ days/);
            await shot(page, "deleted-desktop");
            const csv = await client.text("GET", "/containers/deleted/export.csv");
            assert.equal(csv.status, 200);
            assert.match(csv.res.headers.get("content-type") ?? "", /^text\/csv/);
            assert.match(csv.res.headers.get("content-disposition") ?? "", /^attachment/);
            assert.ok(csv.body.includes(names.a));

            await rowA.getByRole("button", { name: "Restore" }).click();
            await page.waitForURL(`${base}/containers/${names.a}`);
            await page.getByRole("heading", { level: 1, name: names.a }).waitFor();
            ids[names.a] = await containerId(names.a);
            await page.goto(`${base}/containers?tag=${tag}`);
            await page.locator(`#row-${ids[names.a]}`).waitFor();
            assert.match(await page.locator(`#row-${ids[names.a]}`).innerText(), new RegExp(tag));
          });

          await step("7. phone: list, create, detail and deleted fit 375 px", async () => {
            const p = await phone.newPage();
            const { measure, assertNone } = overflowChecks(p);
            const visit = async (path: string, ready: string, name: string) => {
              await p.goto(`${base}${path}`);
              await p.locator(ready).first().waitFor();
              await shot(p, `${name}-phone`);
              await measure(name);
            };
            await visit(`/containers?q=${run}`, "#containers-table tbody tr", "list");
            await visit("/containers/new", "#create-form", "create");
            await visit(`/containers/${names.c}`, `#state-${ids[names.c]}`, "detail");
            await visit("/containers/deleted", "table.deleted", "deleted");
            await visit(`/containers/${names.c}/remove`, "#confirm-remove", "remove-confirm");
            await p.close();
            assertNone();
          });

          await step("dark theme: list and detail", async () => {
            const dark = await darkContext(browser, browserErrors, client);
            const p = await dark.newPage();
            await p.goto(`${base}/containers?q=${run}`);
            await p.locator("#containers-table tbody tr").first().waitFor();
            const bg = await p.evaluate<string>("getComputedStyle(document.body).backgroundColor");
            assert.equal(bg, "rgb(15, 20, 27)", `body background in the dark theme is ${bg}`);
            await shot(p, "list-desktop-dark");
            await p.goto(`${base}/containers/${names.a}`);
            await p.locator(`#state-${ids[names.a]}`).waitFor();
            await shot(p, "detail-desktop-dark");
            await dark.close();
          });
        },
      );
    } finally {
      await removeLabeled(run);
      await dockerCli(["rm", "-f", ...Object.values(names)]);
      await dockerCli(["rmi", PULL_IMAGE]);
    }
  },
});

/** The value of a form field in a page, e.g. the id of a record row. */
function match(body: string, re: RegExp, what: string): string {
  const m = re.exec(body);
  assert.ok(m, `${what} not found`);
  return m[1];
}

Deno.test({
  name: "containers pages without JavaScript: plain posts and 303s; Docker down is no error",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = crypto.randomUUID().slice(0, 8);
    const label = `${TEST_LABEL}=${run}`;
    const name = `e2e-${run}-plain`;
    let server: TestServer | undefined;
    try {
      server = await startServer();
      const client = await setupAndLogin(server.url);
      const form = (f: Record<string, string>) => ({ form: f });

      await t.step("create: errors re-render the page (400), success is a 303", async () => {
        const bad = await client.text(
          "POST",
          "/containers",
          form({ name, image: "", ports: "8080:80", autoStart: "on" }),
        );
        assert.equal(bad.status, 400);
        assert.match(bad.body, /<h1>Create container<\/h1>/);
        assert.match(bad.body, /id="image-error"/);
        assert.match(bad.body, new RegExp(`value="${name}"`), "typed values are kept");
        const ok = await client.request(
          "POST",
          "/containers",
          form({ name, image: images.web, labels: label, tags: `plain-${run}`, autoStart: "on" }),
        );
        assert.equal(ok.status, 303);
        assert.equal(ok.headers.get("location"), `/containers/${name}`);
        const page = await client.text("GET", `/containers/${name}`);
        assert.equal(page.status, 200);
        assert.match(page.body, /class="state state-running"/);
      });

      await t.step("lifecycle, tags and kill post back with 303", async () => {
        const stop = await client.request(
          "POST",
          `/containers/${name}/stop`,
          form({ from: "list" }),
        );
        assert.equal(stop.status, 303);
        assert.equal(stop.headers.get("location"), "/containers");
        assert.equal((await inspect(name)).State.Running, false, "stopped in Docker");
        const start = await client.request("POST", `/containers/${name}/start`, form({}));
        assert.equal(start.status, 303);
        assert.equal(start.headers.get("location"), `/containers/${name}`);
        assert.equal((await inspect(name)).State.Running, true, "started in Docker");
        const bogus = await client.request("POST", `/containers/${name}/explode`, form({}));
        assert.equal(bogus.status, 400);
        await bogus.body?.cancel();
        const tags = await client.request(
          "POST",
          `/containers/${name}/tags`,
          form({ tags: `plain-${run}, second` }),
        );
        assert.equal(tags.status, 303);
        const list = await client.text("GET", `/containers?tag=second`);
        assert.match(list.body, new RegExp(`>${name}</a>`));
        const confirm = await client.text("GET", `/containers/${name}/kill`);
        assert.match(confirm.body, /Sends SIGKILL/);
        const kill = await client.request("POST", `/containers/${name}/kill`, form({}));
        assert.equal(kill.status, 303);
        assert.equal((await inspect(name)).State.Running, false, "killed in Docker");
      });

      await t.step("bulk: the plan and the results are pages of their own", async () => {
        const id = await containerId(name);
        const plan = await client.text(
          "POST",
          "/containers/bulk/confirm",
          form({ ids: id, action: "start" }),
        );
        assert.equal(plan.status, 200);
        assert.match(plan.body, /<h1>Bulk action<\/h1>/);
        assert.match(plan.body, /will start/);
        const done = await client.text(
          "POST",
          "/containers/bulk",
          form({ ids: id, action: "start" }),
        );
        assert.equal(done.status, 200);
        assert.match(done.body, /data-result="ok"/);
        assert.equal((await inspect(name)).State.Running, true, "started in Docker");
      });

      await t.step("remove, then restore (and a taken name is a message, 409)", async () => {
        const confirm = await client.text("GET", `/containers/${name}/remove`);
        assert.match(confirm.body, /kept in\s*<a href="\/containers\/deleted">Deleted<\/a> for 30/);
        const gone = await client.request(
          "POST",
          `/containers/${name}/remove`,
          form({ force: "on" }),
        );
        assert.equal(gone.status, 303);
        const location = gone.headers.get("location") ?? "";
        assert.match(location, /^\/containers\?removed=\d+$/);
        const list = await client.text("GET", location);
        assert.match(list.body, new RegExp(`Removed <strong>${name}</strong>`));
        const deleted = await client.text("GET", "/containers/deleted");
        const rid = match(deleted.body, /action="\/containers\/deleted\/(\d+)\/restore"/, "record");
        // A container of the same name appears meanwhile: the restore is refused, said plainly.
        await runLabeled(run, name, [images.web]);
        const taken = await client.text("POST", `/containers/deleted/${rid}/restore`, form({}));
        assert.equal(taken.status, 409);
        assert.match(taken.body, /<h1>Deleted containers<\/h1>/);
        assert.match(taken.body, new RegExp(`a container named &quot;${name}&quot; exists`));
        await docker(["rm", "-f", name]);
        await waitFor("the store to drop the container", async () => {
          const r = await client.text("GET", `/containers?all=1&q=${name}`);
          return !r.body.includes(`>${name}</a>`);
        });
        const restored = await client.request(
          "POST",
          `/containers/deleted/${rid}/restore`,
          form({}),
        );
        assert.equal(restored.status, 303);
        assert.equal(restored.headers.get("location"), `/containers/${name}`);
        const back = await inspect(name);
        assert.equal(back.Config.Labels[TEST_LABEL], run, "restored in Docker with its labels");
        assert.equal(back.Config.Image, images.web);
        const json = await client.request("GET", "/containers/deleted/export.json");
        assert.match(json.headers.get("content-type") ?? "", /^application\/json/);
        assert.match(json.headers.get("content-disposition") ?? "", /^attachment; filename=/);
        await json.body?.cancel();
      });

      await t.step("purge goes through its confirmation", async () => {
        await client.request("POST", `/containers/${name}/remove`, form({ force: "on" }));
        const deleted = await client.text("GET", "/containers/deleted");
        const rid = match(deleted.body, /href="\/containers\/deleted\/(\d+)\/purge"/, "record");
        const confirm = await client.text("GET", `/containers/deleted/${rid}/purge`);
        assert.match(confirm.body, /deleted for good/);
        const purged = await client.request("POST", `/containers/deleted/${rid}/purge`, form({}));
        assert.equal(purged.status, 303);
        const after = await client.text("GET", "/containers/deleted");
        assert.ok(!after.body.includes(`/containers/deleted/${rid}/purge`));
      });
    } finally {
      await server?.stop();
      await removeLabeled(run);
      await dockerCli(["rm", "-f", name]);
    }

    // Docker down: the list is the page with the banner and an empty list, not an error page.
    const dir = await Deno.makeTempDir({ prefix: "dockermate-sock-" });
    const down = await startServer({ DOCKER_HOST: `unix://${dir}/docker.sock` });
    try {
      const client = await setupAndLogin(down.url);
      await t.step("Docker down: the list and the create form still render", async () => {
        const list = await client.text("GET", "/containers");
        assert.equal(list.status, 200);
        assert.match(list.body, /Docker is unreachable\./);
        assert.match(list.body, /nothing to list until it is back/);
        assert.doesNotMatch(list.body, /id="capacity"/);
        const create = await client.text("GET", "/containers/new");
        assert.equal(create.status, 200);
        const deleted = await client.text("GET", "/containers/deleted");
        assert.equal(deleted.status, 200);
      });
    } finally {
      await down.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});

/**
 * End-to-end: the networks pages in headless Chromium against the real daemon.
 *
 * A user creates a network from the form with the subnet it suggests (and the run's label, so
 * the test can clean up), finds it in the list and in the topology picture, connects a
 * container with an alias and a static address (an address outside the subnet is refused under
 * its field first), sees who holds which address, and is refused removal while the container
 * is on it. Then the list and the network's page on a 375 px phone and in the dark theme; last,
 * the container is disconnected from the page and the removal goes through.
 * Screenshots: tests/output/screenshots/networks-*.png.
 *
 * Needs the test bed (tests/testbed/up.sh) and /usr/bin/chromium. Run:
 *   deno task vendor && deno test -A tests/e2e/networks.test.ts
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
import { dockerApi, removeLabeled, runId, runLabeled, TEST_LABEL } from "../helpers/docker.ts";
import { images } from "../testbed/images.ts";

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `networks-${name}`);
}

Deno.test({
  name:
    "e2e: networks: create with a suggested subnet, topology, connect, removal refused, then done",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const run = runId();
    const name = `${run}-e2e`;
    const web = `${run}-web`;
    const browserErrors = watchConsole([
      // Provoked on purpose: an address outside the subnet, the refused removal page.
      { status: 400, path: `/networks/${name}/connect` },
      { status: 409, path: `/networks/${name}/remove` },
    ], { warnings: true });
    let prefix = "";
    try {
      await runLabeled(run, web, [images.web]);
      await browserRun(
        t,
        { browserErrors, finalStep: 7 },
        async ({ base, browser, client, phone, page, step }) => {
          await step("1. create from the form with the suggested subnet", async () => {
            await page.goto(`${base}/networks`);
            await page.getByRole("heading", { level: 1, name: "Networks" }).waitFor();
            await page.locator("#create-network").click();
            await page.getByRole("heading", { level: 1, name: "Create network" }).waitFor();
            const suggested = await page.locator("#n-subnet").inputValue();
            assert.match(suggested, /^10\.89\.\d{1,3}\.0\/24$/, "a free /24 is filled in");
            prefix = suggested.replace(/\.0\/24$/, "");
            await page.locator("#n-name").fill(name);
            await page.locator("#n-labels").fill(`${TEST_LABEL}=${run}`);
            // The preview follows the typing (the last field filled is the labels).
            await page.locator("#network-preview pre", { hasText: `${TEST_LABEL}=${run}` })
              .waitFor();
            assert.equal(
              await page.locator("#network-preview pre").innerText(),
              `docker network create --driver bridge --subnet ${suggested} ` +
                `--label ${TEST_LABEL}=${run} ${name}`,
            );
            await shot(page, "create-desktop");
            await page.locator("#network-submit").click();
            await page.waitForURL(`${base}/networks/${name}?created=1`);
            await page.locator(".alert-ok", { hasText: `Created network ${name}` }).waitFor();
            const net = await dockerApi<{ IPAM: { Config: { Subnet: string }[] } }>(
              `/networks/${name}`,
            );
            assert.deepEqual(net.IPAM.Config.map((c) => c.Subnet), [suggested]);
          });

          await step(
            "2. the list shows it with its subnet, and the topology its node",
            async () => {
              await page.goto(`${base}/networks`);
              const row = page.locator(`tr.network-row[data-name="${name}"]`);
              await row.waitFor();
              assert.match(await row.innerText(), new RegExp(`${prefix}\\.0/24`));
              assert.match(await row.innerText(), /unused/);
              const node = page.locator(".topology svg a.topo-net", { hasText: name.slice(0, 19) });
              assert.equal(await node.count(), 1, "the network is in the picture");
              await shot(page, "list-desktop");
            },
          );

          await step(
            "3. connect a container: a wrong address first, then alias and static",
            async () => {
              await page.goto(`${base}/networks/${name}`);
              await page.locator("#connect-container").selectOption(web);
              await page.locator("#connect-ip").fill("192.0.2.5");
              await page.locator("#connect-submit").click();
              const error = page.locator("#ip-error");
              await error.waitFor();
              assert.match(await error.innerText(), /192\.0\.2\.5 is outside the subnet/);
              await page.locator("#connect-container").selectOption(web);
              await page.locator("#connect-ip").fill(`${prefix}.50`);
              await page.locator("#connect-aliases").fill("frontend");
              await page.locator("#connect-submit").click();
              const notice = page.locator("#network-body .alert-ok");
              await notice.waitFor();
              assert.match(
                await notice.innerText(),
                new RegExp(
                  `docker network connect --ip ${prefix}\\.50 --alias frontend ${name} ${web}`,
                ),
              );
              const line = page.locator(`#attached-table tr[data-container="${web}"]`);
              assert.match(await line.innerText(), new RegExp(`${prefix}\\.50`));
              assert.match(await line.innerText(), /frontend/);
              const held = page.locator(".address-block tr.addr-used", { hasText: `${prefix}.50` });
              assert.match(await held.innerText(), new RegExp(web));
              assert.equal(
                await page.locator("#network-body .topology a.topo-ctr").count(),
                1,
                "the container is in the network's picture",
              );
              assert.equal(pathOf(page), `/networks/${name}`);
              await shot(page, "detail-desktop");
            },
          );

          await step("4. removal is refused while the container is on it", async () => {
            await page.locator("#remove-network").click();
            await page.waitForURL(`${base}/networks/${name}/remove`);
            const refused = page.locator("#remove-refused");
            await refused.waitFor();
            assert.match(await refused.innerText(), new RegExp(`in use by ${web}`));
            assert.equal(await page.locator("#remove-confirm").count(), 0);
            const api = await client.json<{ message: string }>(
              "DELETE",
              `/api/v1/networks/${name}`,
            );
            assert.equal(api.status, 409);
            await shot(page, "remove-refused-desktop");
          });

          await step(
            "5. phone and dark: the list and the page fit, the picture stays readable",
            async () => {
              const small = await phone.newPage();
              const overflow = overflowChecks(small);
              await small.goto(`${base}/networks`);
              await small.getByRole("heading", { level: 1, name: "Networks" }).waitFor();
              await overflow.measure("networks list");
              await shot(small, "list-phone");
              await small.goto(`${base}/networks/${name}`);
              await small.locator("#addresses").waitFor();
              await overflow.measure("network page");
              const svgWidth = await small.locator("#network-body .topology svg").evaluate(
                (e) => e.getBoundingClientRect().width,
              );
              assert.ok(svgWidth >= 300, `the picture uses the phone's width (${svgWidth} px)`);
              await shot(small, "detail-phone");
              await small.goto(`${base}/networks/new`);
              await small.locator("#network-form").waitFor();
              await overflow.measure("create form");
              overflow.assertNone();
              const dark = await darkContext(browser, browserErrors, client);
              const darkPage = await dark.newPage();
              await darkPage.goto(`${base}/networks`);
              await darkPage.locator("#networks-table").waitFor();
              await shot(darkPage, "list-desktop-dark");
              await darkPage.goto(`${base}/networks/${name}`);
              await darkPage.locator("#addresses").waitFor();
              await shot(darkPage, "detail-desktop-dark");
              await dark.close();
            },
          );

          await step("6. disconnect from the page, then the removal goes through", async () => {
            await page.goto(`${base}/networks/${name}`);
            const line = page.locator(`#attached-table tr[data-container="${web}"]`);
            await line.getByRole("button", { name: "Disconnect" }).click();
            const notice = page.locator("#network-body .alert-ok", { hasText: "Disconnected" });
            await notice.waitFor();
            assert.match(
              await notice.innerText(),
              new RegExp(`docker network disconnect ${name} ${web}`),
            );
            await page.locator("#no-containers").waitFor();
            await page.locator("#remove-network").click();
            await page.locator("#remove-confirm").click();
            await page.waitForURL(`${base}/networks?removed=${name}`);
            await page.locator(".alert-ok", { hasText: `docker network rm ${name}` }).waitFor();
            assert.equal(await page.locator(`tr.network-row[data-name="${name}"]`).count(), 0);
          });
        },
      );
    } finally {
      await removeLabeled(run);
    }
  },
});

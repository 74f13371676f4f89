/**
 * End-to-end: the API page in headless Chromium. A user follows Settings' link to it, reads the
 * curl examples for this server, and finds the OpenAPI document rendered by Swagger UI under
 * the strict CSP (no console error, no CSP violation): the tags, an operation's summary, and a
 * "Try it out" call that goes through with the signed-in session. Then on a phone and in the
 * dark theme, and the footer's link from another page.
 * Screenshots: tests/output/screenshots/api-docs-*.png.
 *
 * Needs /usr/bin/chromium. Run: deno task vendor && deno test -A tests/e2e/api-docs.test.ts
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

/**
 * Waits for Swagger UI to have rendered the document's tags: it parses a 1.8 MB bundle and the
 * document first, which takes a while on a busy test machine.
 */
async function viewerReady(page: Page): Promise<void> {
  await page.locator("#swagger-ui .opblock-tag", { hasText: "containers" }).first()
    .waitFor({ timeout: 45_000 });
}

Deno.test({
  name: "e2e: the API page renders the OpenAPI document and a call goes through",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    // Other runs on the shared daemon add and remove host interfaces meanwhile (see watchConsole).
    const browserErrors = watchConsole([]);
    await browserRun(
      t,
      { browserErrors, finalStep: 5 },
      async ({ base, browser, client, phone, page, step }) => {
        await step(
          "1. Settings links to the API page, which shows curl for this server",
          async () => {
            await page.goto(`${base}/settings`);
            await page.locator("#settings-api-docs").click();
            await page.waitForURL(`${base}/api-docs`);
            await page.getByRole("heading", { level: 1, name: "API" }).waitFor();
            const curl = await page.locator("#api-curl").innerText();
            assert.ok(
              curl.includes(`curl -H "Authorization: Bearer $TOKEN" ${base}/api/v1/containers`),
            );
            assert.ok(curl.includes(`${base}/api/v1/openapi.json`));
            assert.equal(
              await page.locator('a[href="/settings#api-tokens"]').count(),
              1,
              "it says where tokens are made",
            );
            // The footer's link sits under the page's main column, not in the sidebar's.
            const footer = (await page.locator("#footer-api").boundingBox())!;
            const main = (await page.locator("#main").boundingBox())!;
            assert.ok(
              footer.x > main.x && footer.y >= main.y + main.height - 1,
              `footer link at ${JSON.stringify(footer)}, main at ${JSON.stringify(main)}`,
            );
          },
        );

        await step("2. Swagger UI renders the document: tags, summaries, schemas", async () => {
          await viewerReady(page);
          const tags = await page.locator("#swagger-ui .opblock-tag").allInnerTexts();
          for (const tag of ["system", "containers", "images", "stacks", "networks", "volumes"]) {
            assert.ok(tags.some((x) => x.startsWith(tag)), `tag ${tag} in ${tags.join(" | ")}`);
          }
          await page.locator("#swagger-ui .opblock-tag", { hasText: /^containers/ }).first()
            .click();
          const list = page.locator("#operations-containers-getContainers");
          await list.locator(".opblock-summary-description", { hasText: "List containers" })
            .waitFor();
          await list.locator(".opblock-summary-control").click();
          await list.locator(".responses-table").first().waitFor();
          const responses = await list.locator(".responses-table .response-col_status")
            .allInnerTexts();
          for (const code of ["200", "400", "401", "403"]) {
            assert.ok(responses.some((r) => r.trim() === code), `response ${code}`);
          }
          await screenshot(page, "api-docs-desktop");
        });

        await step("3. Try it out: GET /health answers 200 through the viewer", async () => {
          await page.locator("#swagger-ui .opblock-tag", { hasText: /^system/ }).first().click();
          const health = page.locator("#operations-system-getHealth");
          await health.locator(".opblock-summary-control").click();
          await health.locator(".try-out__btn").click();
          await health.locator(".execute").click();
          const status = health.locator(".live-responses-table .response .response-col_status");
          await status.first().waitFor();
          assert.equal((await status.first().innerText()).trim(), "200");
          const body = await health.locator(".live-responses-table .microlight").first()
            .innerText();
          assert.match(body, /"status": "ok"/);
        });

        await step("4. phone, dark theme, and the footer's link", async () => {
          const onPhone = await phone.newPage();
          const overflow = overflowChecks(onPhone);
          await onPhone.goto(`${base}/api-docs`);
          await viewerReady(onPhone);
          await screenshot(onPhone, "api-docs-phone");
          await overflow.measure("api-docs on a phone");
          const dark = await darkContext(browser, browserErrors, client);
          const darkPage = await dark.newPage();
          await darkPage.goto(`${base}/containers`);
          await darkPage.locator("#footer-api").click();
          await darkPage.waitForURL(`${base}/api-docs`);
          assert.equal(pathOf(darkPage), "/api-docs");
          await viewerReady(darkPage);
          await screenshot(darkPage, "api-docs-dark");
          await dark.close();
          overflow.assertNone();
        });
      },
    );
  },
});

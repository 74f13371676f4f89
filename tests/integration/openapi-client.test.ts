/**
 * A client generated at test time from the served document (openapi-typescript types, used with
 * openapi-fetch in tests/openapi/client-usage.ts): `deno check` accepts it, and against the real
 * daemon it creates a container, lists it and reads a 404 and a 400 in the documented error shape.
 */
import assert from "node:assert/strict";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { withApp } from "../helpers/app.ts";
import { TEST_LABEL } from "../helpers/docker.ts";
import { ROOT } from "../helpers/server.ts";
import { images } from "../testbed/images.ts";

const OUTPUT = `${ROOT}/tests/output/openapi`;
const USAGE = `${ROOT}/tests/openapi/client-usage.ts`;

/** tests/openapi/client-usage.ts, which cannot be imported by name before its types exist. */
type Usage = {
  exercise: (
    baseUrl: string,
    token: string,
    name: string,
    image: string,
    labels: Record<string, string>,
  ) => Promise<{
    created: { id: string; name: string; cli: string; status: number };
    listed: string[];
    notFound: { status: number; error: string; message: string; code: number };
    invalid: { status: number; error: string; message: string };
  }>;
};

Deno.test("a client generated from the served document type-checks and works", {
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  await withApp(async ({ server, client, run }) => {
    const served = await client.json<OpenAPI3>("GET", "/api/v1/openapi.json");
    assert.equal(served.status, 200);
    await Deno.mkdir(OUTPUT, { recursive: true });
    await Deno.writeTextFile(`${OUTPUT}/schema.d.ts`, astToString(await openapiTS(served.body)));

    const check = await new Deno.Command(Deno.execPath(), {
      args: ["check", USAGE],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(check.code, 0, new TextDecoder().decode(check.stderr));

    // The daemon is shared with other runs: the host's container limit must not refuse ours.
    const limit = await client.json("PUT", "/api/v1/system/profile", { maxContainers: 1000 });
    assert.equal(limit.status, 200, JSON.stringify(limit.body));
    const token = await client.json<{ token: string }>("POST", "/api/v1/tokens", {
      name: `${run}-client`,
      expiresInDays: 1,
    });
    assert.equal(token.status, 201, JSON.stringify(token.body));
    // Imported by a computed name: this file type-checks before the types are generated.
    const usage = await import(USAGE) as Usage;
    const name = `${run}-gen`;
    const r = await usage.exercise(server.url, token.body.token, name, images.web, {
      [TEST_LABEL]: run,
    });

    assert.equal(r.created.status, 201);
    assert.equal(r.created.name, name);
    assert.match(r.created.cli, /^docker (create|run) /);
    assert.ok(r.listed.includes(name), `listed: ${r.listed.join(", ")}`);
    assert.equal(r.notFound.status, 404);
    assert.equal(r.notFound.error, "NotFound");
    assert.equal(r.notFound.code, 404);
    assert.match(r.notFound.message, new RegExp(`${name}-no-such`));
    assert.equal(r.invalid.status, 400);
    assert.equal(r.invalid.error, "InvalidInput");
    assert.match(r.invalid.message, /^ports\[0\]: /);
  });
});

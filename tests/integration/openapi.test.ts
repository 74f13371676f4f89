/** The served OpenAPI document: behind auth, and it covers the fixed API (API.md) and more. */
import assert from "node:assert/strict";
import { Client, setupAndLogin } from "../helpers/client.ts";
import { startServer } from "../helpers/server.ts";

type Schema = { required?: string[]; properties?: Record<string, unknown> };
type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: { "application/json": { schema: Schema } } };
  responses: Record<string, unknown>;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** API.md's fixed endpoints, and this project's recreate, update, image and stack ones. */
const EXPECTED: [string, string][] = [
  ["get", "/health"],
  ["post", "/auth/setup"],
  ["post", "/auth/login"],
  ["post", "/auth/logout"],
  ["post", "/tokens"],
  ["get", "/containers"],
  ["post", "/containers"],
  ["get", "/containers/{id}"],
  ["post", "/containers/{id}/{action}"],
  ["delete", "/containers/{id}"],
  ["get", "/containers/{id}/logs"],
  ["get", "/containers/{id}/run-command"],
  ["post", "/containers/{id}/adopt"],
  ["post", "/containers/{id}/update"],
  ["post", "/containers/{id}/rollback"],
  ["get", "/containers/{id}/history"],
  ["post", "/containers/{id}/edit"],
  ["post", "/containers/{id}/retag"],
  ["get", "/images"],
  ["post", "/images/pull"],
  ["post", "/images/check-updates"],
  ["get", "/system"],
  ["get", "/stacks"],
  ["post", "/stacks"],
  ["get", "/stacks/{name}"],
  ["put", "/stacks/{name}"],
  ["delete", "/stacks/{name}"],
  ["post", "/stacks/{name}/start"],
  ["post", "/stacks/{name}/stop"],
  ["post", "/stacks/{name}/restart"],
  ["post", "/stacks/{name}/pull"],
  ["post", "/stacks/{name}/preview"],
  ["get", "/stacks/{name}/history"],
  ["post", "/stacks/{name}/history/{id}/restore"],
  ["get", "/compose"],
];

Deno.test("GET /api/v1/openapi.json describes the API from its own schemas", {
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  const server = await startServer();
  try {
    const anonymous = await new Client(server.url).json("GET", "/api/v1/openapi.json");
    assert.equal(anonymous.status, 401);
    const client = await setupAndLogin(server.url);
    const { status, body } = await client.json<Document>("GET", "/api/v1/openapi.json");
    assert.equal(status, 200);
    assert.match(body.openapi, /^3\./);
    const missing = EXPECTED.filter(([m, p]) => !body.paths[p]?.[m]);
    assert.deepEqual(missing, [], `not in the document: ${JSON.stringify(missing)}`);

    const create = body.paths["/containers"].post.requestBody!.content["application/json"].schema;
    assert.deepEqual(create.required, ["image"]);
    for (const field of ["name", "ports", "volumes", "restartPolicy", "memory", "autoStart"]) {
      assert.ok(create.properties?.[field], field);
    }
    const list = body.paths["/containers"].get.parameters!.map((p) => `${p.in}:${p.name}`);
    for (const q of ["query:all", "query:q", "query:status", "query:tag", "query:image"]) {
      assert.ok(list.includes(q), q);
    }
    const stack = body.paths["/stacks"].post.requestBody!.content["application/json"].schema;
    assert.deepEqual(stack.required?.sort(), ["compose", "name"]);
    const retag = body.paths["/containers/{id}/retag"].post;
    assert.deepEqual(retag.requestBody!.content["application/json"].schema.required, ["tag"]);
    assert.ok(retag.responses["400"], "the 400 of a bad body is described");
  } finally {
    await server.stop();
  }
});

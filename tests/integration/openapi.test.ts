/** The served OpenAPI document: behind auth, and it covers the fixed API (API.md) and more. */
import assert from "node:assert/strict";
import { routeTable } from "../../routes/http/lazy.ts";
import { Client, setupAndLogin } from "../helpers/client.ts";
import { inProcessApp, servedDocument } from "../helpers/openapi.ts";
import { ROOT, startServer } from "../helpers/server.ts";

type Schema = { required?: string[]; properties?: Record<string, unknown> };
type Operation = {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  "x-token-scope"?: string;
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
  ["post", "/containers/deleted/{id}/restore"],
  ["post", "/containers/deleted/{id}/purge"],
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
    // Each answers with a body whose schema a client can generate types from (logout: 204).
    const untyped = EXPECTED.filter(([m, p]) => {
      const [code, res] = Object.entries(body.paths[p][m].responses).find(([c]) => c[0] === "2")!;
      const content = (res as { content?: Record<string, { schema?: unknown }> }).content;
      return code !== "204" && !content?.["application/json"]?.schema;
    });
    assert.deepEqual(untyped, [], "without a success schema");
    // A record's purge is not `DELETE /containers/deleted/{id}`: that reads as `/containers/{id}/…`.
    assert.equal(body.paths["/containers/deleted/{id}"], undefined);

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

/** `/api/v1/containers/:id/logs` (Hono) → `/containers/{id}/logs` (the document's, under its server). */
function documentPath(honoPath: string): string {
  return honoPath.slice("/api/v1".length).replace(/:(\w+)(\{[^}]*\})?/g, "{$1}") || "/";
}

Deno.test(
  "every route served under /api/v1 has a summary, a tag and a success schema in the document",
  {
    sanitizeOps: false,
    sanitizeResources: false,
  },
  async () => {
    const a = await inProcessApp();
    try {
      const document = await servedDocument(a) as Document;
      const routes = (await routeTable(a.app)).filter((r) =>
        r.method !== "ALL" && r.path.startsWith("/api/v1/") && r.path !== "/api/v1/openapi.json"
      );
      assert.ok(routes.length >= 100, `walked ${routes.length} API routes`);
      // A route without `doc({ summary, tag, … })` (routes/http/doc.ts) is left out of the
      // document, or has no summary: either way it is named here.
      const undescribed = routes.filter((r) => {
        const op = document.paths[documentPath(r.path)]?.[r.method.toLowerCase()];
        return !op?.summary || !op.tags?.length;
      }).map((r) => `${r.method} ${r.path}`);
      assert.deepEqual(undescribed, [], "routes without doc({ summary, tag }):");
      // A client generator types each answer from its schema; files (CSV, archives) are bytes.
      const files = new Set(["text/csv", "application/octet-stream", "application/gzip"]);
      const untyped = Object.entries(document.paths).flatMap(([path, ops]) =>
        Object.entries(ops).filter(([, op]) => {
          const [code, res] = Object.entries(op.responses).find(([c]) => c[0] === "2") ?? [];
          if (code === "204") return false;
          const content = Object.entries(
            (res as { content?: Record<string, { schema?: unknown }> } | undefined)?.content ?? {},
          );
          return !content.some(([media, body]) => body.schema || files.has(media));
        }).map(([method]) => `${method} ${path}`)
      );
      assert.deepEqual(untyped, [], "operations whose success answer has no schema:");
    } finally {
      await a.close();
    }
  },
);

Deno.test("the document states who may call what, as the auth middleware enforces it", {
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  const a = await inProcessApp();
  try {
    const { paths } = await servedDocument(a) as Document;
    assert.deepEqual(paths["/health"].get.security, []);
    assert.deepEqual(paths["/auth/login"].post.security, []);
    assert.deepEqual(paths["/containers"].get.security, [{ session: [] }, { bearer: ["read"] }]);
    assert.deepEqual(paths["/containers"].post.security, [{ session: [] }, { bearer: ["full"] }]);
    assert.equal(paths["/containers"].post["x-token-scope"], "full");
    assert.deepEqual(paths["/tokens"].post.security, [{ session: [] }], "tokens: session only");
    assert.equal(paths["/tokens"].get["x-token-scope"], "none");
    // The same answers the middleware gives a read-only token.
    const { deps } = a;
    const meta = { ip: "test", userAgent: "test" };
    const read = await deps.tokens.create("reader", { scope: "read", expiresInDays: 1 }, meta);
    const call = (method: string, path: string) =>
      a.app.request(`http://localhost/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${read.token}`, "content-type": "application/json" },
        body: method === "GET" ? undefined : "{}",
      });
    const post = await call("POST", "/convert/run-to-compose");
    assert.equal(post.status, 403, "a read token may not POST");
    await post.body?.cancel();
    const tokens = await call("GET", "/tokens");
    assert.equal(tokens.status, 403, "no token lists tokens");
    await tokens.body?.cancel();
    const audit = await call("GET", "/audit");
    assert.equal(audit.status, 200, "a read token may GET");
    await audit.body?.cancel();
  } finally {
    await a.close();
  }
});

Deno.test(
  "the served document passes Redocly's lint (tests/openapi/redocly.yaml) with no problem",
  {
    sanitizeOps: false,
    sanitizeResources: false,
  },
  async () => {
    const a = await inProcessApp();
    const dir = await Deno.makeTempDir({ prefix: "dockermate-openapi-lint-" });
    try {
      const file = `${dir}/openapi.json`;
      await Deno.writeTextFile(file, JSON.stringify(await servedDocument(a)));
      // The pinned @redocly/cli of deno.json, run by this Deno from node_modules.
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "npm:@redocly/cli@2.77.0",
          "lint",
          file,
          "--config",
          `${ROOT}/tests/openapi/redocly.yaml`,
          "--format=json",
          "--max-problems=1000",
        ],
        cwd: ROOT,
        env: { NO_COLOR: "1", REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout);
      const report = JSON.parse(text) as {
        totals: { errors: number; warnings: number };
        problems: { ruleId: string; message: string; location: { pointer?: string }[] }[];
      };
      const problems = report.problems.map((p) =>
        `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? "?"}`
      );
      assert.deepEqual(problems, [], "Redocly's problems with the document");
      assert.deepEqual([report.totals.errors, report.totals.warnings], [0, 0]);
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    } finally {
      await a.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

import assert from "node:assert/strict";
import { setupAndLogin } from "../helpers/client.ts";
import { startServer } from "../helpers/server.ts";

Deno.test("SIGTERM ends the server promptly even with a live stream open", {
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  const server = await startServer();
  const client = await setupAndLogin(server.url);
  const res = await client.request("GET", "/live/docker-status");
  const reader = res.body!.getReader();
  await reader.read();
  const t0 = performance.now();
  await server.stop();
  const ms = performance.now() - t0;
  assert.ok(ms < 2500, `stopping took ${ms.toFixed(0)} ms`);
  assert.match(server.output(), /Shutting down/);
  const rest = await reader.read().catch(() => ({ done: true }));
  assert.equal(rest.done, true, "the stream was closed by the server");
});

import assert from "node:assert/strict";
import { setupAndLogin } from "../helpers/client.ts";
import { startServer } from "../helpers/server.ts";

Deno.test("SIGTERM ends the server promptly even with a live stream open", {
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  const server = await startServer();
  try {
    const client = await setupAndLogin(server.url);
    const res = await client.request("GET", "/live/docker-status");
    const reader = res.body!.getReader();
    await reader.read();
    // stop() fails when the process is still there 5 s after SIGTERM (a stream holding it).
    await server.stop();
    assert.match(server.output(), /Shutting down/);
    const rest = await reader.read();
    assert.equal(rest.done, true, "the server ended the stream, not a broken connection");
  } finally {
    await server.stop();
  }
});

/**
 * The server as `deno task start` runs it gives V8's spare heap back once it is quiet: after its
 * start, and after a run of page loads, never during one (services/heap-reducer.ts).
 */
import assert from "node:assert/strict";
import { setupAndLogin } from "../helpers/client.ts";
import { startServer, waitFor } from "../helpers/server.ts";
import { QUIET_MS } from "../../services/heap-reducer.ts";

type Reduction = { heapBefore: number; heapAfter: number; rssBefore: number; rssAfter: number };

/** The "Heap reduced …" lines the server logged so far, in order. */
function reductions(log: string): Reduction[] {
  const lines = log.matchAll(
    /Heap reduced .*: heap ([\d.]+) → ([\d.]+) MB, RSS ([\d.]+) → ([\d.]+) MB/g,
  );
  return [...lines].map((m) => ({
    heapBefore: Number(m[1]),
    heapAfter: Number(m[2]),
    rssBefore: Number(m[3]),
    rssAfter: Number(m[4]),
  }));
}

Deno.test("the server gives heap back once quiet after its start and after page loads", {
  sanitizeOps: false,
  sanitizeResources: false,
}, async () => {
  const server = await startServer({ LOG_LEVEL: "debug" }, { runtime: true });
  try {
    const client = await setupAndLogin(server.url);
    await waitFor(
      "the reduction after the start",
      () => reductions(server.output()).length === 1,
      4 * QUIET_MS,
    );
    const [start] = reductions(server.output());
    assert.ok(
      start.heapAfter < start.heapBefore,
      `heap ${start.heapBefore} → ${start.heapAfter} MB`,
    );
    assert.ok(start.rssAfter < start.rssBefore, `RSS ${start.rssBefore} → ${start.rssAfter} MB`);

    const began = Date.now();
    for (let i = 0; i < 300; i++) {
      const res = await client.request("GET", "/");
      await res.body?.cancel();
      assert.equal(res.status, 200);
    }
    const loadsMs = Date.now() - began;
    assert.equal(reductions(server.output()).length, 1, `none during ${loadsMs} ms of page loads`);

    await waitFor(
      "the reduction after the loads",
      () => reductions(server.output()).length === 2,
      4 * QUIET_MS,
    );
    const [, loads] = reductions(server.output());
    assert.ok(
      loads.heapAfter < loads.heapBefore,
      `heap ${loads.heapBefore} → ${loads.heapAfter} MB`,
    );
  } finally {
    await server.stop();
  }
});

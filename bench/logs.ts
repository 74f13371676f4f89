/**
 * Log throughput (PERFORMANCE.md: lines per second through SSE ÷ `docker logs` direct, goal
 * ≥ 0.5). A container prints 200,000 lines and sleeps; then, in the same run, the whole log is
 * read (a) straight from the Engine API (`/containers/{id}/logs?follow=1&tail=all`, frames
 * parsed, newlines counted) and (b) through DockerMate's SSE
 * (`/api/v1/containers/:id/logs?follow=1&tail=all`, `data:` messages counted), each until the
 * last line has arrived. Median of a few rounds each.
 *
 * Run alone: deno run -A bench/logs.ts
 */
import { DOCKER_SOCKET } from "../tests/helpers/docker.ts";
import { waitFor } from "../tests/helpers/server.ts";
import { images } from "../tests/testbed/images.ts";
import { login, preparedDataDir, spawnServer } from "./server.ts";

const LINES = 200_000;
const ROUNDS = 3;
const LABEL = "test.dockermate.bench";

export type LogBench = {
  lines: number;
  sseLinesPerSec: number;
  directLinesPerSec: number;
  ratio: number;
};

const docker = Deno.createHttpClient({ proxy: { transport: "unix", path: DOCKER_SOCKET } });
const engine = (path: string, init: RequestInit = {}) =>
  fetch(`http://docker${path}`, { ...init, client: docker });

/** Reads a framed log stream and counts lines until `lines` have come; returns the ms taken. */
async function direct(id: string, lines: number): Promise<number> {
  const ac = new AbortController();
  const t0 = performance.now();
  const res = await engine(`/containers/${id}/logs?follow=1&stdout=1&stderr=1&tail=all`, {
    signal: ac.signal,
  });
  const reader = res.body!.getReader();
  let count = 0;
  let header = 0; // header bytes still to skip
  let left = 0; // payload bytes of the current frame
  const head = new Uint8Array(8);
  try {
    while (count < lines) {
      const { value, done } = await reader.read();
      if (done) break;
      let i = 0;
      while (i < value.length) {
        if (left === 0) {
          const take = Math.min(8 - header, value.length - i);
          head.set(value.subarray(i, i + take), header);
          header += take;
          i += take;
          if (header < 8) break;
          header = 0;
          left = new DataView(head.buffer).getUint32(4);
          continue;
        }
        const end = Math.min(value.length, i + left);
        for (let k = i; k < end; k++) if (value[k] === 10) count++;
        left -= end - i;
        i = end;
      }
    }
  } finally {
    ac.abort();
  }
  if (count < lines) throw new Error(`direct: only ${count} of ${lines} lines`);
  return performance.now() - t0;
}

const DATA = new TextEncoder().encode("\ndata: ");

/** Reads DockerMate's SSE until `lines` `data:` messages have come; returns the ms taken. */
async function sse(
  base: string,
  cookie: string,
  name: string,
  lines: number,
): Promise<number> {
  const ac = new AbortController();
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/containers/${name}/logs?follow=1&tail=all`, {
    headers: { cookie },
    signal: ac.signal,
  });
  if (!res.ok) throw new Error(`sse: ${res.status} ${await res.text()}`);
  const reader = res.body!.getReader();
  let count = 0;
  // Every message is `…\n\ndata: line\n\n` (or `id: …\ndata: …`): count "\ndata: ".
  let matched = 0;
  try {
    while (count < lines) {
      const { value, done } = await reader.read();
      if (done) break;
      for (let k = 0; k < value.length; k++) {
        if (value[k] === DATA[matched]) {
          matched++;
          if (matched === DATA.length) {
            count++;
            matched = 0;
          }
        } else {
          matched = value[k] === DATA[0] ? 1 : 0;
        }
      }
    }
  } finally {
    ac.abort();
  }
  if (count < lines) throw new Error(`sse: only ${count} of ${lines} lines`);
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchLogs(): Promise<LogBench> {
  const name = `bench-logs-${Date.now().toString(36)}`;
  const created = await engine(`/containers/create?name=${name}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      Image: images.base,
      Cmd: ["sh", "-c", `seq 1 ${LINES}; sleep 600`],
      Labels: { [LABEL]: name },
    }),
  });
  if (!created.ok) throw new Error(`create: ${await created.text()}`);
  const { Id: id } = await created.json();
  const dataDir = await preparedDataDir("dockermate-bench-logs-");
  const server = await spawnServer(dataDir);
  try {
    const started = await engine(`/containers/${id}/start`, { method: "POST" });
    await started.body?.cancel();
    await waitFor(
      "the bench container to print every line",
      async () => {
        const res = await engine(`/containers/${id}/logs?stdout=1&tail=1`);
        const text = new TextDecoder().decode(new Uint8Array(await res.arrayBuffer()).subarray(8));
        return text.trim() === String(LINES);
      },
      60_000,
      200,
    );
    const client = await login(server.url);
    const directMs: number[] = [];
    const sseMs: number[] = [];
    // Warm both paths once (the first read pulls the log file into the page cache).
    await direct(id, LINES);
    await sse(server.url, client.cookie!, name, LINES);
    for (let i = 0; i < ROUNDS; i++) {
      directMs.push(await direct(id, LINES));
      sseMs.push(await sse(server.url, client.cookie!, name, LINES));
    }
    const directLinesPerSec = LINES / (median(directMs) / 1000);
    const sseLinesPerSec = LINES / (median(sseMs) / 1000);
    return {
      lines: LINES,
      sseLinesPerSec,
      directLinesPerSec,
      ratio: sseLinesPerSec / directLinesPerSec,
    };
  } finally {
    await server.stop();
    await Deno.remove(dataDir, { recursive: true });
    const res = await engine(`/containers/${id}?force=1`, { method: "DELETE" });
    await res.body?.cancel();
  }
}

if (import.meta.main) {
  const r = await benchLogs();
  console.log(
    `log lines/s: SSE ${Math.round(r.sseLinesPerSec)}, direct ${
      Math.round(r.directLinesPerSec)
    }, ratio ${r.ratio.toFixed(2)} (goal ≥ 0.5)`,
  );
}

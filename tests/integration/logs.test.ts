/**
 * Logs against the real daemon: the API's lines (complete and in order, TTY and not, stderr
 * apart, tail/since/grep), the live SSE stream, the download against `docker logs` itself,
 * escaping in the viewer's stream, following across `docker restart`, the merged view.
 *
 * Needs the test bed (tests/testbed/up.sh). Run: deno test -A tests/integration/logs.test.ts
 */
import assert from "node:assert/strict";
import { type Client, setupAndLogin } from "../helpers/client.ts";
import { docker, removeLabeled, runId, runLabeled } from "../helpers/docker.ts";
import { startServer, type TestServer, waitFor } from "../helpers/server.ts";
import { dockerCli, images } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const N = 2000;

async function withApp(fn: (s: TestServer, c: Client, run: string) => Promise<void>) {
  const run = runId();
  const server = await startServer();
  try {
    const client = await setupAndLogin(server.url);
    await fn(server, client, run);
  } finally {
    await removeLabeled(run);
    await server.stop();
  }
}

/** `docker run -d` with the test label; `script` runs under sh -c in the base image. */
async function runScript(run: string, name: string, script: string, tty = false): Promise<void> {
  await runLabeled(run, name, [...(tty ? ["-t"] : []), images.base, "sh", "-c", script]);
}

async function runTicker(run: string, name: string): Promise<void> {
  await runLabeled(run, name, [images.ticker]);
}

/** Waits until `docker logs` shows `text`. */
async function waitForLog(name: string, text: string): Promise<void> {
  await waitFor(
    `"${text}" in the logs of ${name}`,
    async () => {
      const r = await dockerCli(["logs", name]);
      return (r.stdout + r.stderr).includes(text);
    },
    30_000,
    200,
  );
}

type SseEvent = { event: string; data: string; id: string };

/** Reads Server-Sent Events from a response body as they come. */
async function* sseEvents(res: Response): AsyncGenerator<SseEvent> {
  let buffer = "";
  let lastId = "";
  for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const [field, ...rest] = line.split(":");
        const value = rest.join(":").replace(/^ /, "");
        if (field === "event") event = value;
        else if (field === "data") data.push(value);
        else if (field === "id") lastId = value;
      }
      if (data.length) yield { event, data: data.join("\n"), id: lastId };
    }
  }
}

/** Collects events until `until` says enough (or the timeout passes, which fails). */
async function collect(
  client: Client,
  path: string,
  until: (events: SseEvent[]) => boolean,
  timeoutMs = 30_000,
  headers: Record<string, string> = {},
): Promise<SseEvent[]> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const events: SseEvent[] = [];
  try {
    const res = await client.request("GET", path, { signal: ac.signal, headers });
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
    for await (const e of sseEvents(res)) {
      events.push(e);
      if (until(events)) break;
    }
  } catch (err) {
    if (!ac.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  assert.ok(
    until(events),
    `${path}: not enough within ${timeoutMs} ms: ${JSON.stringify(events.slice(-5))}`,
  );
  return events;
}

const seq = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

Deno.test(
  "logs API: every line, in order, stdout and stderr apart, TTY and not",
  opts,
  async () => {
    await withApp(async (_s, client, run) => {
      const plain = `${run}-plain`;
      const tty = `${run}-tty`;
      const script = `for i in $(seq 1 ${N}); do echo "line $i"; echo "err $i" >&2; done; sleep 60`;
      await runScript(run, plain, script);
      await runScript(run, tty, `for i in $(seq 1 ${N}); do echo "line $i"; done; sleep 60`, true);
      await waitForLog(plain, `err ${N}`);
      await waitForLog(tty, `line ${N}`);

      const out = await client.json<{ lines: string[]; cli: string }>(
        "GET",
        `/api/v1/containers/${plain}/logs?tail=all&stream=stdout`,
      );
      assert.equal(out.status, 200);
      assert.deepEqual(out.body.lines, seq("line ", 1, N));
      assert.equal(out.body.cli, `docker logs ${plain} 2>/dev/null`);
      const err = await client.json<{ lines: string[] }>(
        "GET",
        `/api/v1/containers/${plain}/logs?tail=all&stream=stderr`,
      );
      assert.deepEqual(err.body.lines, seq("err ", 1, N));
      const both = await client.json<{ lines: string[] }>(
        "GET",
        `/api/v1/containers/${plain}/logs?tail=all`,
      );
      assert.equal(both.body.lines.length, 2 * N);
      assert.deepEqual(both.body.lines.filter((l) => l.startsWith("line ")), seq("line ", 1, N));

      const t = await client.json<{ lines: string[] }>(
        "GET",
        `/api/v1/containers/${tty}/logs?tail=all`,
      );
      assert.deepEqual(t.body.lines, seq("line ", 1, N), "TTY lines have no \\r and none is lost");
    });
  },
);

Deno.test("logs API: tail, timestamps, since, until, grep, cli; 400 and 404", opts, async () => {
  await withApp(async (_s, client, run) => {
    const name = `${run}-web`;
    await runScript(
      run,
      name,
      `for i in $(seq 1 ${N}); do echo "line $i"; done; printf '\\033[1;31mred\\033[0m text\\n'; sleep 60`,
    );
    await waitForLog(name, "red");
    const tail = await client.json<{ lines: string[]; cli: string }>(
      "GET",
      `/api/v1/containers/${name}/logs?tail=3&timestamps=1`,
    );
    assert.equal(tail.status, 200);
    assert.equal(tail.body.cli, `docker logs --tail 3 --timestamps ${name}`);
    assert.equal(tail.body.lines.length, 3);
    const stamped = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (.*)$/;
    assert.deepEqual(
      tail.body.lines.map((l) => stamped.exec(l)?.[2]),
      [`line ${N - 1}`, `line ${N}`, "red text"],
      "ANSI removed, timestamps first",
    );

    // since = the time of line 1000: that line and everything after (Docker's since is inclusive).
    const stampedAll = await client.json<{ lines: string[] }>(
      "GET",
      `/api/v1/containers/${name}/logs?tail=all&timestamps=1`,
    );
    const at1000 = stampedAll.body.lines.find((l) => l.endsWith(" line 1000"))!;
    const ts1000 = stamped.exec(at1000)![1];
    const since = await client.json<{ lines: string[] }>(
      "GET",
      `/api/v1/containers/${name}/logs?tail=all&since=${encodeURIComponent(ts1000)}`,
    );
    assert.equal(since.status, 200);
    const firstSince = since.body.lines.indexOf("line 1000");
    assert.ok(firstSince >= 0 && firstSince <= 1, since.body.lines.slice(0, 3).join("|"));
    assert.equal(since.body.lines.at(-1), "red text");
    // until (unix seconds) well before the container existed: nothing.
    const until = await client.json<{ lines: string[] }>(
      "GET",
      `/api/v1/containers/${name}/logs?tail=all&until=1000000000`,
    );
    assert.deepEqual(until.body.lines, []);

    const grep = await client.json<{ lines: string[]; cli: string }>(
      "GET",
      `/api/v1/containers/${name}/logs?tail=all&grep=LINE%2019`,
    );
    assert.deepEqual(grep.body.lines, [
      "line 19",
      ...seq("line ", 190, 199),
      ...seq("line ", 1900, 1999),
    ]);
    assert.equal(grep.body.cli, `docker logs ${name} 2>&1 | grep -iF -- 'LINE 19'`);

    const bad = await client.json<{ error: string; message: string }>(
      "GET",
      `/api/v1/containers/${name}/logs?tail=lots`,
    );
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /^tail: /);
    const badSince = await client.json<{ message: string }>(
      "GET",
      `/api/v1/containers/${name}/logs?since=someday`,
    );
    assert.equal(badSince.status, 400);
    assert.match(badSince.body.message, /^since: /);
    const missing = await client.json<{ error: string }>(
      "GET",
      `/api/v1/containers/${run}-nothing/logs`,
    );
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error, "NotFound");
    const anonymous = await fetch(`${client.base}/api/v1/containers/${name}/logs`);
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();
  });
});

Deno.test("logs API: follow=1 streams new lines as SSE, one data: per line", opts, async () => {
  await withApp(async (_s, client, run) => {
    const name = `${run}-tick`;
    await runTicker(run, name);
    await waitForLog(name, "line 2");
    const events = await collect(
      client,
      `/api/v1/containers/${name}/logs?follow=1&tail=0`,
      (es) => es.filter((e) => e.event === "message").length >= 5,
    );
    const data = events.filter((e) => e.event === "message").map((e) => e.data);
    const numbers = data.map((d) => Number(/^line (\d+)$/.exec(d)?.[1]));
    assert.ok(numbers.every((n) => Number.isInteger(n)), data.join("|"));
    for (let i = 1; i < numbers.length; i++) assert.equal(numbers[i], numbers[i - 1] + 1);
    assert.ok(numbers[0] >= 2, "tail=0: only new lines");
    // The id resumes: a second stream after the third line's id starts with the fourth line.
    const third = events.filter((e) => e.event === "message")[2];
    const resumed = await collect(
      client,
      `/api/v1/containers/${name}/logs?follow=1&tail=0`,
      (es) => es.some((e) => e.event === "message"),
      30_000,
      { "last-event-id": third.id },
    );
    assert.equal(resumed.find((e) => e.event === "message")!.data, `line ${numbers[3]}`);
  });
});

Deno.test("download: the whole log as a file, equal to docker logs", opts, async () => {
  await withApp(async (_s, client, run) => {
    const plain = `${run}-plain`;
    const tty = `${run}-tty`;
    const script =
      `for i in $(seq 1 ${N}); do echo "line $i ✓"; echo "err $i" >&2; done; echo "all done"; sleep 60`;
    await runScript(run, plain, script);
    await runScript(
      run,
      tty,
      `for i in $(seq 1 ${N}); do printf '\\033[32mline\\033[0m %s\\n' $i; done; sleep 60`,
      true,
    );
    await waitForLog(plain, "all done");
    await waitForLog(tty, `line\x1b[0m ${N}`);

    const cli = await dockerCli(["logs", plain]);
    const out = await client.text(
      "GET",
      `/containers/${plain}/logs/download?tail=all&stream=stdout`,
    );
    assert.equal(out.status, 200);
    assert.equal(out.res.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.match(
      out.res.headers.get("content-disposition") ?? "",
      new RegExp(`^attachment; filename="${plain}-\\d{8}T\\d{6}Z\\.log"$`),
    );
    assert.equal(out.body, cli.stdout);
    const err = await client.text(
      "GET",
      `/containers/${plain}/logs/download?tail=all&stream=stderr`,
    );
    assert.equal(err.body, cli.stderr);
    const both = await client.text("GET", `/containers/${plain}/logs/download?tail=all`);
    assert.equal(both.body.length, cli.stdout.length + cli.stderr.length);

    const cliTs = await dockerCli(["logs", "--timestamps", "--tail", "50", plain]);
    const ts = await client.text(
      "GET",
      `/containers/${plain}/logs/download?tail=50&timestamps=1&stream=stdout`,
    );
    assert.equal(ts.body, cliTs.stdout);

    const cliTty = await dockerCli(["logs", tty]);
    const ttyOut = await client.text("GET", `/containers/${tty}/logs/download?tail=all`);
    assert.equal(ttyOut.body, cliTty.stdout, "TTY: raw bytes, colour codes and \\r\\n kept");

    const grep = await client.text(
      "GET",
      `/containers/${plain}/logs/download?tail=all&grep=err%20199`,
    );
    assert.equal(grep.body, `err 199\n${seq("err ", 1990, 1999).join("\n")}\n`);
  });
});

Deno.test(
  "viewer stream: log text is escaped HTML, stderr marked, colours as classes",
  opts,
  async () => {
    await withApp(async (_s, client, run) => {
      const name = `${run}-xss`;
      await runScript(
        run,
        name,
        `echo '<script>alert(1)</script>'; echo '<img src=x onerror=alert(2)>' >&2; printf '\\033[31mred\\033[0m\\n'; sleep 60`,
      );
      await waitForLog(name, "red");
      const page = await client.text("GET", `/containers/${name}/logs`);
      assert.equal(page.status, 200);
      assert.match(page.body, /id="log-viewer"/);
      assert.match(page.body, new RegExp(`<code>docker logs --tail 100 ${name}</code>`));
      const events = await collect(
        client,
        `/containers/${name}/logs/stream?tail=all`,
        (es) => es.some((e) => e.data.includes("ansi-red-fg")),
      );
      const html = events.filter((e) => e.event === "message").map((e) => e.data).join("");
      assert.match(html, /<span class="log-text">&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/span>/);
      assert.match(
        html,
        /<li class="log-line" data-stream="stderr"><span class="log-text">&lt;img src=x onerror=alert\(2\)&gt;<\/span><\/li>/,
      );
      assert.match(html, /<span class="ansi-red-fg">red<\/span>/);
      assert.doesNotMatch(html, /<script>|<img|style=/);
      // Options the server refuses, or a container that is not there: said in the stream, which
      // then ends (so that the page does not reconnect in a loop).
      for (
        const path of [
          `/containers/${name}/logs/stream?since=whenever`,
          `/containers/${run}-none/logs/stream`,
        ]
      ) {
        const refused = await client.text("GET", path);
        assert.equal(refused.status, 200);
        assert.match(
          refused.body,
          /data: <li class="log-notice" data-kind="error">— (since: |No container)/,
        );
        assert.match(refused.body, /event: end\n/);
      }
      const meta = events.find((e) => e.event === "meta")!;
      assert.match(meta.data, new RegExp(`<code>docker logs ${name}</code>`));
      assert.match(meta.data, new RegExp(`/containers/${name}/logs/download\\?tail=all`));
    });
  },
);

Deno.test(
  "follow across docker restart: says so, goes on, no line lost or doubled",
  opts,
  async () => {
    await withApp(async (_s, client, run) => {
      const name = `${run}-tick`;
      await runTicker(run, name);
      await waitForLog(name, "line 3");
      let restarted = false;
      const restarting = (async () => {
        await waitForLog(name, "line 8");
        await docker(["restart", "-t", "2", name]);
        restarted = true;
      })();
      const events = await collect(
        client,
        `/api/v1/containers/${name}/logs?follow=1&tail=5&timestamps=1`,
        (es) => {
          const after = es.findIndex((e) => e.event === "restarted");
          return after >= 0 && es.slice(after).filter((e) => e.event === "message").length >= 6;
        },
        45_000,
      );
      await restarting;
      assert.ok(restarted);
      // `docker restart` stops and starts at once: the follower may find it stopped (and say
      // so) or already running again; either way it says "restarted" once.
      const notes = events.filter((e) => e.event !== "message").map((e) => `${e.event}: ${e.data}`);
      assert.ok(
        ["restarted", "stopped,restarted"].includes(notes.map((n) => n.split(":")[0]).join()),
        notes.join(" | "),
      );
      assert.deepEqual(
        notes.filter((n) => n.startsWith("stopped")),
        notes.length === 2 ? ["stopped: container stopped (exit 0)"] : [],
      );

      const lines = events.filter((e) => e.event === "message").map((e) => e.data);
      const stamps = lines.map((l) => l.slice(0, 30));
      for (let i = 1; i < stamps.length; i++) {
        assert.ok(stamps[i] > stamps[i - 1], `times increase: ${lines[i - 1]} / ${lines[i]}`);
      }
      // Exactly what Docker has between the first and the last line received.
      const all = (await dockerCli(["logs", "--timestamps", name])).stdout.trimEnd().split("\n");
      const from = all.indexOf(lines[0]);
      assert.ok(from >= 0, `${lines[0]} is in docker logs`);
      assert.deepEqual(lines, all.slice(from, from + lines.length));
      // And the new run starts again at line 0, right after the restart.
      const restartAt = events.findIndex((e) => e.event === "restarted");
      const firstAfter = events.slice(restartAt).find((e) => e.event === "message")!;
      assert.match(firstAfter.data, / line 0$/);
    });
  },
);

Deno.test(
  "merged view: two containers' lines, each with its chip; picker and 404",
  opts,
  async () => {
    await withApp(async (_s, client, run) => {
      const a = `${run}-a`;
      const b = `${run}-b`;
      await runScript(run, a, `echo "from a"; sleep 60`);
      await runTicker(run, b);
      await waitForLog(a, "from a");
      await waitForLog(b, "line 1");
      const picker = await client.text("GET", "/containers/logs");
      assert.equal(picker.status, 200);
      assert.match(picker.body, new RegExp(`name="ids" value="${a}"`));
      const page = await client.text("GET", `/containers/logs?ids=${a},${b}`);
      assert.equal(page.status, 200);
      assert.match(page.body, new RegExp(`<input type="hidden" name="ids" value="${a},${b}"`));
      const events = await collect(
        client,
        `/containers/logs/stream?ids=${a},${b}&tail=10`,
        (es) => {
          const html = es.map((e) => e.data).join("");
          return html.includes(`>${a}</span>`) &&
            (html.match(new RegExp(`>${b}</span>`, "g")) ?? []).length >= 12;
        },
      );
      const html = events.map((e) => e.data).join("");
      assert.match(
        html,
        new RegExp(`<span class="log-chip chip-0">${a}</span><span class="log-text">from a</span>`),
      );
      assert.match(
        html,
        new RegExp(
          `<span class="log-chip chip-1">${b}</span><span class="log-text">line \\d+</span>`,
        ),
      );
      const missing = await client.text("GET", `/containers/logs?ids=${run}-none`);
      assert.equal(missing.status, 404);
      const tooMuch = await client.text("GET", `/containers/logs?ids=${a}&tail=all`);
      assert.equal(tooMuch.status, 400);
      assert.match(tooMuch.body, /tail: at most 5000 lines per container/);
      const refused = await client.text("GET", `/containers/logs/stream?ids=${a}&tail=all`);
      assert.match(refused.body, /data-kind="error">— tail: at most 5000[^]*event: end/);
    });
  },
);

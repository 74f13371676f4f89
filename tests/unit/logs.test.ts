/**
 * Logs without a daemon: the incremental demultiplexer against hand-made frames cut at every
 * offset, line splitting, timestamps, junk bytes, long lines, the HTML a line becomes, the
 * option parsing, and following across a restart with a fake Docker.
 */
import assert from "node:assert/strict";
import type { ContainerStore, StoreChange } from "../../services/containers/store.ts";
import type { DockerClient } from "../../services/docker/client.ts";
import { dockerTime, logQuerySchema, logsCli, tsToDocker } from "../../services/logs/query.ts";
import {
  type FollowItem,
  followLogs,
  parseResumeId,
  resumeId,
} from "../../services/logs/follow.ts";
import { mergeAsync } from "../../services/logs/merge.ts";
import {
  demux,
  FrameDemuxer,
  LogDecoder,
  type LogEntry,
  MAX_LINE_CHARS,
  sanitize,
  stripAnsi,
} from "../../services/logs/format.ts";
import { ansiToHtml, loadAnsiUp } from "../../components/ansi-html.ts";
import { lineHtml, noticeText } from "../../components/logs.tsx";
import { eventStream } from "../../routes/live-stream.ts";

const enc = new TextEncoder();

/** One frame of Docker's multiplexed format. */
function frame(stream: 1 | 2, payload: string | Uint8Array): Uint8Array {
  const body = typeof payload === "string" ? enc.encode(payload) : payload;
  const out = new Uint8Array(8 + body.length);
  out[0] = stream;
  new DataView(out.buffer).setUint32(4, body.length);
  out.set(body, 8);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Feeds `bytes` to a fresh decoder in the pieces `cuts` makes; returns every line. */
function decode(bytes: Uint8Array, cuts: number[], tty = false, timestamps = true): LogEntry[] {
  const d = new LogDecoder(tty, timestamps);
  const out: LogEntry[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    d.push(bytes.subarray(from, cut), out);
    from = cut;
  }
  d.end(out);
  return out;
}

const TS1 = "2024-05-01T12:00:00.000000001Z";
const TS2 = "2024-05-01T12:00:00.000000002Z";
const TS3 = "2024-05-01T12:00:01.500000000Z";
const TS4 = "2024-05-01T12:00:02.000000000Z";

/** Frames as Docker sends them with timestamps=1: one message per frame. */
const framed = concat(
  frame(1, `${TS1} hello world\n`),
  frame(2, `${TS2} oops: ünïcödé ✓ 🐳\r\n`),
  // A line longer than Docker's 16 KiB arrives as several messages, each with its own time.
  frame(1, `${TS3} first part `),
  frame(1, `${TS4} second part\n`),
  frame(1, new Uint8Array(0)),
  frame(2, `${TS4} \n`),
  frame(1, `${TS4} no newline at the end`),
);

const expectedFramed: LogEntry[] = [
  { stream: "stdout", text: "hello world", ts: TS1 },
  { stream: "stderr", text: "oops: ünïcödé ✓ 🐳", ts: TS2 },
  { stream: "stdout", text: "first part second part", ts: TS3 },
  { stream: "stderr", text: "", ts: TS4 },
  { stream: "stdout", text: "no newline at the end", ts: TS4 },
];

Deno.test("demux: frames split at every offset give the same lines", () => {
  assert.deepEqual(decode(framed, []), expectedFramed);
  for (let k = 0; k <= framed.length; k++) {
    assert.deepEqual(decode(framed, [k]), expectedFramed, `one cut at ${k}`);
  }
});

Deno.test("demux: frames split at every pair of offsets, and byte by byte", () => {
  const n = framed.length;
  for (let a = 1; a < n; a += 3) {
    for (let b = a; b < n; b += 5) {
      assert.deepEqual(decode(framed, [a, b]), expectedFramed, `cuts at ${a} and ${b}`);
    }
  }
  const everyByte = Array.from({ length: n - 1 }, (_, i) => i + 1);
  assert.deepEqual(decode(framed, everyByte), expectedFramed);
});

Deno.test("demux: a multi-byte character split across two frames of a line stays whole", () => {
  const whale = enc.encode("🐳");
  const bytes = concat(
    frame(1, concat(enc.encode(`${TS1} a`), whale.subarray(0, 2))),
    frame(1, concat(enc.encode(`${TS2} `), whale.subarray(2), enc.encode("b\n"))),
  );
  for (let k = 0; k <= bytes.length; k++) {
    assert.deepEqual(decode(bytes, [k]), [{ stream: "stdout", text: "a🐳b", ts: TS1 }]);
  }
});

Deno.test("demux: the frame layer alone reports stream, payload and frame starts", () => {
  const bytes = concat(frame(1, "ab"), frame(2, "cd"));
  const d = new FrameDemuxer();
  const pieces = [...d.push(bytes.subarray(0, 9)), ...d.push(bytes.subarray(9))];
  assert.deepEqual(
    pieces.map((p) => [p.stream, new TextDecoder().decode(p.bytes), p.start]),
    [["stdout", "a", true], ["stdout", "b", false], ["stderr", "cd", true]],
  );
  assert.equal(d.raw, false);
});

Deno.test("demux: lines spanning chunks and frames join; \\r\\n ends a line", () => {
  const bytes = concat(
    frame(1, `${TS1} one\n`),
    frame(1, `${TS2} two `),
    frame(2, `${TS2} err\r\n`),
    frame(1, `${TS3} continued\r\n`),
  );
  assert.deepEqual(decode(bytes, [3, 20, 21, 40]), [
    { stream: "stdout", text: "one", ts: TS1 },
    { stream: "stderr", text: "err", ts: TS2 },
    { stream: "stdout", text: "two continued", ts: TS2 },
  ]);
});

Deno.test("demux: a TTY stream is raw text with a timestamp before every line", () => {
  const raw = enc.encode(`${TS1} line 1\r\n${TS2} line 2\r\n${TS3} \x1b[32mgreen\x1b[0m\r\n`);
  const expected: LogEntry[] = [
    { stream: "stdout", text: "line 1", ts: TS1 },
    { stream: "stdout", text: "line 2", ts: TS2 },
    { stream: "stdout", text: "\x1b[32mgreen\x1b[0m", ts: TS3 },
  ];
  for (let k = 0; k <= raw.length; k++) assert.deepEqual(decode(raw, [k], true), expected);
});

Deno.test("demux: a non-TTY stream that is not framed after all is read as raw text", () => {
  const raw = enc.encode("plain text\nmore\n");
  for (let k = 0; k <= raw.length; k++) {
    assert.deepEqual(decode(raw, [k], false, false), [
      { stream: "stdout", text: "plain text" },
      { stream: "stdout", text: "more" },
    ]);
  }
});

Deno.test("demux: the old whole-buffer demux and tail helpers still work", () => {
  const bytes = concat(frame(1, "a\nb"), frame(2, "x\n"), frame(1, "c\n"));
  assert.deepEqual(demux(bytes, false), [
    { stream: "stdout", text: "a" },
    { stream: "stderr", text: "x" },
    { stream: "stdout", text: "bc" },
  ]);
  assert.deepEqual(demux(enc.encode("t1\r\nt2\r\n"), true), [
    { stream: "stdout", text: "t1" },
    { stream: "stdout", text: "t2" },
  ]);
  assert.equal(stripAnsi("\x1b[1;31mred\x1b[0m"), "red");
});

Deno.test("junk: invalid UTF-8 becomes U+FFFD; controls and non-colour escapes go", () => {
  const junk = concat(
    enc.encode(`${TS1} `),
    new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x07, 0x08, 0xc3]),
    enc.encode("\x1b[2J\x1b]0;title\x07\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\"),
    enc.encode("\x1b[1;31mred\x1b[0m\x1b(B mid\rline\ttab\x7f\x1b\n"),
  );
  const [line] = decode(frame(1, junk), []);
  assert.equal(line.text, "\uFFFD\uFFFDA\uFFFDlink\x1b[1;31mred\x1b[0m midline\ttab");
  assert.equal(line.ts, TS1);
  assert.equal(sanitize("fine text"), "fine text");
});

Deno.test("long lines are cut at 16 KiB with a marker; the next line is whole", () => {
  const long = "x".repeat(MAX_LINE_CHARS + 5000);
  const bytes = concat(frame(1, `${TS1} ${long}\n`), frame(1, `${TS2} next\n`));
  const lines = decode(bytes, [100, 9000, 17000]);
  assert.equal(lines.length, 2);
  assert.equal(lines[0].text, `${"x".repeat(MAX_LINE_CHARS)} … [line cut: 5000 more bytes]`);
  assert.deepEqual(lines[1], { stream: "stdout", text: "next", ts: TS2 });
  // Without any newline at all (a TTY writing forever): still bounded.
  const d = new LogDecoder(true, false);
  for (let i = 0; i < 100; i++) d.push(enc.encode("y".repeat(10_000)));
  const [one] = d.end();
  assert.ok(one.text.length < MAX_LINE_CHARS + 100);
  assert.match(one.text, /\[line cut: 983616 more bytes\]$/);
});

Deno.test("html: log text is escaped, colours become classes, never a style attribute", async () => {
  const au = await loadAnsiUp();
  assert.equal(
    ansiToHtml(au, "<script>alert(1)</script>"),
    "&lt;script&gt;alert(1)&lt;/script&gt;",
  );
  assert.equal(
    ansiToHtml(au, "\x1b[31m<b>red</b>\x1b[0m & \"q\" 'a'"),
    `<span class="ansi-red-fg">&lt;b&gt;red&lt;/b&gt;</span> &amp; &quot;q&quot; &#x27;a&#x27;`,
  );
  const styled = ansiToHtml(
    au,
    "\x1b[1mbold\x1b[0m \x1b[38;5;196mx256\x1b[0m \x1b[38;2;0;0;200;48;2;0;180;0mtrue\x1b[0m \x1b[3;4mi\x1b[0m",
  );
  assert.doesNotMatch(styled, /style=/);
  assert.match(styled, /<span class="ansi-bold">bold<\/span>/);
  assert.match(styled, /<span class="ansi-red-fg">x256<\/span>/);
  assert.match(styled, /<span class="ansi-blue-fg ansi-green-bg">true<\/span>/);
  assert.match(styled, /<span class="ansi-italic ansi-underline">i<\/span>/);
  // A colour left open does not leak into the next line.
  assert.equal(ansiToHtml(au, "\x1b[32mopen"), `<span class="ansi-green-fg">open</span>`);
  assert.equal(ansiToHtml(au, "plain"), "plain");
  // A line as the viewer gets it: stream, time, chip, all escaped.
  const li = lineHtml(au, { stream: "stderr", text: "<img src=x onerror=alert(1)>", ts: TS3 }, {
    timestamps: true,
    chip: { name: "<web>", color: 2 },
  });
  assert.equal(
    li,
    `<li class="log-line" data-stream="stderr"><span class="log-chip chip-2">&lt;web&gt;</span>` +
      `<time class="log-ts" datetime="${TS3}"><span class="log-date">2024-05-01 </span>12:00:01.500</time>` +
      `<span class="log-text">&lt;img src=x onerror=alert(1)&gt;</span></li>`,
  );
  assert.equal(noticeText({ kind: "stopped", exitCode: 0 }), "— container stopped (exit 0) —");
  assert.equal(noticeText({ kind: "restarted" }), "— container restarted —");
});

Deno.test("options: times, tail, stream, grep and the docker logs command", () => {
  assert.equal(dockerTime("1714564800"), "1714564800.000000000");
  assert.equal(dockerTime("1714564800.5"), "1714564800.500000000");
  assert.equal(dockerTime("2024-05-01T12:00:00Z"), "1714564800.000000000");
  assert.equal(dockerTime("2024-05-01T14:00:00.123+02:00"), "1714564800.123000000");
  assert.equal(dockerTime("2024-05-01"), "1714521600.000000000");
  assert.equal(dockerTime("10m", 1_714_564_800_000), "1714564200.000000000");
  assert.equal(dockerTime("1h30m", 1_714_564_800_000), "1714559400.000000000");
  assert.equal(dockerTime("yesterday"), null);
  assert.equal(tsToDocker("2024-05-01T12:00:00.000000042Z"), "1714564800.000000042");
  assert.deepEqual(parseResumeId(resumeId({ ts: TS1, count: 3 })), { ts: TS1, count: 3 });
  assert.deepEqual(parseResumeId(TS2), { ts: TS2, count: 1 });
  assert.equal(parseResumeId("<script>"), null);

  const q = logQuerySchema.parse({ tail: "100", timestamps: "1" });
  assert.equal(logsCli("web", q), "docker logs --tail 100 --timestamps web");
  const all = logQuerySchema.parse({
    tail: "all",
    since: "10m",
    until: "2024-05-01T12:00:00Z",
    stream: "stderr",
    grep: "it's bad",
  });
  assert.equal(
    logsCli("web", all),
    `docker logs --since 10m --until 2024-05-01T12:00:00Z web 2>&1 >/dev/null | grep -iF -- "it's bad"`,
  );
  assert.equal(
    logsCli("web", logQuerySchema.parse({ grep: "x" })),
    "docker logs --tail 100 web 2>&1 | grep -iF -- x",
  );
  assert.equal(
    logsCli("web", logQuerySchema.parse({ stream: "stdout" }), { follow: true }),
    "docker logs --tail 100 --follow web 2>/dev/null",
  );
  const bad = logQuerySchema.safeParse({ tail: "-1", since: "soon", stream: "both2" });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error!.issues.map((i) => i.path[0]).sort(), ["since", "stream", "tail"]);
  const empty = logQuerySchema.parse({ tail: "", since: "", until: "", grep: "  ", stream: "" });
  assert.deepEqual(
    [empty.tail, empty.since, empty.until, empty.grep, empty.stream],
    [100, undefined, undefined, undefined, "both"],
  );
});

// ---------------------------------------------------------------------------------------------
// Following across a restart, with a fake Docker and a fake store

type FakeState = { Running: boolean; Restarting: boolean; StartedAt: string; ExitCode: number };

function fakeDeps(script: { streams: string[][]; states: FakeState[] }) {
  const requests: Record<string, string>[] = [];
  let stateIndex = 0;
  let inspections = 0;
  const listeners = new Set<(c: StoreChange) => void>();
  const docker = {
    engine: (req: { path: string }) => {
      if (!req.path.endsWith("/json")) throw new Error(`unexpected ${req.path}`);
      inspections++;
      const State = script.states[Math.min(stateIndex, script.states.length - 1)];
      return Promise.resolve({
        Id: "abc",
        Name: "/web",
        Config: { Tty: false },
        State: { ...State, FinishedAt: "" },
      });
    },
    engineStream: (req: { query: Record<string, string> }) => {
      requests.push(Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)])));
      const lines = script.streams[requests.length - 1] ?? [];
      const body = concat(...lines.map((l) => frame(l.startsWith("E") ? 2 : 1, `${l.slice(1)}\n`)));
      return Promise.resolve(new Response(body));
    },
  } as unknown as DockerClient;
  const store = {
    subscribe(fn: (c: StoreChange) => void) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  } as unknown as ContainerStore;
  /** The next state, announced as the store would; resolves once the follower inspected it. */
  const change = async () => {
    const before = inspections;
    stateIndex++;
    for (const fn of [...listeners]) fn({ kind: "update", id: "abc", container: {} as never });
    await until(() => inspections > before);
  };
  return { docker, store, requests, change, listeners };
}

/** Waits for a condition, letting everything queued run between looks (no fixed delay). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 0));
}

Deno.test("follow: stopped, then restarted: reopened since the last line, none doubled", async () => {
  const started1 = "2024-05-01T11:00:00.000000000Z";
  const started2 = "2024-05-01T12:00:05.000000000Z";
  const f = fakeDeps({
    streams: [
      [`O${TS1} one`, `E${TS2} two`, `O${TS3} three`],
      // Docker's `since` includes the line at that very time: it must be skipped.
      [`O${TS3} three`, `O${TS4} four`],
    ],
    states: [
      { Running: true, Restarting: false, StartedAt: started1, ExitCode: 0 },
      { Running: true, Restarting: false, StartedAt: started1, ExitCode: 0 },
      { Running: false, Restarting: false, StartedAt: started1, ExitCode: 0 },
      { Running: true, Restarting: false, StartedAt: started2, ExitCode: 0 },
    ],
  });
  const ac = new AbortController();
  const got: FollowItem[] = [];
  const follower = followLogs(f, "abc", { tail: 100, stdout: true, stderr: true }, ac.signal);
  const reading = (async () => {
    for await (const item of follower) {
      got.push(item);
      if (item.kind === "lines" && item.lines.some((l) => l.text === "four")) ac.abort();
    }
  })();
  // The stream ended while inspect still says running (Docker closes the log first): the
  // follower waits for the store. Then: exited, then running again.
  await until(() => f.listeners.size > 0);
  await f.change(); // still running, same start → keep waiting
  await f.change(); // exited
  await f.change(); // running again
  await reading;
  const text = got.map((i) => i.kind === "lines" ? i.lines.map((l) => l.text).join(",") : i.kind);
  assert.deepEqual(text, ["one,two,three", "stopped", "restarted", "four"]);
  assert.deepEqual(got[1], { kind: "stopped", exitCode: 0 });
  assert.equal(f.requests[0].tail, "100");
  assert.equal(f.requests[1].tail, "all");
  assert.equal(f.requests[1].since, tsToDocker(TS3));
  assert.equal(f.requests[1].timestamps, "1");
  assert.equal(f.listeners.size, 0, "no subscription left behind");
});

Deno.test("follow: a client resuming after an id gets only the lines after it", async () => {
  const f = fakeDeps({
    streams: [[`O${TS2} two`, `O${TS2} two-b`, `O${TS3} three`]],
    states: [{ Running: true, Restarting: false, StartedAt: TS1, ExitCode: 0 }],
  });
  const ac = new AbortController();
  const got: string[] = [];
  for await (
    const item of followLogs(f, "abc", {
      tail: 100,
      stdout: true,
      stderr: true,
      after: { ts: TS2, count: 1 },
    }, ac.signal)
  ) {
    if (item.kind === "lines") got.push(...item.lines.map((l) => l.text));
    ac.abort();
  }
  assert.deepEqual(got, ["two-b", "three"]);
  assert.equal(f.requests[0].since, tsToDocker(TS2));
});

Deno.test("sse: heartbeats while quiet, messages in order, the end closes the body", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const body = eventStream(
    async function* () {
      yield "data: a\n\n";
      await gate;
      yield "data: b\n\n";
    },
    [],
    30,
  );
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes(": ping")) text += (await reader.read()).value;
  release();
  while (true) {
    const r = await reader.read();
    if (r.done) break;
    text += r.value;
  }
  assert.match(text, /^: open\n\ndata: a\n\n(: ping\n\n)+data: b\n\n$/);
});

Deno.test("merge: values of several sources interleave as they come; errors are reported", async () => {
  async function* slow(tag: string, n: number, ms: number) {
    for (let i = 0; i < n; i++) {
      await new Promise((r) => setTimeout(r, ms));
      yield `${tag}${i}`;
    }
  }
  // deno-lint-ignore require-yield
  async function* broken(): AsyncGenerator<string> {
    throw new Error("boom");
  }
  const seen: string[] = [];
  for await (const m of mergeAsync([slow("a", 3, 5), slow("b", 2, 12), broken()])) {
    seen.push("error" in m ? `error ${m.index}` : `${m.index}:${m.value}`);
  }
  assert.deepEqual(seen.filter((s) => s.startsWith("0:")), ["0:a0", "0:a1", "0:a2"]);
  assert.deepEqual(seen.filter((s) => s.startsWith("1:")), ["1:b0", "1:b1"]);
  assert.ok(seen.includes("error 2"));
});

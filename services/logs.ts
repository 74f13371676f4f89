import type { DockerClient } from "./docker.ts";

export type LogLine = { stream: "stdout" | "stderr"; text: string };

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*(\x07|\x1b\\)/g;

/** Removes terminal color and control sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/**
 * Splits Docker's multiplexed log format (8-byte frame headers: stream, 0, 0, 0, size) into
 * stdout and stderr text. A TTY container's logs are raw text with no frames.
 */
export function demux(bytes: Uint8Array, tty: boolean): LogLine[] {
  const dec = new TextDecoder();
  if (tty) return splitLines(dec.decode(bytes), "stdout");
  const out: LogLine[] = [];
  const partial: Record<"stdout" | "stderr", string> = { stdout: "", stderr: "" };
  let i = 0;
  while (i + 8 <= bytes.length) {
    const stream = bytes[i] === 2 ? "stderr" : "stdout";
    const size = new DataView(bytes.buffer, bytes.byteOffset + i + 4, 4).getUint32(0);
    const text = partial[stream] + dec.decode(bytes.subarray(i + 8, i + 8 + size));
    const parts = text.split("\n");
    partial[stream] = parts.pop() ?? "";
    for (const p of parts) out.push({ stream, text: p.replace(/\r$/, "") });
    i += 8 + size;
  }
  for (const stream of ["stdout", "stderr"] as const) {
    if (partial[stream]) out.push({ stream, text: partial[stream] });
  }
  return out;
}

function splitLines(text: string, stream: "stdout" | "stderr"): LogLine[] {
  const parts = text.split("\n").map((l) => l.replace(/\r$/, ""));
  if (parts.at(-1) === "") parts.pop();
  return parts.map((t) => ({ stream, text: t }));
}

/** The last `tail` lines of a container's logs, ANSI removed. */
export async function tailLogs(
  docker: DockerClient,
  id: string,
  tty: boolean,
  tail: number,
): Promise<LogLine[]> {
  const res = await docker.engineStream({
    path: `/containers/${encodeURIComponent(id)}/logs`,
    query: { stdout: 1, stderr: 1, tail },
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return demux(bytes, tty).map((l) => ({ ...l, text: stripAnsi(l.text) }));
}

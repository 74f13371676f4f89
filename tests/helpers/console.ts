/**
 * A console's WebSocket as a test drives it (the page's protocol: JSON text frames both ways,
 * the terminal's bytes as binary frames from the server), and a raw WebSocket handshake whose
 * HTTP status a test can read (a browser's WebSocket only says that it failed).
 */
import { dockerApi } from "./docker.ts";
import { waitFor } from "./server.ts";

export type Control = { type: string; exec?: string; reason?: string; message?: string };

/** One open console socket: what it printed, what it was told, and how to drive it. */
export class ConsoleSocket {
  text = "";
  controls: Control[] = [];
  closed = false;
  readonly #ws: WebSocket;
  readonly opened: Promise<void>;

  constructor(url: string, headers: Record<string, string>) {
    this.#ws = new WebSocket(url, { headers } as unknown as string[]);
    this.#ws.binaryType = "arraybuffer";
    const decoder = new TextDecoder();
    this.#ws.onmessage = (e) => {
      if (typeof e.data === "string") this.controls.push(JSON.parse(e.data));
      else this.text += decoder.decode(new Uint8Array(e.data), { stream: true });
    };
    this.#ws.onclose = () => (this.closed = true);
    this.opened = new Promise((resolve, reject) => {
      this.#ws.onopen = () => resolve();
      this.#ws.onerror = () => reject(new Error(`WebSocket ${url} failed`));
    });
  }

  /** The exec the server started, once it said so. */
  async started(timeoutMs = 15_000): Promise<string> {
    await this.opened;
    const control = await this.control("started", timeoutMs);
    return control.exec!;
  }

  /** The first control message of `type`, waiting up to `timeoutMs` for it. */
  async control(type: string, timeoutMs = 15_000): Promise<Control> {
    await waitFor(
      `a "${type}" message (got ${JSON.stringify(this.controls)})`,
      () => this.controls.some((c) => c.type === type),
      timeoutMs,
    );
    return this.controls.find((c) => c.type === type)!;
  }

  /** Waits until the terminal printed something matching `pattern`. */
  async output(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    await waitFor(
      `output matching ${pattern} (got ${JSON.stringify(this.text)})`,
      () => pattern.test(this.text),
      timeoutMs,
    );
    return this.text.match(pattern)!;
  }

  type(data: string): void {
    this.#ws.send(JSON.stringify({ type: "input", data }));
  }

  resize(cols: number, rows: number): void {
    this.#ws.send(JSON.stringify({ type: "resize", cols, rows }));
  }

  /** Sends anything (a malformed message, say). */
  sendRaw(data: string): void {
    this.#ws.send(data);
  }

  close(): void {
    this.#ws.close();
  }

  /** Resolves once the server closed the socket. */
  async whenClosed(timeoutMs = 15_000): Promise<void> {
    await waitFor("the socket to close", () => this.closed, timeoutMs);
  }
}

/** `ws://…` for a path of the server at `base` (`http://…`). */
export function wsUrl(base: string, path: string): string {
  return `${base.replace(/^http/, "ws")}${path}`;
}

/**
 * A WebSocket handshake sent by hand over TCP: the HTTP status the server answered (101 when
 * it accepted), so a test can tell a 403 from a 409.
 */
export async function handshakeStatus(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<number> {
  const url = new URL(base);
  const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  try {
    const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    const lines = [
      `GET ${path} HTTP/1.1`,
      `Host: ${url.host}`,
      "Connection: Upgrade",
      "Upgrade: websocket",
      "Sec-WebSocket-Version: 13",
      `Sec-WebSocket-Key: ${key}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      "",
      "",
    ];
    await conn.write(new TextEncoder().encode(lines.join("\r\n")));
    const buffer = new Uint8Array(4096);
    const n = await conn.read(buffer);
    const head = new TextDecoder().decode(buffer.subarray(0, n ?? 0));
    const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
    if (!status) throw new Error(`not an HTTP answer: ${head}`);
    return Number(status);
  } finally {
    conn.close();
  }
}

/** Whether Docker still runs the exec. */
export async function execRunning(execId: string): Promise<boolean> {
  return (await dockerApi<{ Running: boolean }>(`/exec/${execId}/json`)).Running;
}

/** The commands `docker top` lists for a container. */
export async function topCommands(container: string): Promise<string[]> {
  const top = await dockerApi<{ Titles: string[]; Processes: string[][] }>(
    `/containers/${container}/top`,
  );
  const cmd = top.Titles.indexOf("CMD");
  return top.Processes.map((p) => p[cmd]);
}

/**
 * A TCP port that forwards to `target` (a unix socket path, or a TCP port on 127.0.0.1), and
 * can cut every connection made through it while it keeps listening: a dropped network.
 */
export function forwarder(target: { path: string } | { port: number }) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const dial = () =>
    "path" in target
      ? Deno.connect({ transport: "unix", path: target.path })
      : Deno.connect({ hostname: "127.0.0.1", port: target.port });
  (async () => {
    for await (const conn of listener) {
      const upstream = await dial();
      conns.add(conn).add(upstream);
      Promise.allSettled([
        conn.readable.pipeTo(upstream.writable),
        upstream.readable.pipeTo(conn.writable),
      ]).then(() => conns.delete(conn) && conns.delete(upstream));
    }
  })().catch(() => {});
  const cut = () => {
    for (const c of conns) {
      try {
        c.close();
      } catch { /* closed already */ }
    }
    conns.clear();
  };
  return {
    port: (listener.addr as Deno.NetAddr).port,
    cut,
    close: () => {
      listener.close();
      cut();
    },
  };
}

/**
 * The Engine API's exec calls: a command run inside a running container.
 *
 * Two ways to run one. `startExec` streams a command's output over Deno's fetch: Docker answers
 * `POST /exec/{id}/start` by taking over the connection (it "hijacks" it) and writing the
 * output until the command ends, and fetch reads that as the answer's body, but cannot write
 * on that connection. An interactive exec (a console) needs its stdin too: `attachExec` asks
 * for the connection to be upgraded (`Connection: Upgrade`, `Upgrade: tcp`) and gets the raw
 * socket both ways, through dockerode (docker-modem does that handshake over the unix socket
 * and over tcp, with TLS when configured).
 */
import { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { DockerUnavailable } from "../errors.ts";
import type { DockerClient } from "./client.ts";
import type { ExecCreateBody, ExecInspect } from "./types.ts";

/**
 * Prepares `body.Cmd` in container `ref` (output is attached by default); run it with
 * startExec, or with attachExec when it was created with `AttachStdin` and `Tty`.
 */
export async function createExec(
  docker: DockerClient,
  ref: string,
  body: ExecCreateBody,
): Promise<string> {
  const created = await docker.engine<{ Id: string }>({
    method: "POST",
    path: `/containers/${encodeURIComponent(ref)}/exec`,
    body: { AttachStdout: true, AttachStderr: true, ...body },
  });
  return created.Id;
}

/**
 * Runs an exec and gives its output as it comes, once Docker has started it: framed
 * stdout/stderr (8-byte headers, as container logs) unless it was created with `Tty`, then raw
 * text. The body ends when the command does; its exit code is then in inspectExec. Nothing can
 * be written to its stdin (see attachExec).
 */
export function startExec(
  docker: DockerClient,
  id: string,
  opts: { tty?: boolean; signal?: AbortSignal } = {},
): Promise<Response> {
  return docker.engineStream({
    method: "POST",
    path: `/exec/${encodeURIComponent(id)}/start`,
    body: { Detach: false, Tty: opts.tty ?? false },
    signal: opts.signal,
  });
}

/** An interactive exec's connection, both ways. */
export type ExecConnection = {
  /**
   * What the TTY prints, as raw bytes (a TTY's output is not framed). It ends when the
   * process ends or the connection closes; reading slowly holds the process's output back.
   */
  output: ReadableStream<Uint8Array>;
  /** Sends keystrokes (or pasted text) to the TTY. */
  write(data: string): void;
  /** Closes the connection. Docker does not end a TTY exec for that (see services/console). */
  close(): void;
};

/** How many bytes of output are held before the socket is paused until they are read. */
const OUTPUT_BUFFER_BYTES = 256 * 1024;

/**
 * Starts an exec created with `AttachStdin` and `Tty` on an upgraded connection: its output
 * and its input. The connection is the exec's only link to its caller: Docker keeps the
 * process running when it closes.
 */
export async function attachExec(docker: DockerClient, id: string): Promise<ExecConnection> {
  const stream = await docker.viaDockerode((api) =>
    api.getExec(id).start({ hijack: true, stdin: true, Tty: true })
  );
  if (!(stream instanceof Socket)) {
    // docker-modem hands over the socket only after a 101; on a plain 200 it gives the request
    // and response, and what is written then never reaches the process.
    stream.destroy();
    throw new DockerUnavailable(UPGRADE_REFUSED);
  }
  return socketConnection(stream);
}

/**
 * Docker upgrades `POST /exec/{id}/start` when asked; a proxy in between may not pass the
 * upgrade on (HAProxy 2.4 and later drop it for a request with a body, which Docker 20.10
 * requires: haproxy/haproxy issue 2684).
 */
export const UPGRADE_REFUSED = "The connection to Docker was not upgraded (200 instead of 101), " +
  "so keystrokes cannot reach the console: a proxy between DockerMate and Docker (an " +
  "HAProxy-based socket proxy?) dropped the upgrade";

function socketConnection(socket: Duplex): ExecConnection {
  let ended = false;
  const output = new ReadableStream<Uint8Array>({
    start(controller) {
      const finish = () => {
        if (ended) return;
        ended = true;
        controller.close();
      };
      socket.on("data", (chunk: Uint8Array) => {
        if (ended) return;
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 1) <= 0) socket.pause();
      });
      socket.on("end", finish);
      socket.on("close", finish);
      // A reset connection is an end like any other; the caller learns why from inspectExec.
      socket.on("error", finish);
    },
    pull() {
      socket.resume();
    },
    cancel() {
      ended = true;
      socket.destroy();
    },
  }, new ByteLengthQueuingStrategy({ highWaterMark: OUTPUT_BUFFER_BYTES }));
  return {
    output,
    write(data) {
      if (!socket.destroyed && socket.writable) socket.write(data);
    },
    close() {
      socket.destroy();
    },
  };
}

/** Whether it still runs, and its exit code once it ended. */
export function inspectExec(docker: DockerClient, id: string): Promise<ExecInspect> {
  return docker.engine<ExecInspect>({ path: `/exec/${encodeURIComponent(id)}/json` });
}

/** The TTY size of a running exec created with `Tty`. */
export async function resizeExec(
  docker: DockerClient,
  id: string,
  size: { rows: number; columns: number },
): Promise<void> {
  await docker.engine({
    method: "POST",
    path: `/exec/${encodeURIComponent(id)}/resize`,
    query: { h: size.rows, w: size.columns },
  });
}

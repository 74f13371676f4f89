/**
 * The Engine API's exec calls: a command run inside a running container.
 *
 * What the fetch transport allows: the command's output, streamed. Docker answers
 * `POST /exec/{id}/start` by taking over the connection (it "hijacks" it) and writing the
 * output until the command ends; fetch reads that as the answer's body. It cannot write on that
 * connection, so stdin is never attached: an interactive console needs a raw socket and the
 * `Upgrade: tcp` handshake, which this module does not do (yet).
 */
import type { DockerClient } from "./client.ts";
import type { ExecCreateBody, ExecInspect } from "./types.ts";

/**
 * Prepares `body.Cmd` in container `ref` (output is attached by default); run it with
 * startExec. `AttachStdin` is refused: nothing here could write to it.
 */
export async function createExec(
  docker: DockerClient,
  ref: string,
  body: ExecCreateBody,
): Promise<string> {
  if (body.AttachStdin) throw new Error("createExec: stdin cannot be attached over fetch");
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
 * text. The body ends when the command does; its exit code is then in inspectExec.
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

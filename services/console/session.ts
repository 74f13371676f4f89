/**
 * One open console: a TTY exec in a container, joined to one browser terminal. It pumps the
 * exec's output to the browser, takes keystrokes and sizes back, ends itself after a while
 * without input, and, however it ends, hangs the exec's processes up (hangup.ts), closes the
 * connection to Docker and writes the end to the audit log.
 */
import type { AuditTrail, RequestMeta } from "../audit.ts";
import type { DockerClient } from "../docker/client.ts";
import { type ExecConnection, inspectExec, resizeExec } from "../docker/exec.ts";
import { log } from "../logger.ts";
import { hangUp } from "./hangup.ts";
import type { TerminalSize } from "./options.ts";

/** Why a console ended. */
export type EndReason =
  | "closed"
  | "idle"
  | "exited"
  | "session-ended"
  | "disabled"
  | "shutdown"
  | "lost"
  | "failed";

export type ConsoleEnd = { reason: EndReason; message: string };

/** What the server tells the browser besides the terminal's bytes (JSON text frames). */
export type ConsoleControl =
  | { type: "started"; exec: string }
  | { type: "attached" }
  | { type: "ended"; reason: EndReason; message: string }
  | { type: "error"; message: string };

/** The browser's end of a console, as the route's WebSocket provides it. */
export type ConsoleClient = {
  /** Terminal output; resolves when more may be sent (the socket has drained). */
  output(bytes: Uint8Array): Promise<void>;
  control(message: ConsoleControl): void;
  /** Closes the socket (after an `ended` message). */
  close(): void;
};

/** A running console's exec, with what its audit entries name. */
export type ConsoleTarget = {
  containerId: string;
  containerName: string;
  argv: string[];
  user: string | undefined;
  execId: string;
  /** The value of the exec's marker variable (hangup.ts). */
  marker: string;
};

export type SessionDeps = { docker: DockerClient; audit: AuditTrail };

/** The words for an end; `idleMs` for an idle end. */
export function endMessage(reason: EndReason, idleMs = 0): string {
  switch (reason) {
    case "closed":
      return "The console was closed.";
    case "idle": {
      const minutes = idleMs / 60_000;
      const span = Number.isInteger(minutes) && minutes >= 1
        ? `${minutes} minute${minutes === 1 ? "" : "s"}`
        : `${Math.round(idleMs / 1000)} seconds`;
      return `Ended after ${span} without input.`;
    }
    case "exited":
      return "The command exited.";
    case "session-ended":
      return "Your session ended (you logged out or it expired): sign in again.";
    case "disabled":
      return "Consoles were turned off in Settings.";
    case "shutdown":
      return "DockerMate is shutting down.";
    case "lost":
      return "The connection to Docker was lost.";
    case "failed":
      return "The console could not start.";
  }
}

/** The audit entry of a console's end: why, whether its processes are gone, how long it ran. */
export async function auditEnd(
  audit: AuditTrail,
  meta: RequestMeta,
  target: ConsoleTarget,
  end: { reason: EndReason; processEnded: boolean; seconds: number },
): Promise<void> {
  await audit.record("container.console-end", meta, {
    container: target.containerName,
    id: target.containerId,
    exec: target.execId,
    ...end,
  }).catch((err) => log.warn(`Auditing a console's end failed: ${err.message}`));
}

export class ConsoleSession {
  readonly startedAt = Date.now();
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #ending: Promise<ConsoleEnd> | null = null;

  constructor(
    private readonly deps: SessionDeps,
    readonly target: ConsoleTarget,
    private readonly conn: ExecConnection,
    private readonly idleMs: number,
    private readonly meta: RequestMeta,
  ) {
    this.#touch();
  }

  get ended(): boolean {
    return this.#ending !== null;
  }

  /** Keystrokes or pasted text, as the terminal sends them. */
  input(text: string): void {
    if (this.ended) return;
    this.#touch();
    this.conn.write(text);
  }

  /** The terminal's new size (it follows the browser window). */
  async resize(size: TerminalSize): Promise<void> {
    if (this.ended) return;
    this.#touch();
    try {
      await resizeExec(this.deps.docker, this.target.execId, {
        rows: size.rows,
        columns: size.cols,
      });
    } catch (err) {
      // A resize that races the end is harmless; anything else is worth a line in the log.
      if (!this.ended) log.warn(`Console resize failed: ${(err as Error).message}`);
    }
  }

  /**
   * Sends the exec's output to `client` until it ends (the process exits, or `end` is called);
   * resolves with how it ended.
   */
  async pump(client: ConsoleClient): Promise<ConsoleEnd> {
    const reader = this.conn.output.getReader();
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        await client.output(value);
      }
    } catch {
      // The connection broke: treated as its end below.
    } finally {
      reader.releaseLock();
    }
    if (this.#ending) return await this.#ending;
    return await this.end(await this.#whyOutputEnded());
  }

  /** Ends the console (once): hangs up its processes, closes the connection, audits the end. */
  end(why: EndReason | ConsoleEnd): Promise<ConsoleEnd> {
    this.#ending ??= this.#finish(
      typeof why === "string" ? { reason: why, message: endMessage(why, this.idleMs) } : why,
    );
    return this.#ending;
  }

  async #whyOutputEnded(): Promise<ConsoleEnd> {
    try {
      const state = await inspectExec(this.deps.docker, this.target.execId);
      if (!state.Running) {
        const command = this.target.argv[0];
        const code = state.ExitCode;
        // 126 and 127: Docker could not run it (not found, not executable, no such user).
        const message = code === 126 || code === 127
          ? `${command} could not be run in the container (exit code ${code}): is it installed, ` +
            "and does the user exist?"
          : `${command} exited${code === null ? "" : ` with code ${code}`}.`;
        return { reason: "exited", message };
      }
    } catch {
      // Docker or the container went away: the connection is what was lost.
    }
    return { reason: "lost", message: endMessage("lost") };
  }

  async #finish(end: ConsoleEnd): Promise<ConsoleEnd> {
    clearTimeout(this.#idleTimer);
    let processEnded = false;
    try {
      processEnded = await hangUp(this.deps.docker, {
        container: this.target.containerId,
        execId: this.target.execId,
        marker: this.target.marker,
        user: this.target.user,
      });
    } finally {
      this.conn.close();
    }
    if (!processEnded) {
      log.warn(
        `The console in ${this.target.containerName} (exec ${
          this.target.execId.slice(0, 12)
        }) still runs: DockerMate could not signal it (no sh, grep or kill in the container?)`,
      );
    }
    await auditEnd(this.deps.audit, this.meta, this.target, {
      reason: end.reason,
      processEnded,
      seconds: Math.round((Date.now() - this.startedAt) / 1000),
    });
    return end;
  }

  #touch(): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => void this.end("idle"), this.idleMs);
  }
}

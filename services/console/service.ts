/**
 * Consoles into containers and the read-only view of a main process's output: the checks made
 * before a browser's WebSocket is accepted (consoles on, container running, options valid),
 * the consoles and views open now, and their ends: when the browser leaves, after the idle
 * time, when the session they run for ends, when consoles are turned off, and at shutdown.
 * Only a signed-in browser session opens one (the route refuses API tokens); every console is
 * audited with its container and command.
 */
import type { Db } from "../../db/client.ts";
import type { AuditTrail, RequestMeta } from "../audit.ts";
import type { AuthService } from "../auth/sessions.ts";
import { randomSecret } from "../auth/secrets.ts";
import { watchIdentity } from "../auth/identity-ends.ts";
import type { DockerClient } from "../docker/client.ts";
import { attachContainerOutput, containerName, inspectContainer } from "../docker/containers.ts";
import { attachExec, createExec, type ExecConnection } from "../docker/exec.ts";
import type { ContainerInspect } from "../docker/types.ts";
import { Conflict, Forbidden, LimitExceeded } from "../errors.ts";
import { log } from "../logger.ts";
import { FrameDemuxer } from "../logs/format.ts";
import { getSetting, setSetting } from "../settings.ts";
import { hangUp, markerEnv } from "./hangup.ts";
import {
  attachCli,
  consoleCommand,
  type ConsoleOptions,
  execCli,
  type TerminalSize,
} from "./options.ts";
import {
  auditEnd,
  type ConsoleClient,
  type ConsoleEnd,
  ConsoleSession,
  endMessage,
  type EndReason,
} from "./session.ts";

export type ConsoleSettings = { enabled: boolean; idleSeconds: number };

/** A console that passed the checks, ready to start when the WebSocket opens. */
export type ConsolePlan = {
  containerId: string;
  containerName: string;
  argv: string[];
  user: string | undefined;
  /** `docker exec -it …` for the same. */
  cli: string;
};

/** A read-only view of a container's main process output, ready to start. */
export type AttachPlan = {
  containerId: string;
  containerName: string;
  tty: boolean;
  cli: string;
};

/** The browser session a console runs for: it ends when that session does. */
export type ConsoleOwner = { sessionId: string };

/** What the route does with an open console: the browser's keystrokes, sizes and leaving. */
export type ConsoleHandle = {
  input(text: string): void;
  resize(size: TerminalSize): void;
  close(): void;
};

export type ConsoleView = "shell" | "attach";

export type ConsolePageData = {
  view: ConsoleView;
  container: { id: string; name: string; state: string };
  settings: ConsoleSettings;
  /** Why no console can open now (turned off, not running); null when one can. */
  unavailable: string | null;
  /** What to connect: a shell once its options were given, the output view at once. */
  plan: ConsolePlan | AttachPlan | null;
  /** `docker exec -it …` for the options shown, or `docker attach …`. */
  cli: string;
};

/** Why no console can open in this container now, or null. */
function unavailableReason(enabled: boolean, inspect: ContainerInspect): string | null {
  const name = containerName(inspect);
  if (!enabled) return "Consoles are turned off (Settings → Console)";
  if (inspect.State.Paused) return `${name} is paused: unpause it to open a console`;
  if (!inspect.State.Running) return `${name} is not running: start it to open a console`;
  return null;
}

/** Consoles and views open at once, across all sessions: each holds a connection to Docker. */
export const MAX_OPEN = 32;

/** How often an open console checks that its session has not expired (logout ends it at once). */
const SESSION_CHECK_MS = 25_000;

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class ConsoleService {
  /** Everything open now: how to end it, and when it has ended. */
  #open = new Map<(reason: EndReason) => void, Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly docker: DockerClient,
    private readonly audit: AuditTrail,
    private readonly auth: Pick<AuthService, "sessionAlive">,
    shutdown: AbortSignal,
  ) {
    shutdown.addEventListener("abort", () => void this.drain(), { once: true });
  }

  async settings(): Promise<ConsoleSettings> {
    const [enabled, idleSeconds] = await Promise.all([
      getSetting(this.db, "consoleEnabled"),
      getSetting(this.db, "consoleIdleSeconds"),
    ]);
    return { enabled, idleSeconds };
  }

  /** Changes the fields given (audited); turning consoles off ends every open one. */
  async setSettings(
    change: Partial<ConsoleSettings>,
    meta: RequestMeta,
  ): Promise<ConsoleSettings> {
    const before = await this.settings();
    const after = { ...before, ...change };
    await setSetting(this.db, "consoleEnabled", after.enabled);
    await setSetting(this.db, "consoleIdleSeconds", after.idleSeconds);
    await this.audit.record("settings.console", meta, { before, after });
    if (!after.enabled) this.#endAll("disabled");
    return after;
  }

  /** What the console page shows: the container, whether a console can open, the plan. */
  async page(
    ref: string,
    view: ConsoleView,
    opts: ConsoleOptions | null,
  ): Promise<ConsolePageData> {
    const [settings, inspect] = await Promise.all([
      this.settings(),
      inspectContainer(this.docker, ref),
    ]);
    const name = containerName(inspect);
    const container = { id: inspect.Id, name, state: inspect.State.Status };
    const unavailable = unavailableReason(settings.enabled, inspect);
    if (view === "attach") {
      const plan = unavailable ? null : await this.prepareAttach(inspect.Id);
      return { view, container, settings, unavailable, plan, cli: attachCli(name) };
    }
    const argv = opts ? await consoleCommand(opts) : ["sh"];
    const plan = opts && !unavailable ? await this.prepare(inspect.Id, opts) : null;
    return { view, container, settings, unavailable, plan, cli: execCli(name, opts?.user, argv) };
  }

  /** The checks every console and view passes first; the container's inspect. */
  async #ready(ref: string) {
    const inspect = await inspectContainer(this.docker, ref);
    const why = unavailableReason(await getSetting(this.db, "consoleEnabled"), inspect);
    if (why) throw why.startsWith("Consoles") ? new Forbidden(why) : new Conflict(why);
    if (this.#open.size >= MAX_OPEN) {
      throw new LimitExceeded(`${MAX_OPEN} consoles are open already: close one first`);
    }
    return { inspect, name: containerName(inspect) };
  }

  /** Checks a console before its WebSocket is accepted; the command parsed into its argv. */
  async prepare(ref: string, opts: ConsoleOptions): Promise<ConsolePlan> {
    const argv = await consoleCommand(opts);
    const { inspect, name } = await this.#ready(ref);
    return {
      containerId: inspect.Id,
      containerName: name,
      argv,
      user: opts.user,
      cli: execCli(name, opts.user, argv),
    };
  }

  /** Checks a read-only view of the main process's output before its WebSocket is accepted. */
  async prepareAttach(ref: string): Promise<AttachPlan> {
    const { inspect, name } = await this.#ready(ref);
    return {
      containerId: inspect.Id,
      containerName: name,
      tty: inspect.Config.Tty ?? false,
      cli: attachCli(name),
    };
  }

  /**
   * Starts the console's exec and joins it to `client` until it ends; the handle takes the
   * browser's input. Input before the `started` message is dropped (the page waits for it).
   */
  open(
    plan: ConsolePlan,
    size: TerminalSize,
    owner: ConsoleOwner,
    meta: RequestMeta,
    client: ConsoleClient,
  ): ConsoleHandle {
    let session: ConsoleSession | null = null;
    let endedEarly: EndReason | null = null;
    const end = (reason: EndReason) => {
      if (session) void session.end(reason);
      else endedEarly ??= reason;
    };
    const ended = this.#track(owner, end);
    (async () => {
      try {
        session = await this.#start(plan, size, meta);
      } catch (err) {
        client.control({ type: "ended", reason: "failed", message: describe(err) });
        return;
      }
      if (endedEarly) void session.end(endedEarly);
      else client.control({ type: "started", exec: session.target.execId });
      const how = await session.pump(client);
      client.control({ type: "ended", ...how });
    })().catch((err) => log.warn(`Console failed: ${describe(err)}`)).finally(() => {
      ended();
      client.close();
    });
    return {
      input: (text) => session?.input(text),
      resize: (next) => void session?.resize(next),
      close: () => end("closed"),
    };
  }

  async #start(plan: ConsolePlan, size: TerminalSize, meta: RequestMeta) {
    const idleSeconds = await getSetting(this.db, "consoleIdleSeconds");
    const marker = randomSecret(12);
    const execId = await createExec(this.docker, plan.containerId, {
      Cmd: plan.argv,
      ...(plan.user ? { User: plan.user } : {}),
      Tty: true,
      AttachStdin: true,
      Env: [markerEnv(marker)],
    });
    const target = { ...plan, execId, marker };
    await this.audit.record("container.console", meta, {
      container: plan.containerName,
      id: plan.containerId,
      command: plan.argv,
      user: plan.user ?? null,
      exec: execId,
    });
    let conn: ExecConnection;
    try {
      conn = await attachExec(this.docker, execId);
    } catch (err) {
      // Docker may have started it anyway, waiting for input that cannot come.
      const processEnded = await hangUp(this.docker, {
        container: plan.containerId,
        execId,
        marker,
        user: plan.user,
      });
      await auditEnd(this.audit, meta, target, { reason: "failed", processEnded, seconds: 0 });
      throw err;
    }
    const deps = { docker: this.docker, audit: this.audit };
    const session = new ConsoleSession(deps, target, conn, idleSeconds * 1000, meta);
    await session.resize(size);
    return session;
  }

  /**
   * Streams the main process's output to `client`, read-only, until the container stops, the
   * browser leaves (`close`), the session ends, consoles are turned off or DockerMate stops.
   * Nothing the browser sends reaches the process: stdin is never attached.
   */
  watchMain(plan: AttachPlan, owner: ConsoleOwner, client: ConsoleClient): { close(): void } {
    const abort = new AbortController();
    let why: EndReason | null = null;
    const end = (reason: EndReason) => {
      why ??= reason;
      abort.abort();
    };
    const ended = this.#track(owner, end);
    (async () => {
      let how: ConsoleEnd = { reason: "exited", message: `${plan.containerName} stopped.` };
      try {
        const res = await attachContainerOutput(this.docker, plan.containerId, {
          signal: abort.signal,
        });
        client.control({ type: "attached" });
        const demux = plan.tty ? null : new FrameDemuxer();
        for await (const chunk of res.body ?? []) {
          const pieces = demux ? demux.push(chunk).map((p) => p.bytes) : [chunk];
          for (const bytes of pieces) await client.output(bytes);
        }
      } catch (err) {
        how = { reason: "lost", message: describe(err) };
      }
      if (why) how = { reason: why, message: endMessage(why) };
      client.control({ type: "ended", ...how });
    })().finally(() => {
      ended();
      client.close();
    });
    return { close: () => end("closed") };
  }

  /**
   * Registers something open: `end` is called when its session ends, when consoles are turned
   * off or at shutdown. Returns what to call once it has ended.
   */
  #track(owner: ConsoleOwner, end: (reason: EndReason) => void): () => void {
    const watch = watchIdentity(
      { kind: "session", id: owner.sessionId },
      () => this.auth.sessionAlive(owner.sessionId),
      SESSION_CHECK_MS,
    );
    watch.signal.addEventListener("abort", () => end("session-ended"), { once: true });
    let finished!: () => void;
    this.#open.set(end, new Promise<void>((resolve) => (finished = resolve)));
    return () => {
      watch.close();
      this.#open.delete(end);
      finished();
    };
  }

  /**
   * Ends everything open (DockerMate is stopping) and resolves once their processes were hung
   * up: Docker would leave the shells running after the process exits.
   */
  async drain(): Promise<void> {
    const ending = [...this.#open.values()];
    this.#endAll("shutdown");
    await Promise.all(ending);
  }

  #endAll(reason: EndReason): void {
    for (const end of this.#open.keys()) end(reason);
  }
}

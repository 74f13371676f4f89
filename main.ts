import { createApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { syncManaged } from "./services/containers/sync.ts";
import type { CoreDeps } from "./services/context.ts";
import type { Monitoring } from "./services/monitoring.ts";
import { createCore } from "./services/core.ts";
import { AppError } from "./services/errors.ts";
import { heapReducer } from "./services/heap-reducer.ts";
import { hasUnfinishedRecreates, hasUnfinishedStackUpdates } from "./services/interrupted.ts";
import { log, setLogLevel } from "./services/logger.ts";
import { startScheduler } from "./services/scheduler.ts";
import { loadTls } from "./services/tls/load.ts";
import { serveApp } from "./services/tls/serve.ts";

/** The stats sampler (and its history), then the alert rules and their notifications. */
async function startMonitoring(core: CoreDeps): Promise<Monitoring> {
  const m = await core.monitoring();
  await m.alerts.start();
  m.notifications.start();
  m.stats.start(core.shutdown);
  return m;
}

async function serve(): Promise<void> {
  const cfg = loadConfig();
  setLogLevel(cfg.LOG_LEVEL);
  const stopping = new AbortController();
  // The core only: every other service is wired on the first request that needs it.
  const core = await createCore(cfg, stopping.signal);
  const app = createApp(core);
  const up = await core.docker.start();
  log.info(
    up ? `Docker is reachable at ${cfg.DOCKER_HOST}` : `Docker is down: ${core.docker.state.error}`,
  );
  core.docker.subscribe((s) =>
    s.up ? log.info("Docker is reachable again") : log.warn(`Docker is down: ${s.error}`)
  );
  // A recreate a crash interrupted is finished or undone before anything else touches it.
  const recover = async () => {
    try {
      const [recreates, stackUpdates] = await Promise.all([
        hasUnfinishedRecreates(core.db),
        hasUnfinishedStackUpdates(core.db),
      ]);
      if (!recreates && !stackUpdates) return;
      const deps = await core.services();
      for (const r of await deps.recreator.recoverPending()) {
        log.warn(`Interrupted recreate of ${r.name}: ${r.outcome}`);
      }
      for (const r of await deps.stacks.recoverUpdates()) {
        log.warn(`Interrupted update of stack ${r.name}: ${r.outcome}`);
      }
    } catch (err) {
      log.warn(
        `Recovering interrupted recreates and stack updates failed: ${(err as Error).message}`,
      );
    }
  };
  if (up) await recover();
  core.docker.subscribe((s) => void (s.up && recover()));
  core.events.start();
  startScheduler(core);
  // Monitoring runs from the start (stats history, alert rules, their notifications), built in
  // the background so that the first page is not held up.
  const monitoring = startMonitoring(core).catch((err) => {
    log.warn(`Monitoring did not start: ${err.message}`);
    return null;
  });
  // A fresh or lost database learns the managed containers back from their labels.
  const synced = syncManaged(core.db, core.store, { ip: "startup", userAgent: "dockermate" })
    .then((r) =>
      r.recorded.length &&
      log.info(`Recorded ${r.recorded.length} managed container(s) from labels`)
    )
    .catch((err) => log.warn(`Sync at start failed: ${err.message}`));
  if (!(await core.auth.hasAdmin())) {
    const source = cfg.DOCKERMATE_SETUP_TOKEN ? " (from DOCKERMATE_SETUP_TOKEN)" : "";
    log.info(`No admin yet. Open /setup and use the setup token${source}: ${core.auth.setupToken}`);
  }
  const tls = await loadTls(cfg);
  if (tls) log.always(`HTTPS certificate (${tls.describe}) SHA-256 fingerprint ${tls.fingerprint}`);
  // What the start grew (modules, migrations, first reads) goes back once it is quiet.
  const heap = heapReducer();
  void Promise.allSettled([monitoring, synced]).then(() => heap.activity());
  const server = serveApp(cfg, tls, (req, info) => {
    heap.activity();
    return app.fetch(req, info);
  });
  const shutdown = async () => {
    log.info("Shutting down");
    stopping.abort();
    heap.stop();
    // Open consoles hang their shells up first (Docker would leave them running), within 3 s.
    const wired = core.wiredServices();
    if (wired) {
      await Promise.race([
        wired.then((deps) => deps.consoles.drain()),
        new Promise((r) => setTimeout(r, 3000)),
      ]);
    }
    const m = await monitoring;
    m?.alerts.stop();
    m?.notifications.stop();
    core.events.stop();
    core.docker.stop();
    // Open streams end on the abort; a client that never reads cannot hold the exit up.
    await Promise.race([server.shutdown(), new Promise((r) => setTimeout(r, 3000))]);
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", shutdown);
  Deno.addSignalListener("SIGTERM", shutdown);
  await server.finished;
}

/** The admin commands are imported when run: the server never loads them. */
const commands: Record<string, (args: string[]) => Promise<void>> = {
  serve: () => serve(),
  "reset-password": async (args) =>
    await (await import("./commands/reset-password.ts")).resetPasswordCommand(args),
  "prune-deleted": async () =>
    await (await import("./commands/prune-deleted.ts")).pruneDeletedCommand(),
  "prune-images": async () =>
    await (await import("./commands/prune-images.ts")).pruneImagesCommand(),
  "check-updates": async () =>
    await (await import("./commands/check-updates.ts")).checkUpdatesCommand(),
  backup: async (args) => await (await import("./commands/backup.ts")).backupCommand(args),
  restore: async (args) => await (await import("./commands/restore.ts")).restoreCommand(args),
};

async function main(args: string[]): Promise<number> {
  const [name = "serve", ...rest] = args;
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command "${name}". Commands: ${Object.keys(commands).join(", ")}`);
    return 2;
  }
  try {
    await command(rest);
    // A command may say it failed without throwing (a restore with failed steps).
    return Deno.exitCode;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 78;
    }
    // A command's refusal (Docker down, a bad flag) is a sentence for the shell, not a trace.
    if (err instanceof AppError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));

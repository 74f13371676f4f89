import { createApp } from "./app.ts";
import { createDeps } from "./services/wiring.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { log, setLogLevel } from "./services/logger.ts";
import { resetPasswordCommand } from "./commands/reset-password.ts";
import { pruneDeletedCommand } from "./commands/prune-deleted.ts";
import { pruneImagesCommand } from "./commands/prune-images.ts";
import { checkUpdatesCommand } from "./commands/check-updates.ts";
import { startScheduler } from "./services/scheduler.ts";

async function serve(): Promise<void> {
  const cfg = loadConfig();
  setLogLevel(cfg.LOG_LEVEL);
  const stopping = new AbortController();
  const deps = await createDeps(cfg, stopping.signal);
  const app = createApp(deps);
  const up = await deps.docker.start();
  log.info(
    up ? `Docker is reachable at ${cfg.DOCKER_HOST}` : `Docker is down: ${deps.docker.state.error}`,
  );
  deps.docker.subscribe((s) =>
    s.up ? log.info("Docker is reachable again") : log.warn(`Docker is down: ${s.error}`)
  );
  // A recreate a crash interrupted is finished or undone before anything else touches it.
  const recover = () =>
    Promise.all([
      deps.recreator.recoverPending()
        .then((done) =>
          done.forEach((r) => log.warn(`Interrupted recreate of ${r.name}: ${r.outcome}`))
        )
        .catch((err) => log.warn(`Recovering interrupted recreates failed: ${err.message}`)),
      deps.stacks.recoverUpdates()
        .then((done) =>
          done.forEach((r) => log.warn(`Interrupted update of stack ${r.name}: ${r.outcome}`))
        )
        .catch((err) => log.warn(`Recovering interrupted stack updates failed: ${err.message}`)),
    ]);
  if (up) await recover();
  deps.docker.subscribe((s) => void (s.up && recover()));
  deps.events.start();
  await deps.alerts.start();
  deps.notifications.start();
  startScheduler(deps);
  deps.stats.start(deps.shutdown);
  // A fresh or lost database learns the managed containers back from their labels.
  deps.store.ready().then(() => deps.containers.sync({ ip: "startup", userAgent: "dockermate" }))
    .then((r) =>
      r.recorded.length &&
      log.info(`Recorded ${r.recorded.length} managed container(s) from labels`)
    )
    .catch((err) => log.warn(`Sync at start failed: ${err.message}`));
  if (!(await deps.auth.hasAdmin())) {
    const source = cfg.DOCKERMATE_SETUP_TOKEN ? " (from DOCKERMATE_SETUP_TOKEN)" : "";
    log.info(`No admin yet. Open /setup and use the setup token${source}: ${deps.auth.setupToken}`);
  }
  const server = Deno.serve({
    hostname: cfg.HOST,
    port: cfg.PORT,
    onListen: ({ hostname, port }) =>
      log.always(`DockerMate listening on http://${hostname}:${port}`),
  }, app.fetch);
  const shutdown = async () => {
    log.info("Shutting down");
    stopping.abort();
    // Open consoles hang their shells up first (Docker would leave them running), within 3 s.
    await Promise.race([deps.consoles.drain(), new Promise((r) => setTimeout(r, 3000))]);
    deps.events.stop();
    deps.alerts.stop();
    deps.notifications.stop();
    deps.docker.stop();
    // Open streams end on the abort; a client that never reads cannot hold the exit up.
    await Promise.race([server.shutdown(), new Promise((r) => setTimeout(r, 3000))]);
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", shutdown);
  Deno.addSignalListener("SIGTERM", shutdown);
  await server.finished;
}

const commands: Record<string, (args: string[]) => Promise<void>> = {
  serve: () => serve(),
  "reset-password": (args) => resetPasswordCommand(args),
  "prune-deleted": () => pruneDeletedCommand(),
  "prune-images": () => pruneImagesCommand(),
  "check-updates": () => checkUpdatesCommand(),
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
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 78;
    }
    throw err;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));

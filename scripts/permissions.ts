/**
 * The narrowest Deno permissions the server runs with, computed from its environment: its
 * own port, the Docker socket (or host), the registries it checks for updates, the data
 * directory and the stack folders, static files, migrations and its own code, the native addons
 * of libsql and argon2, the Compose v2 binary it deploys stacks with, and the variables it reads.
 * A compromised dependency cannot read the rest of the disk or call out to other hosts.
 */
import { parseConfig } from "../config.ts";
import { composeCandidates } from "../services/stacks/compose-locate.ts";
import { NOTIFY_HOSTS } from "../services/notifications/hosts.ts";

/**
 * Registries the update check and tag lists may reach without configuration: Docker Hub's API
 * and token service, the common public registries (and their token realms), and a local
 * registry on the usual port. DOCKERMATE_REGISTRY_HOSTS adds more (`*` allows any host).
 */
export const REGISTRY_HOSTS = [
  "registry-1.docker.io:443",
  "auth.docker.io:443",
  "ghcr.io:443",
  "lscr.io:443",
  "quay.io:443",
  "gcr.io:443",
  "registry.gitlab.com:443",
  "gitlab.com:443",
  "mcr.microsoft.com:443",
  "public.ecr.aws:443",
  "127.0.0.1:5000",
  "localhost:5000",
];

/**
 * The folders of the modules the server may import after start (app.ts's lazy routers, the
 * services they wire, the admin commands): Deno checks read access for those, unlike for the
 * modules it loads at start.
 */
const LAZY_CODE = ["routes", "services", "components", "middleware", "commands"];

export function serverPermissionFlags(
  env: Record<string, string | undefined>,
  root: string,
): string[] {
  const cfg = parseConfig(env);
  const absolute = (path: string) => (path.startsWith("/") ? path : `${root}/${path}`);
  const dataDir = absolute(cfg.DATA_DIR);
  const stacksDir = absolute(cfg.STACKS_DIR);
  // Port 0: the system picks one when the server starts, so the whole host is allowed.
  const net = [cfg.PORT === 0 ? cfg.HOST : `${cfg.HOST}:${cfg.PORT}`];
  const read = [
    `${root}/static`,
    `${root}/db/migrations`,
    `${root}/node_modules`,
    ...LAZY_CODE.map((dir) => `${root}/${dir}`),
    dataDir,
    // The board model, to recognise a Raspberry Pi (services/host/hardware.ts).
    "/proc/device-tree/model",
    "/sys/firmware/devicetree/base/model",
    // Which container DockerMate runs in, so it refuses to adopt itself (services/containers/self.ts).
    "/proc/self/mountinfo",
    "/proc/self/cgroup",
  ];
  // The HTTPS certificate and key (services/tls/load.ts).
  for (const file of [cfg.TLS_CERT, cfg.TLS_KEY]) if (file) read.push(absolute(file));
  const write = [dataDir];
  if (!`${stacksDir}/`.startsWith(`${dataDir}/`)) {
    read.push(stacksDir);
    write.push(stacksDir);
  }
  const docker = new URL(cfg.DOCKER_HOST);
  if (docker.protocol === "unix:") {
    const socket = decodeURIComponent(docker.pathname);
    // Deno checks the URL's host even when the request goes over the socket: services/docker/client.ts
    // addresses the daemon as http://docker.
    net.push(`unix:${socket}`, "docker:80");
    read.push(socket);
    write.push(socket);
  } else {
    net.push(`${docker.hostname}:${docker.port || (docker.protocol === "ssh:" ? "22" : "2376")}`);
    if (cfg.DOCKER_CERT_PATH) read.push(cfg.DOCKER_CERT_PATH);
  }
  if (!cfg.databaseUrl.startsWith("file:")) {
    const db = new URL(cfg.databaseUrl);
    net.push(`${db.hostname}:${db.port || (db.protocol.endsWith("s:") ? "443" : "80")}`);
  } else if (!cfg.databaseUrl.slice(5).startsWith(dataDir)) {
    const file = cfg.databaseUrl.slice(5);
    const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) || "/" : ".";
    read.push(dir);
    write.push(dir);
  }
  // Only the Compose binaries that are there: the server tries them in the same order.
  const compose = composeCandidates({
    DOCKER_COMPOSE: cfg.DOCKER_COMPOSE,
    DOCKER_CONFIG: env.DOCKER_CONFIG,
    HOME: env.HOME,
    PATH: env.PATH,
  }).filter(isFile);
  const anyRegistry = cfg.DOCKERMATE_REGISTRY_HOSTS.includes("*") ||
    cfg.DOCKERMATE_NOTIFY_HOSTS.includes("*");
  net.push(...REGISTRY_HOSTS, ...cfg.DOCKERMATE_REGISTRY_HOSTS.filter((h) => h !== "*"));
  // Notification channels (services/notifications/): the public services and those configured.
  net.push(...NOTIFY_HOSTS, ...cfg.DOCKERMATE_NOTIFY_HOSTS.filter((h) => h !== "*"));
  return [
    "--unstable-cron",
    // Without it Deno reads and parses, at start, every module an `import("…")` names, run or
    // not: all of app.ts's lazy routers and the services behind them (idle RSS 98.7 → 92.9 MB
    // with it, 2026-12-07). It needs the read access to LAZY_CODE above.
    "--unstable-lazy-dynamic-imports",
    "--no-prompt",
    anyRegistry ? "--allow-net" : `--allow-net=${net.join(",")}`,
    `--allow-read=${read.join(",")}`,
    `--allow-write=${write.join(",")}`,
    // Not a list: the `debug` package (under docker-modem) enumerates the whole environment
    // when it loads, which Deno only allows with unscoped env access.
    "--allow-env",
    // The libsql and argon2 native addons live under node_modules.
    `--allow-ffi=${root}/node_modules`,
    // libsql's libc detection reads these through process.report.
    "--allow-sys=cpus,networkInterfaces,osRelease,hostname,uid,gid,homedir,loadavg,systemMemoryInfo,statfs",
    // Stacks run the Compose v2 CLI (services/stacks/compose-runner.ts), nothing else.
    ...(compose.length > 0 ? [`--allow-run=${compose.join(",")}`] : []),
  ];
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

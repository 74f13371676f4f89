/**
 * Where a Compose v2 binary may be, from the environment alone: `DOCKER_COMPOSE` when set, else
 * the docker CLI's plugin folders (where `docker compose` finds it) and `docker-compose` on
 * PATH. No dependencies and no I/O, so the launcher (scripts/permissions.ts) can allow running
 * exactly these paths and the server tries the same ones.
 */

/** The docker CLI's own plugin folders, in its order of search. */
const SYSTEM_PLUGIN_DIRS = [
  "/usr/local/lib/docker/cli-plugins",
  "/usr/local/libexec/docker/cli-plugins",
  "/usr/lib/docker/cli-plugins",
  "/usr/libexec/docker/cli-plugins",
];

export type ComposeLocateEnv = {
  DOCKER_COMPOSE?: string;
  DOCKER_CONFIG?: string;
  HOME?: string;
  PATH?: string;
};

/** Absolute paths to try, first match wins; duplicates removed. */
export function composeCandidates(env: ComposeLocateEnv): string[] {
  if (env.DOCKER_COMPOSE) return [env.DOCKER_COMPOSE];
  const pluginDirs = [
    ...(env.DOCKER_CONFIG ? [`${env.DOCKER_CONFIG}/cli-plugins`] : []),
    ...(env.HOME ? [`${env.HOME}/.docker/cli-plugins`] : []),
    ...SYSTEM_PLUGIN_DIRS,
  ];
  const pathDirs = (env.PATH ?? "").split(":").filter((d) => d.startsWith("/"));
  const all = [...pluginDirs, ...pathDirs].map((d) => `${d.replace(/\/+$/, "")}/docker-compose`);
  return [...new Set(all)];
}

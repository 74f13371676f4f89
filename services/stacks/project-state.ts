/**
 * A compose project's state from the containers Docker has (the container store), by the labels
 * compose puts on them: which project and service each belongs to, and from that each service's
 * and the stack's status. Pure: the containers are passed in.
 */
import { healthOf } from "../docker/containers.ts";
import { COMPOSE_PROJECT_LABEL } from "../containers/tags.ts";
import { containerName } from "../docker/containers.ts";
import type { ContainerSummary } from "../docker/types.ts";
import type { StackContainer, StackServiceInfo, StackStatus } from "./model.ts";
import { compareText } from "../text.ts";

export { COMPOSE_PROJECT_LABEL };
export const COMPOSE_SERVICE_LABEL = "com.docker.compose.service";
export const COMPOSE_CONFIG_FILES_LABEL = "com.docker.compose.project.config_files";
export const COMPOSE_WORKING_DIR_LABEL = "com.docker.compose.project.working_dir";
export const COMPOSE_ONEOFF_LABEL = "com.docker.compose.oneoff";
export const COMPOSE_CONFIG_HASH_LABEL = "com.docker.compose.config-hash";

/** The project's containers, without one-off ones (`docker compose run`). */
export function projectContainers(all: ContainerSummary[], project: string): ContainerSummary[] {
  return all.filter((c) =>
    c.Labels?.[COMPOSE_PROJECT_LABEL] === project && c.Labels?.[COMPOSE_ONEOFF_LABEL] !== "True"
  );
}

/** Every compose project that has containers, by name. */
export function projectsOf(all: ContainerSummary[]): Map<string, ContainerSummary[]> {
  const byProject = new Map<string, ContainerSummary[]>();
  for (const c of all) {
    const project = c.Labels?.[COMPOSE_PROJECT_LABEL];
    if (!project || c.Labels?.[COMPOSE_ONEOFF_LABEL] === "True") continue;
    byProject.set(project, [...(byProject.get(project) ?? []), c]);
  }
  return byProject;
}

/** `0.0.0.0:8080->80/tcp`, once per port (Docker lists IPv4 and IPv6 apart). */
function portTexts(c: ContainerSummary): string[] {
  const out = new Set<string>();
  for (const p of c.Ports ?? []) {
    if (!p.PublicPort) continue;
    const ip = p.IP && p.IP !== "::" ? `${p.IP}:` : "";
    if (
      p.IP === "::" && (c.Ports ?? []).some((q) => q.PublicPort === p.PublicPort && q.IP !== "::")
    ) {
      continue;
    }
    out.add(`${ip}${p.PublicPort}->${p.PrivatePort}/${p.Type}`);
  }
  return [...out].sort();
}

function toContainer(c: ContainerSummary): StackContainer {
  return {
    id: c.Id,
    name: containerName(c),
    state: c.State,
    health: healthOf(c),
    image: c.Image,
    ports: portTexts(c),
  };
}

/** running when all run, stopped when none does, partial between; not-deployed without any. */
export function statusOf(states: string[]): StackStatus {
  if (states.length === 0) return "not-deployed";
  const running = states.filter((s) => s === "running").length;
  if (running === states.length) return "running";
  return running === 0 ? "stopped" : "partial";
}

/**
 * Each service with its containers: those the file names (in its order, `not-deployed` when
 * none runs), then services that have containers but are no longer in the file.
 */
export function servicesOf(
  containers: ContainerSummary[],
  fileServices: string[],
): StackServiceInfo[] {
  const byService = new Map<string, ContainerSummary[]>();
  for (const c of containers) {
    const service = c.Labels?.[COMPOSE_SERVICE_LABEL] ?? containerName(c);
    byService.set(service, [...(byService.get(service) ?? []), c]);
  }
  const names = [...new Set([...fileServices, ...[...byService.keys()].sort()])];
  return names.map((name) => {
    const list = (byService.get(name) ?? []).sort((a, b) =>
      compareText(containerName(a), containerName(b))
    );
    return { name, state: statusOf(list.map((c) => c.State)), containers: list.map(toContainer) };
  });
}

/** The stack's status from its containers. */
export function stackStatus(containers: ContainerSummary[]): StackStatus {
  return statusOf(containers.map((c) => c.State));
}

/** The first config file an external project's labels name, or null. */
export function labelledConfigFile(containers: ContainerSummary[]): string | null {
  for (const c of containers) {
    const files = c.Labels?.[COMPOSE_CONFIG_FILES_LABEL];
    if (files) return files.split(",")[0];
  }
  return null;
}

/** The working directory an external project was brought up in, from its labels, or null. */
export function labelledWorkingDir(containers: ContainerSummary[]): string | null {
  for (const c of containers) {
    const dir = c.Labels?.[COMPOSE_WORKING_DIR_LABEL];
    if (dir) return dir;
  }
  return null;
}

/** Container ids per service: what a redeploy compares to find what it recreated. */
export function idsByService(containers: ContainerSummary[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const c of containers) {
    const service = c.Labels?.[COMPOSE_SERVICE_LABEL];
    if (!service) continue;
    map.set(service, [...(map.get(service) ?? []), c.Id].sort());
  }
  return map;
}

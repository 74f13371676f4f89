/**
 * What the stack modules share: the database, the Docker layer and container store, image
 * pulls (with stored registry credentials), background operations, the compose runner and the
 * stack folders. Also the few helpers every one of them needs: the exact CLI a user would type,
 * and the project's containers read fresh from Docker.
 */
import type { Db } from "../../db/client.ts";
import type { RequestMeta } from "../audit.ts";
import type { ImageUpdateLookup } from "../containers/service.ts";
import type { ContainerStore } from "../containers/store.ts";
import { shellArg } from "../config/shell-words.ts";
import type { DockerClient } from "../docker/client.ts";
import { listContainers } from "../docker/containers.ts";
import type { PullProgress } from "../docker/images.ts";
import type { ContainerSummary } from "../docker/types.ts";
import type { PullResult } from "../images/actions.ts";
import type { OperationEvent, Operations } from "../operations.ts";
import type { ComposeRunner } from "./compose-runner.ts";
import type { StackFiles } from "./files.ts";
import { COMPOSE_PROJECT_LABEL } from "./project-state.ts";

export type StackDeps = {
  db: Db;
  docker: DockerClient;
  store: ContainerStore;
  /** DockerMate's own pull: stored registry credentials, progress, errors in plain words. */
  pull: (
    image: string,
    meta: RequestMeta,
    onProgress?: (p: PullProgress) => void,
  ) => Promise<PullResult>;
  operations: Operations;
  runner: ComposeRunner;
  files: StackFiles;
  updates?: ImageUpdateLookup;
};

/** Where a long action reports its progress (an operation's events); a no-op for the API. */
export type Emit = (e: OperationEvent) => void;
export const silent: Emit = () => {};

/** `cd /opt/stacks/web && docker compose up -d`: what a user would type for the same. */
export function folderCli(dir: string, args: string[]): string {
  return `cd ${shellArg(dir)} && docker compose ${args.map(shellArg).join(" ")}`;
}

/** `docker compose -p web stop`: for a project without a folder here (external). */
export function projectCli(name: string, args: string[]): string {
  return `docker compose -p ${shellArg(name)} ${args.map(shellArg).join(" ")}`;
}

/**
 * The project's containers as Docker has them now (not the store, which follows a moment
 * later); one-off `compose run` containers left out. The store is told to re-read them.
 */
export async function freshContainers(deps: StackDeps, name: string): Promise<ContainerSummary[]> {
  const list = await listContainers(deps.docker, {
    all: true,
    filters: { label: [`${COMPOSE_PROJECT_LABEL}=${name}`] },
  });
  await Promise.all(list.map((c) => deps.store.refresh(c.Id)));
  return list.filter((c) => c.Labels?.["com.docker.compose.oneoff"] !== "True");
}

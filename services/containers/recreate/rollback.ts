/**
 * Putting the old container back when a recreate fails, or when the next start undoes one a
 * crash interrupted: the new container goes, the old one gets its name back and is started if
 * it was running. Also the Docker reads both need on the way.
 */
import type { DockerClient } from "../../docker/client.ts";
import {
  containerName,
  inspectContainer,
  removeContainer,
  renameContainer,
  startContainer,
} from "../../docker/containers.ts";
import type { ContainerInspect } from "../../docker/types.ts";
import { log } from "../../logger.ts";
import { tailLogs } from "../../logs/read.ts";
import type { JournalRow } from "./journal.ts";
import type { CrashSite } from "./steps.ts";

export type PutBack = {
  journalId: number;
  oldId: string;
  name: string;
  /** Null when it is not known whether the new container was made (then it is looked up). */
  newId: string | null;
  wasRunning: boolean;
  /** Which crash points apply: a failed recreate's own undo, or the next start's. */
  phase: "undo" | "recover";
};

/**
 * Puts the old container back under its name, as it was; removes the new one. Safe to run
 * again after it was interrupted.
 */
export async function putBack(
  docker: DockerClient,
  crash: (site: CrashSite) => void,
  p: PutBack,
): Promise<void> {
  const stray = p.newId ?? (await newByName(docker, { containerName: p.name, oldId: p.oldId }));
  if (stray) await removeQuietly(docker, stray);
  crash(`${p.phase}-new-removed`);
  const old = await inspectOrNull(docker, p.oldId);
  if (!old) {
    throw new Error(`The old container ${p.oldId.slice(0, 12)} is gone (journal ${p.journalId})`);
  }
  if (containerName(old) !== p.name) await renameContainer(docker, p.oldId, p.name);
  crash(`${p.phase}-renamed`);
  if (p.wasRunning && !old.State.Running) {
    await startContainer(docker, p.oldId);
  }
}

/** Null when it cannot be inspected, for whatever reason. */
export async function inspectOrNull(
  docker: DockerClient,
  ref: string,
): Promise<ContainerInspect | null> {
  return await inspectContainer(docker, ref).catch(() => null);
}

/** A container that took the name after the old one was parked is the new one. */
export async function newByName(
  docker: DockerClient,
  row: Pick<JournalRow, "containerName" | "oldId">,
): Promise<string | null> {
  const holder = await inspectOrNull(docker, row.containerName);
  return holder && holder.Id !== row.oldId ? holder.Id : null;
}

export async function removeQuietly(docker: DockerClient, id: string): Promise<void> {
  await removeContainer(docker, id, { force: true })
    .catch((err) => log.warn(`Could not remove ${id.slice(0, 12)}: ${err.message}`));
}

/** The new container's last lines, for the history entry of a recreate that failed. */
export async function lastLogs(docker: DockerClient, id: string, tty: boolean): Promise<string[]> {
  return (await tailLogs(docker, id, tty, 500).catch(() => [])).map((l) => l.text);
}

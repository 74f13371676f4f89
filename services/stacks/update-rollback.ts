/**
 * Putting a stack back on the images it ran before an update, by image ID: each service's image
 * reference is tagged back to the old ID (`docker tag`), then `docker compose up` recreates the
 * services from the same files: compose recreates a container whose image ID differs from its
 * `com.docker.compose.image` label, so the services get their old image and, the files being the
 * same, their old config (the same config hash). Used when an update fails and when the next
 * start undoes one a crash interrupted; safe to run again after it was interrupted itself.
 */
import type { z } from "zod";
import type { Gate } from "../containers/recreate/plan.ts";
import type { StartWatcher } from "../containers/start-watch.ts";
import { parseImageReference } from "../config/image-ref.ts";
import { shellArg } from "../config/shell-words.ts";
import { inspectImageOrNull, tagImage } from "../docker/images.ts";
import type { ContainerSummary } from "../docker/types.ts";
import { ComposeFailed } from "./deploy.ts";
import { type Emit, folderCli, freshContainers, type StackDeps } from "./deps.ts";
import type { stackStepSchema } from "./model.ts";
import { COMPOSE_CONFIG_HASH_LABEL, COMPOSE_SERVICE_LABEL } from "./project-state.ts";
import type { JournalEntry } from "./update-journal.ts";
import { retagRounds, type ServiceBefore } from "./update-state.ts";
import type { StackCrashPoint } from "./update-steps.ts";

/** What an update needs besides the stack engine's own: the health gate and the crash switch. */
export type UpdateDeps = StackDeps & {
  /** The start watch behind container updates' health gate (services/containers/start-watch.ts). */
  watcher: Pick<StartWatcher, "watch">;
  /** A container's gate: its update policy's settle time and health timeout. */
  gateOf: (containerName: string) => Promise<Gate>;
  crash: (site: StackCrashPoint) => void;
};

/** One step taken, with its exact CLI. */
export type StepDone = z.infer<typeof stackStepSchema>;

/** `up -d` for services that ran (recreated and started), `up --no-start` for stopped ones. */
export function upArgs(services: string[], start: boolean): string[] {
  return ["up", ...(start ? ["-d"] : ["--no-start"]), "--no-deps", "--pull", "never", ...services];
}

/** `docker compose <args>` in the stack's folder, each output line reported as progress. */
export async function composeIn(
  deps: StackDeps,
  name: string,
  args: string[],
  emit: Emit,
): Promise<string> {
  const cli = folderCli(deps.files.dir(name), args);
  emit({ kind: "progress", message: `$ ${cli}` });
  const result = await deps.runner.run({
    cwd: deps.files.dir(name),
    project: name,
    args,
    onLine: (line) => emit({ kind: "progress", message: line }),
  });
  if (result.code !== 0) throw new ComposeFailed(cli, result);
  return cli;
}

/** `repo` and `tag` of a reference for `docker tag` (`latest` when it names none). */
function repoAndTag(image: string): { repo: string; tag: string } | null {
  const ref = parseImageReference(image);
  if (ref.digest) return null;
  return { repo: `${ref.domain ? `${ref.domain}/` : ""}${ref.path}`, tag: ref.tag ?? "latest" };
}

function ofService(containers: ContainerSummary[], service: string): ContainerSummary[] {
  return containers.filter((c) => c.Labels?.[COMPOSE_SERVICE_LABEL] === service);
}

/** Whether a service's containers are not (all) the ones it had, on the image it ran. */
function moved(s: ServiceBefore, now: ContainerSummary[]): boolean {
  const own = ofService(now, s.service);
  return own.length !== s.containers.length ||
    own.some((c) => c.ImageID !== s.imageId || !s.containers.some((b) => b.id === c.Id));
}

/** What is still wrong with a put-back service, or null: its image, its config, its state. */
function putBackProblem(s: ServiceBefore, now: ContainerSummary[]): string | null {
  const own = ofService(now, s.service);
  if (own.length === 0) return `${s.service} has no container`;
  const wrongImage = own.find((c) => c.ImageID !== s.imageId);
  if (wrongImage) {
    return `${s.service} runs ${wrongImage.ImageID.slice(7, 19)}, not ${s.imageId.slice(7, 19)}`;
  }
  if (s.configHash && own.some((c) => c.Labels?.[COMPOSE_CONFIG_HASH_LABEL] !== s.configHash)) {
    return `${s.service} has another config than before the update`;
  }
  if (s.running && own.some((c) => c.State !== "running")) {
    return `${s.service} is ${own.find((c) => c.State !== "running")!.State}, not running`;
  }
  return null;
}

export type PutBackResult = {
  /** The services put back (tagged back and recreated). */
  services: string[];
  steps: StepDone[];
  /** What is still not as before (empty when every service is back). */
  problems: string[];
};

/**
 * Puts back every service the update changed (or whose containers are not the ones it had),
 * then checks each runs its old image with its old config, running when it ran.
 */
export async function putBack(
  deps: UpdateDeps,
  entry: Pick<JournalEntry, "stackName" | "before" | "changed">,
  phase: "undo" | "recover",
  emit: Emit,
): Promise<PutBackResult> {
  const name = entry.stackName;
  const changed = new Set((entry.changed ?? []).map((c) => c.service));
  const now = await freshContainers(deps, name);
  const targets = entry.before.filter((s) => changed.has(s.service) || moved(s, now));
  const steps: StepDone[] = [];
  for (const round of retagRounds(targets)) {
    for (const { image, imageId } of uniqueRefs(round)) {
      const ref = repoAndTag(image);
      if (!ref || (await inspectImageOrNull(deps.docker, image))?.Id === imageId) continue;
      if (!(await inspectImageOrNull(deps.docker, imageId))) {
        throw new Error(
          `the image ${image} was before the update (${imageId.slice(7, 19)}) is gone`,
        );
      }
      await tagImage(deps.docker, imageId, ref.repo, ref.tag);
      const cli = `docker tag ${imageId} ${shellArg(image)}`;
      emit({ kind: "progress", message: `$ ${cli}` });
      steps.push({ step: "retagged", cli });
    }
    deps.crash(`stack-${phase}-retagged`);
    const byName = new Map(targets.map((s) => [s.service, s]));
    const started = round.filter((t) => byName.get(t.service)!.running).map((t) => t.service);
    const stopped = round.filter((t) => !byName.get(t.service)!.running).map((t) => t.service);
    if (started.length > 0) {
      steps.push({
        step: "recreated",
        cli: await composeIn(deps, name, upArgs(started, true), emit),
      });
    }
    if (stopped.length > 0) {
      steps.push({
        step: "recreated",
        cli: await composeIn(deps, name, upArgs(stopped, false), emit),
      });
    }
  }
  const after = await freshContainers(deps, name);
  const problems = targets.map((s) => putBackProblem(s, after)).filter((p) => p !== null);
  return { services: targets.map((s) => s.service), steps, problems };
}

function uniqueRefs(round: { image: string; imageId: string }[]) {
  return [...new Map(round.map((r) => [r.image, r])).values()];
}

/**
 * The health gate of a stack update: the container update's own (the start watch and its rule,
 * services/containers/), for every new container of the recreated services at once; the first
 * that fails it fails the update, with its service and last log lines.
 */
import type { Gate } from "../containers/recreate/plan.ts";
import { passesUpdateGate } from "../containers/recreate/recreator.ts";
import type { Verdict } from "../containers/start-watch.ts";
import { shellArg } from "../config/shell-words.ts";
import { containerName } from "../docker/containers.ts";
import type { ContainerSummary } from "../docker/types.ts";
import { type Emit, freshContainers } from "./deps.ts";
import { COMPOSE_SERVICE_LABEL } from "./project-state.ts";
import type { StepDone, UpdateDeps } from "./update-rollback.ts";
import type { ServiceBefore } from "./update-state.ts";

/** A service that failed: which, why, and its last lines. */
export class UpdateFailed extends Error {
  constructor(message: string, readonly service: string | null, readonly logs: string[]) {
    super(message);
  }
}

/** What the gate needs of an update: the stack, what ran before, this update's own times. */
export type GatePlan = {
  name: string;
  services: ServiceBefore[];
  gate: { settleSeconds?: number; healthTimeoutSeconds?: number };
};

/** The gate a container gets: this update's settings, else its own update policy's. */
async function gateFor(deps: UpdateDeps, plan: GatePlan, container: string): Promise<Gate> {
  const own = await deps.gateOf(container);
  const { settleSeconds, healthTimeoutSeconds } = plan.gate;
  return {
    settleMs: settleSeconds !== undefined ? settleSeconds * 1000 : own.settleMs,
    healthTimeoutMs: healthTimeoutSeconds !== undefined
      ? healthTimeoutSeconds * 1000
      : own.healthTimeoutMs,
  };
}

/** `docker inspect` of the state the gate reads, as the container update shows it. */
function gateCli(containers: string[]): string {
  return `docker inspect --format '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' ${
    containers.map(shellArg).join(" ")
  }`;
}

/**
 * Gates every container of `services` (just recreated by compose): each must be new (compose
 * replaced it) and pass the container update's gate. Resolves to what each service's watch saw;
 * throws UpdateFailed for the first that fails. Its step is added to `steps` as it begins.
 */
export async function gateServices(
  deps: UpdateDeps,
  plan: GatePlan,
  services: string[],
  steps: StepDone[],
  emit: Emit,
): Promise<Map<string, string | null>> {
  const verdicts = new Map<string, string | null>();
  if (services.length === 0) return verdicts;
  const now = await freshContainers(deps, plan.name);
  const gated = now.filter((c) => services.includes(c.Labels?.[COMPOSE_SERVICE_LABEL] ?? ""));
  const before = new Set(plan.services.flatMap((s) => s.containers.map((c) => c.id)));
  for (const service of services) {
    const own = gated.filter((c) => c.Labels?.[COMPOSE_SERVICE_LABEL] === service);
    const kept = own.find((c) => before.has(c.Id));
    if (own.length === 0 || kept) {
      const what = kept
        ? `compose kept ${containerName(kept)} instead of recreating it`
        : "it has no container";
      throw new UpdateFailed(`${service}: ${what}`, service, []);
    }
  }
  const names = gated.map((c) => containerName(c));
  emit({ kind: "progress", message: `Health gate: ${names.join(", ")}` });
  steps.push({ step: "gate", cli: gateCli(names) });
  const watch = async (c: ContainerSummary, name: string): Promise<Verdict> =>
    await deps.watcher.watch(c.Id, { ...(await gateFor(deps, plan, name)), restartBaseline: 0 });
  await new Promise<void>((resolve, reject) => {
    let left = gated.length;
    gated.forEach((c, i) => {
      watch(c, names[i]).then((verdict) => {
        const service = c.Labels![COMPOSE_SERVICE_LABEL];
        emit({ kind: "progress", message: `${names[i]} ${verdict.summary ?? verdict.status}` });
        if (!passesUpdateGate(verdict)) {
          const why = `${service}: the new container ${names[i]} ${verdict.summary}`;
          reject(new UpdateFailed(why, service, verdict.logs));
          return;
        }
        verdicts.set(service, verdict.summary);
        if (--left === 0) resolve();
      }, reject);
    });
  });
  return verdicts;
}

import { containerName } from "../docker/containers.ts";
import type { RequestMeta } from "../audit.ts";
import { runCommandFromConfig } from "../config/cli.ts";
import { applyEdit, type Edit } from "../config/edit.ts";
import type { ContainerConfig } from "../config/model.ts";
import type { ContainerConfigService } from "../config/service.ts";
import type { Operations } from "../operations.ts";
import { diffCommands, type DiffLine } from "./history.ts";
import { startSteps } from "./recreate/operation.ts";
import type { RecreateResult } from "./recreate/plan.ts";
import type { Recreator } from "./recreate/recreator.ts";

/** A container as it is, and what an edit makes of it. */
export type EditPlan = { id: string; name: string; config: ContainerConfig; next: ContainerConfig };

/**
 * Edits a container, from the edit page or the API: the edit applied to its live config, the
 * `docker run` lines that change, and the journaled recreate (in the background for a page).
 */
export class EditService {
  constructor(
    private readonly configs: ContainerConfigService,
    private readonly recreator: Recreator,
    private readonly operations: Operations,
  ) {}

  /** The live container's id, name and config. */
  async current(ref: string): Promise<{ id: string; name: string; config: ContainerConfig }> {
    const { inspect, config } = await this.configs.load(ref);
    return { id: inspect.Id, name: containerName(inspect), config };
  }

  /** What `edit` makes of the container; an edit that cannot apply is refused naming its field. */
  async plan(ref: string, edit: Edit): Promise<EditPlan> {
    return this.edited(await this.current(ref), edit);
  }

  /** `edit` applied to a config read before (a form shown again keeps what it read). */
  edited(current: Omit<EditPlan, "next">, edit: Edit): EditPlan {
    return { ...current, next: applyEdit(current.config, edit) };
  }

  /** The `docker run` of the edited container, and its lines that differ from now. */
  async preview(plan: EditPlan): Promise<{ diff: DiffLine[]; cli: string }> {
    const cli = runCommandFromConfig(plan.next);
    return { diff: await diffCommands(runCommandFromConfig(plan.config), cli), cli };
  }

  /**
   * Refuses, before anything changes, a host port another container publishes or a network
   * that does not exist (a missing image is pulled by the recreate).
   */
  async check(plan: EditPlan): Promise<void> {
    await this.configs.preflight(plan.next, plan.id, { image: false });
  }

  /** Recreates the container with the edit, behind the journal (audited as a recreate). */
  run(plan: EditPlan, meta: RequestMeta): Promise<RecreateResult> {
    return this.recreator.recreate(this.#recreatePlan(plan), meta);
  }

  /** `run` in the background: the id of the operation whose progress is the recreate's steps. */
  start(plan: EditPlan, meta: RequestMeta): string {
    return startSteps(this.operations, `Recreating ${plan.name}…`, async (onStep) => {
      const r = await this.recreator.recreate(this.#recreatePlan(plan), meta, onStep);
      return { name: r.name, historyId: r.historyId, message: r.outcome };
    });
  }

  #recreatePlan(plan: EditPlan) {
    return { kind: "edit" as const, name: plan.name, config: plan.next, pullMissing: true };
  }
}

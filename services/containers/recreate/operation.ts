import type { OperationEvent, Operations } from "../../operations.ts";
import type { StepReport } from "./plan.ts";

/** How a recreate-like change ended: the container, its history entry (null: nothing changed). */
export type StepsOutcome = { name: string; historyId: number | null; message: string };

/**
 * Runs a recreate-like change (edit, restore, update, rollback) in the background: its progress
 * is the steps done so far, each with its CLI; its end names the container and history entry.
 */
export function startSteps(
  operations: Operations,
  message: string,
  run: (onStep: (s: StepReport) => void) => Promise<StepsOutcome>,
): string {
  return operations.start(async (emit): Promise<OperationEvent> => {
    const steps: StepReport[] = [];
    emit({ kind: "progress", message, steps: [] });
    const r = await run((s) => {
      steps.push(s);
      emit({ kind: "progress", message: s.step, steps: [...steps] });
    });
    return {
      kind: "done",
      subject: { kind: "container", name: r.name, historyId: r.historyId },
      message: r.message,
    };
  });
}

import type { PullProgress } from "../docker/images.ts";
import type { OperationEvent } from "../operations.ts";

/** A layer's id in Docker's pull progress; other lines are the pull's own status. */
export const LAYER_ID = /^[0-9a-f]{12}$/;

/** Byte counters arrive many times a second: at most one event this often (state changes go out). */
const EVERY_MS = 150;

/** One line of pull progress: "Downloading 3.1MB/9MB" (Docker's ASCII bar dropped). */
export function progressText(p: PullProgress): string {
  const detail = p.progress?.replace(/^\s*\[[^\]]*\]\s*/, "").trim();
  return detail ? `${p.status} ${detail}` : p.status;
}

/**
 * A pull's progress as an operation's events: each layer's state and bytes, the pull's status
 * lines as the message. `finish` reports the layers as they ended.
 */
export function pullEvents(image: string, emit: (e: OperationEvent) => void) {
  const layers: Record<string, string> = {};
  const bytes: Record<string, { current: number; total: number }> = {};
  let lastEmit = 0;
  return {
    report(p: PullProgress): void {
      let message = `Pulling ${image}…`;
      if (p.id && LAYER_ID.test(p.id)) {
        layers[p.id] = progressText(p);
        if (p.total) bytes[p.id] = { current: p.current ?? 0, total: p.total };
      } else message = p.id ? `${p.id}: ${p.status}` : p.status;
      const now = Date.now();
      if (p.progress && now - lastEmit < EVERY_MS) return;
      lastEmit = now;
      emit({ kind: "progress", message, layers: { ...layers }, bytes: { ...bytes } });
    },
    finish(): void {
      if (Object.keys(layers).length > 0) {
        emit({ kind: "progress", message: `Pulled ${image}`, layers: { ...layers } });
      }
    },
  };
}

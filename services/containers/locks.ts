/**
 * One change at a time per container: an update, rollback, retag, edit, restore, adopt or
 * removal holds its container's name until it ends, and a second change (or a start, stop …)
 * of that container meanwhile is refused with a 409 naming the one that runs. Keyed by name,
 * because a recreate gives the container a new id but never a new name.
 */
import { Conflict } from "../errors.ts";

/** The name a recreate parks the old container under (recreate/journal.ts). */
const PARKED = /-dm-old-\d+$/;

/** A container's own name, also while it is parked aside as `<name>-dm-old-<n>`. */
export function ownName(name: string): string {
  return name.replace(PARKED, "");
}

/** What holds a container, in the words of "is being …". */
export const OPERATIONS = {
  update: "updated",
  retag: "updated to another tag",
  rollback: "rolled back",
  edit: "edited",
  restore: "restored to an earlier version",
  adopt: "adopted",
  remove: "removed",
  undelete: "restored from its deleted record",
  recover: "repaired after an interrupted recreate",
} as const;
export type Operation = keyof typeof OPERATIONS;

/** A container's name held by one running operation; `release` ends the hold (once). */
export type Lease = { readonly name: string; readonly operation: Operation; release(): void };

/** The 409 a second operation gets: `"web" is being updated (started 12:03:04); wait …`. */
export class ContainerBusy extends Conflict {
  constructor(name: string, readonly operation: Operation, since: Date) {
    super(
      `"${name}" is being ${OPERATIONS[operation]} (started ${
        since.toTimeString().slice(0, 8)
      }); wait for it to finish`,
    );
  }
}

export class ContainerLocks {
  #held = new Map<string, { operation: Operation; since: Date }>();

  /** Holds `name` for `operation`, or throws ContainerBusy naming the one that holds it. */
  acquire(name: string, operation: Operation): Lease {
    this.check(name);
    this.#held.set(name, { operation, since: new Date() });
    let released = false;
    return {
      name,
      operation,
      release: () => {
        if (released) return;
        released = true;
        this.#held.delete(name);
      },
    };
  }

  /**
   * Throws ContainerBusy while an operation holds `name` (for quick actions: start, stop …).
   * The old container parked as `<name>-dm-old-<n>` during a recreate counts as `<name>`.
   */
  check(name: string): void {
    for (const key of [name, ownName(name)]) {
      const held = this.#held.get(key);
      if (held) throw new ContainerBusy(key, held.operation, held.since);
    }
  }

  /** The operation holding `name`, if any (the page disables its buttons meanwhile). */
  holder(name: string): Operation | null {
    return this.#held.get(name)?.operation ?? null;
  }

  /** Runs `fn` holding `name`; released however `fn` ends. */
  async with<T>(name: string, operation: Operation, fn: (lease: Lease) => Promise<T>): Promise<T> {
    const lease = this.acquire(name, operation);
    try {
      return await fn(lease);
    } finally {
      lease.release();
    }
  }
}

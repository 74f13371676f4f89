/**
 * How many alerts are firing, for the badge every signed-in page shows: held by the core, so
 * that the pages served before the services are wired (the dashboard) show it too; the alert
 * service sets it (services/wiring.ts).
 */
export class FiringAlerts {
  #count = 0;
  #listeners = new Set<(count: number) => void>();

  count(): number {
    return this.#count;
  }

  set(count: number): void {
    if (count === this.#count) return;
    this.#count = count;
    for (const fn of this.#listeners) fn(count);
  }

  onChange(fn: (count: number) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }
}

import type { DockerEvents } from "./events.ts";

/** Recent Docker events (being written). */
export class EventLog {
  constructor(readonly events: DockerEvents, readonly capacity: number) {}
}

/** `GET /events`' entries as a zod schema (routes/api/events.ts, routes/http/doc.ts). */
import { z } from "zod";
import { EVENT_TYPES } from "./store.ts";

export const eventEntrySchema = z.object({
  seq: z.number().int().meta({ description: "Position in this process's log: newer is larger" }),
  /** ISO 8601, from Docker's timeNano. */
  time: z.string(),
  type: z.enum(EVENT_TYPES),
  /** Docker's action as sent, e.g. `die` or `health_status: unhealthy`. */
  action: z.string().meta({ example: "die" }),
  /** Container or network id, image reference or id, volume name. */
  actorId: z.string(),
  /** Container, image, network or volume name. */
  name: z.string(),
  /**
   * The attributes worth showing: image, exitCode, signal, and the container of a network
   * connect or a volume mount.
   */
  attributes: z.object({
    image: z.string().optional(),
    exitCode: z.string().optional(),
    signal: z.string().optional(),
    container: z.string().optional(),
  }),
}).meta({ id: "DockerEvent" });

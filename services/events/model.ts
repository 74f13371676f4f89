/** `GET /events`' entries as a zod schema (routes/api/events.ts, routes/http/doc.ts). */
import { z } from "zod";
import { EVENT_TYPES } from "./store.ts";

export const eventEntrySchema = z.object({
  seq: z.number().int().meta({ description: "Position in this process's log: newer is larger" }),
  time: z.string(),
  type: z.enum(EVENT_TYPES),
  action: z.string().meta({ example: "die" }),
  actorId: z.string(),
  name: z.string(),
  attributes: z.object({
    image: z.string().optional(),
    exitCode: z.string().optional(),
    signal: z.string().optional(),
    container: z.string().optional(),
  }),
}).meta({ id: "DockerEvent" });

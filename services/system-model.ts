/** The shapes of `GET /health` and `GET /audit` (routes/api/index.ts), as zod schemas. */
import { z } from "zod";

/** API.md: liveness, and whether the Docker daemon answers. */
export const healthSchema = z.object({
  status: z.literal("ok"),
  docker: z.enum(["up", "down"]),
}).meta({ id: "Health" });

/** One audit log entry; `detail` is what the action recorded (JSON), or null. */
export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  action: z.string().meta({ example: "container.create" }),
  actor: z.string().nullable().meta({ example: "token:ci" }),
  ip: z.string(),
  userAgent: z.string(),
  detail: z.unknown(),
}).meta({ id: "AuditEntry" });

import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../http/env.ts";
import { eventListQuery } from "../http/queries.ts";
import { validate } from "../http/validate.ts";
import { eventEntrySchema } from "../../services/events/model.ts";
import { doc, reply } from "../http/doc.ts";

const eventList = z.array(eventEntrySchema);
const query = eventListQuery.extend({
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
});

/**
 * `/api/v1/events`: the recent Docker events DockerMate has seen (containers, images, networks,
 * volumes; healthcheck exec_* runs left out), newest first. `action=health_status` matches
 * every health change (`health_status: unhealthy`, …), as `docker events --filter` does.
 */
export function apiEventRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get(
    "/",
    doc({
      summary: "Docker events DockerMate has seen, newest first",
      tag: "events",
      ok: eventList,
    }),
    validate("query", query),
    (c) => {
      const { limit, ...filter } = c.req.valid("query");
      const log = c.get("deps").eventLog;
      return reply(c, eventList, log.list({ ...filter, limit: Math.min(limit, log.capacity) }));
    },
  );

  return app;
}

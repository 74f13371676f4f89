import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { containerParam } from "../http/params.ts";
import { validate } from "../http/validate.ts";
import { rangeQuerySchema } from "../../services/stats/model.ts";

/** `/api/v1/containers/:id/stats…`: a container's use now, its history, and its health. */
export function apiContainerStatsRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/:id/stats", validate("param", containerParam), async (c) => {
    const s = await c.get("deps").stats.current(c.req.valid("param").id);
    return c.json({
      cpuPercent: s.cpuPercent,
      memoryBytes: s.memoryBytes,
      memoryLimit: s.memoryLimit,
      netRxBytes: s.netRxBytes,
      netTxBytes: s.netTxBytes,
      blockReadBytes: s.blockReadBytes,
      blockWriteBytes: s.blockWriteBytes,
      pids: s.pids,
    });
  });

  app.get(
    "/:id/stats/history",
    validate("param", containerParam),
    validate("query", rangeQuerySchema),
    async (c) => {
      const { range } = c.req.valid("query");
      return c.json(await c.get("deps").stats.history(c.req.valid("param").id, range));
    },
  );

  app.get("/:id/health", validate("param", containerParam), async (c) => {
    return c.json(await c.get("deps").stats.health(c.req.valid("param").id));
  });

  return app;
}

/** `/api/v1/system/stats…` and `/api/v1/system/health`: the host's use, history and health. */
export function apiHostStatsRoutes() {
  const app = new Hono<AppEnv>();

  /** The latest round's figures; null before the first round (or every figure null). */
  app.get("/stats", (c) => c.json(c.get("deps").stats.hostCurrent()));

  app.get("/stats/history", validate("query", rangeQuerySchema), async (c) => {
    return c.json(await c.get("deps").stats.hostHistory(c.req.valid("query").range));
  });

  app.get("/health", async (c) => c.json(await c.get("deps").stats.hostHealth()));

  return app;
}

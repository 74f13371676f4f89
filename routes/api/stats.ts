import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../http/env.ts";
import { doc, reply } from "../http/doc.ts";
import { containerParam } from "../http/params.ts";
import { validate } from "../http/validate.ts";
import { containerHealthSchema } from "../../services/stats/health.ts";
import {
  containerPointSchema,
  currentStatsSchema,
  hostHealthSchema,
  hostPointSchema,
  hostSampleSchema,
  rangeQuerySchema,
} from "../../services/stats/model.ts";

const containerHistory = z.array(containerPointSchema);
const hostCurrent = hostSampleSchema.nullable();
const hostHistory = z.array(hostPointSchema);

/** `/api/v1/containers/:id/stats…`: a container's use now, its history, and its health. */
export function apiContainerStatsRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    "/:id/stats",
    doc({
      summary: "A container's use now (a figure the kernel did not report is null)",
      tag: "stats",
      ok: currentStatsSchema,
      errors: [404, 503],
    }),
    validate("param", containerParam),
    async (c) => {
      const now = await c.get("deps").stats.current(c.req.valid("param").id);
      return reply(c, currentStatsSchema, now);
    },
  );

  app.get(
    "/:id/stats/history",
    doc({
      summary: "A container's stored use over a range (I/O as bytes per second)",
      tag: "stats",
      ok: containerHistory,
      errors: [404, 503],
    }),
    validate("param", containerParam),
    validate("query", rangeQuerySchema),
    async (c) => {
      const { range } = c.req.valid("query");
      const points = await c.get("deps").stats.history(c.req.valid("param").id, range);
      return reply(c, containerHistory, points);
    },
  );

  app.get(
    "/:id/health",
    doc({
      summary: "A container's health: HEALTHCHECK probes, restarts, OOM kills",
      tag: "stats",
      ok: containerHealthSchema,
      errors: [404, 503],
    }),
    validate("param", containerParam),
    async (c) => {
      const health = await c.get("deps").stats.health(c.req.valid("param").id);
      return reply(c, containerHealthSchema, health);
    },
  );

  return app;
}

/** `/api/v1/system/stats…` and `/api/v1/system/health`: the host's use, history and health. */
export function apiHostStatsRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    "/stats",
    doc({
      summary: "The host's use now",
      tag: "stats",
      ok: hostCurrent,
      okDescription:
        "The latest sampling round's figures (null: not read); null before the first round",
    }),
    (c) => reply(c, hostCurrent, c.get("deps").stats.hostCurrent()),
  );

  app.get(
    "/stats/history",
    doc({ summary: "The host's stored use over a range", tag: "stats", ok: hostHistory }),
    validate("query", rangeQuerySchema),
    async (c) => {
      const points = await c.get("deps").stats.hostHistory(c.req.valid("query").range);
      return reply(c, hostHistory, points);
    },
  );

  app.get(
    "/health",
    doc({
      summary: "The host's health: daemon, database, capacity, containers needing attention",
      tag: "stats",
      ok: hostHealthSchema,
    }),
    async (c) => reply(c, hostHealthSchema, await c.get("deps").stats.hostHealth()),
  );

  return app;
}

import { createMiddleware } from "hono/factory";
import type { CoreEnv } from "../routes/http/env.ts";
import { Misdirected } from "../services/errors.ts";

/**
 * Answers only to the host names services/auth/host-policy.ts allows (421 otherwise), for every
 * request: a page reached through a rebound DNS name would pass the same-origin check.
 */
export const allowedHosts = () =>
  createMiddleware<CoreEnv>(async (c, next) => {
    const refusal = await c.get("deps").auth.hosts.refusal(c.get("meta").host);
    if (refusal) throw new Misdirected(refusal);
    await next();
  });

import { Hono } from "hono";
import type { AppEnv } from "../../services/context.ts";

export function apiEventRoutes(): Hono<AppEnv> {
  return new Hono<AppEnv>();
}

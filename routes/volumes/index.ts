import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { volumeListPages } from "./list.tsx";
import { volumePages } from "./volume.tsx";

/**
 * Every page under `/volumes`: the list, create and prune (`/-/prune`, which no volume's name
 * can take: names start with a letter or digit), then one volume's pages at `/:name`.
 */
export function volumeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/", volumeListPages());
  app.route("/", volumePages());
  return app;
}

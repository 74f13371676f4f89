import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { DockerBanner } from "../components/banner.tsx";
import type { AppEnv } from "../services/context.ts";
import type { DockerState } from "../services/docker/client.ts";
import { holdOpen, writer } from "./live-stream.ts";

/** Server-Sent Events: each message is an HTML fragment that htmx swaps in. */
export function liveRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/docker-status", (c) => {
    const deps = c.get("deps");
    return streamSSE(c, async (stream) => {
      const { write } = writer(stream);
      const send = (state: DockerState) =>
        write(() => ({ data: String(<DockerBanner state={state} />) }));
      const unsubscribe = deps.docker.subscribe((state) => void send(state));
      await send(deps.docker.state);
      await holdOpen(stream, c, unsubscribe);
    });
  });

  return app;
}

import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { DockerBanner } from "../components/banner.tsx";
import type { AppEnv } from "../services/context.ts";
import type { DockerState } from "../services/docker.ts";

/** Keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;

/** Server-Sent Events: each message is an HTML fragment that htmx swaps in. */
export function liveRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/docker-status", (c) => {
    const { docker } = c.get("deps");
    return streamSSE(c, async (stream) => {
      const send = (state: DockerState) =>
        stream.writeSSE({ data: String(<DockerBanner state={state} />) });
      const unsubscribe = docker.subscribe((state) => void send(state));
      stream.onAbort(unsubscribe);
      await send(docker.state);
      while (!stream.aborted) {
        await stream.sleep(HEARTBEAT_MS);
        if (!stream.aborted) await stream.write(": ping\n\n");
      }
      unsubscribe();
    });
  });

  return app;
}

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
    const { docker, shutdown } = c.get("deps");
    return streamSSE(c, async (stream) => {
      const end = () => stream.abort();
      shutdown.addEventListener("abort", end, { once: true });
      const send = (state: DockerState) =>
        stream.writeSSE({ data: String(<DockerBanner state={state} />) });
      const unsubscribe = docker.subscribe((state) => void send(state));
      await send(docker.state);
      // Holds the stream open until the client leaves or the server stops.
      await new Promise<void>((resolve) => {
        const heartbeat = setInterval(() => void stream.write(": ping\n\n"), HEARTBEAT_MS);
        stream.onAbort(() => {
          clearInterval(heartbeat);
          unsubscribe();
          shutdown.removeEventListener("abort", end);
          resolve();
        });
      });
    });
  });

  return app;
}

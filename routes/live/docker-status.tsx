import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { DockerBanner } from "../../components/banner.tsx";
import type { DockerState } from "../../services/docker/client.ts";
import type { CoreEnv } from "../http/env.ts";
import { holdOpen, writer } from "../live-stream.ts";

/** `/live/docker-status`: the banner again whenever Docker goes away or comes back (SSE). */
export function dockerStatusStream() {
  const app = new Hono<CoreEnv>();

  app.get("/", (c) => {
    const deps = c.get("deps");
    return streamSSE(c, async (stream) => {
      const { write } = writer(stream);
      const send = (state: DockerState) =>
        write(() => ({ data: String(<DockerBanner state={state} />) }));
      const unsubscribe = deps.daemon.subscribe((state) => void send(state));
      await send(deps.daemon.state);
      await holdOpen(stream, c, unsubscribe);
    });
  });

  return app;
}

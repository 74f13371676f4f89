import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { AlertsBadge } from "../../components/alerts/list.tsx";
import { DockerBanner } from "../../components/banner.tsx";
import type { DockerState } from "../../services/docker/client.ts";
import type { CoreEnv } from "../http/env.ts";
import { holdOpen, writer } from "../live-stream.ts";

/**
 * `/live/docker-status`: the banner again whenever Docker goes away or comes back (SSE), and
 * the nav's alerts badge (out of band) whenever the count of firing alerts changes: every
 * signed-in page holds this one stream.
 */
export function dockerStatusStream() {
  const app = new Hono<CoreEnv>();

  app.get("/", (c) => {
    const deps = c.get("deps");
    return streamSSE(c, async (stream) => {
      const { write } = writer(stream);
      const send = (state: DockerState) =>
        write(() => ({ data: String(<DockerBanner state={state} />) }));
      const unsubscribe = deps.daemon.subscribe((state) => void send(state));
      // FiringAlerts tells only of a changed count.
      const offAlerts = deps.firingAlerts.onChange((firing) =>
        // With the banner: the message's main part replaces the banner's box.
        write(() => ({
          data: String(
            <>
              <DockerBanner state={deps.daemon.state} />
              <AlertsBadge firing={firing} oob />
            </>,
          ),
        }))
      );
      await send(deps.daemon.state);
      await holdOpen(stream, c, () => {
        unsubscribe();
        offAlerts();
      });
    });
  });

  return app;
}

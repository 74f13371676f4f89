import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { TopUse, UseFigurePartials } from "../../components/stats/figures.tsx";
import { HostBody } from "../../components/stats/host.tsx";
import { MonitorBody } from "../../components/stats/monitor.tsx";
import { rangeQuerySchema } from "../../services/stats/model.ts";
import type { AppEnv } from "../http/env.ts";
import { containerParam } from "../http/params.ts";
import { validate } from "../http/validate.ts";
import { holdOpen, writer } from "../live-stream.ts";

/**
 * `/live/stats/…`: resource use as the sampler takes it, one message per round (nothing is
 * asked of Docker for a page that the round did not already read, but a container's health).
 */
export function liveStatsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  /** A container page's cards, re-rendered every round. */
  app.get(
    "/containers/:id",
    validate("param", containerParam),
    validate("query", rangeQuerySchema),
    (c) => {
      const { stats } = c.get("deps");
      const { id } = c.req.valid("param");
      const { range } = c.req.valid("query");
      return streamSSE(c, async (stream) => {
        const { write } = writer(stream);
        const off = stats.feed.subscribe(() => {
          write(async () => {
            const data = await stats.monitor(id, range).catch(() => null);
            return data ? { data: String(<MonitorBody data={data} />) } : null;
          });
        });
        const release = stats.watch();
        await holdOpen(stream, c, () => (off(), release()));
      });
    },
  );

  /** The host page's body, every round. */
  app.get("/host", validate("query", rangeQuerySchema), (c) => {
    const { stats } = c.get("deps");
    const { range } = c.req.valid("query");
    return streamSSE(c, async (stream) => {
      const { write } = writer(stream);
      const off = stats.feed.subscribe(() => {
        write(async () => ({
          data: String(<HostBody data={await stats.hostMonitor(range)} />),
        }));
      });
      const release = stats.watch();
      await holdOpen(stream, c, () => (off(), release()));
    });
  });

  /** The container list's figures: the latest at once, then every round. */
  app.get("/figures", (c) => {
    const { stats } = c.get("deps");
    return streamSSE(c, async (stream) => {
      const { write } = writer(stream);
      const send = (samples = [...stats.latestAll().values()]) =>
        write(() => ({ data: String(<UseFigurePartials samples={samples} />) }));
      send();
      const off = stats.feed.subscribe((round) => send(round.containers));
      const release = stats.watch();
      await holdOpen(stream, c, () => (off(), release()));
    });
  });

  /** The dashboard's Resource use card: at once, then every round. */
  app.get("/top", (c) => {
    const { stats } = c.get("deps");
    return streamSSE(c, async (stream) => {
      const { write } = writer(stream);
      write(() => ({
        data: String(
          <TopUse host={stats.hostCurrent()} samples={[...stats.latestAll().values()]} />,
        ),
      }));
      const off = stats.feed.subscribe((round) => {
        write(() => ({ data: String(<TopUse host={round.host} samples={round.containers} />) }));
      });
      const release = stats.watch();
      await holdOpen(stream, c, () => (off(), release()));
    });
  });

  return app;
}

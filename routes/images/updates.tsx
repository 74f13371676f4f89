import { Hono } from "hono";
import type { Context } from "hono";
import { UpdatesPage, UpdateSummary } from "../../components/image-updates.tsx";
import { Layout } from "../../components/layout.tsx";
import type { AppEnv } from "../http/env.ts";
import { appChrome, render } from "../http/render.ts";
import { isHtmx } from "../http/request.ts";

async function view(c: Context<AppEnv>) {
  const { imageUpdates } = c.get("deps");
  const [run, results] = await Promise.all([imageUpdates.lastRun(), imageUpdates.latestResults()]);
  return { run, results: [...results.values()] };
}

/** `/image-updates`: the "Check for updates" button's target and the results page. */
export function imageUpdatePages() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) =>
    render(
      c,
      <Layout title="Image updates" app={appChrome(c, "images")}>
        <UpdatesPage {...await view(c)} />
      </Layout>,
    ));

  /** The last check's summary, for the box under the button. */
  app.get("/summary", async (c) => c.html(<UpdateSummary {...await view(c)} />));

  /**
   * Runs a check. The rows' badges follow over the list's live stream (the service announces
   * the change); the answer is the summary, or the results page without htmx.
   */
  app.post("/check", async (c) => {
    await c.get("deps").imageUpdates.checkAll({ explicit: true });
    if (!isHtmx(c)) return c.redirect("/image-updates", 303);
    return c.html(<UpdateSummary {...await view(c)} />);
  });

  return app;
}

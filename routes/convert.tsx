import { type Context, Hono } from "hono";
import { ConvertForm, ConvertPage, ConvertResult } from "../components/convert/page.tsx";
import { Layout } from "../components/layout.tsx";
import { convertRunToCompose } from "../services/config/from-run.ts";
import { InvalidInput } from "../services/errors.ts";
import type { AppEnv } from "./http/env.ts";
import { appChrome, render } from "./http/render.ts";
import { formBody, isHtmx } from "./http/request.ts";
import { parseOrRefuse } from "./http/validate.ts";
import { convertBody } from "./api/convert.ts";

/** `/convert`: the converter page, part of the Stacks area. */
export function convertPages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const page = (
    c: Context<AppEnv>,
    props: Parameters<typeof ConvertPage>[0],
    status: 200 | 400 = 200,
  ) =>
    render(
      c,
      <Layout title="docker run → compose" app={appChrome(c, "stacks")}>
        <ConvertPage {...props} />
      </Layout>,
      status,
    );

  app.get("/", (c) => page(c, { command: "" }));

  app.post("/", async (c) => {
    const command = (await formBody(c)).command ?? "";
    try {
      const result = await convertRunToCompose(parseOrRefuse(convertBody, { command }).command);
      return isHtmx(c) ? c.html(<ConvertResult result={result} />) : page(c, { command, result });
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      if (!isHtmx(c)) return page(c, { command, error: err.detail }, 400);
      // The form comes back with the error under the field; the old result goes.
      c.header("HX-Retarget", "#convert-form");
      c.header("HX-Reswap", "outerHTML");
      return c.html(
        <>
          <ConvertForm command={command} error={err.detail} />
          <div id="convert-result" hx-swap-oob="true" aria-live="polite"></div>
        </>,
        400,
      );
    }
  });

  return app;
}

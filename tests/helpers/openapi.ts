/**
 * The app built in-process (no Docker call needed to describe it) and its served OpenAPI
 * document, fetched with an API token as a client would.
 */
import { createApp } from "../../app.ts";
import { parseConfig } from "../../config.ts";
import { createDeps } from "../../services/wiring.ts";
import { PASSWORD, SETUP_TOKEN } from "./server.ts";

export type InProcessApp = {
  app: ReturnType<typeof createApp>;
  deps: Awaited<ReturnType<typeof createDeps>>;
  token: string;
  close: () => Promise<void>;
};

const META = { ip: "test", userAgent: "test" };

/** The app over a fresh DATA_DIR, set up, with a full-scope token to call it. */
export async function inProcessApp(): Promise<InProcessApp> {
  const dataDir = await Deno.makeTempDir({ prefix: "dockermate-openapi-" });
  const deps = await createDeps(
    parseConfig({ DATA_DIR: dataDir, DOCKERMATE_SETUP_TOKEN: SETUP_TOKEN }),
  );
  const app = createApp(deps);
  await deps.auth.setup(PASSWORD, SETUP_TOKEN, META);
  const { token } = await deps.tokens.create(
    "openapi-test",
    { scope: "full", expiresInDays: 1 },
    META,
  );
  return {
    app,
    deps,
    token,
    close: async () => {
      deps.docker.stop();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

/** GET /api/v1/openapi.json from the in-process app, as JSON. */
export async function servedDocument(a: InProcessApp): Promise<Record<string, unknown>> {
  const res = await a.app.request("http://localhost/api/v1/openapi.json", {
    headers: { authorization: `Bearer ${a.token}` },
  });
  if (res.status !== 200) throw new Error(`openapi.json answered ${res.status}`);
  return await res.json();
}

/**
 * The frame of a test against one server: a run id, the server set up and logged in, and
 * everything the run made removed afterwards; containers made ready for an update, and the
 * server's verdict on a container's start.
 */
import assert from "node:assert/strict";
import { type Client, setupAndLogin } from "./client.ts";
import { removeLabeled, runId, runLabeled } from "./docker.ts";
import { removeLabeledImages } from "./registry.ts";
import { startServer, type TestServer, waitFor } from "./server.ts";

export type AppCtx = { server: TestServer; client: Client; run: string };

/**
 * Starts a server (with `env`), sets it up, logs in and runs `fn` with a new run id; then, whatever
 * failed, removes the run's containers, volumes and images and stops the server.
 */
export async function withApp(
  fn: (ctx: AppCtx) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  const run = runId();
  const server = await startServer(env);
  try {
    await fn({ server, client: await setupAndLogin(server.url), run });
  } finally {
    await removeLabeled(run);
    await removeLabeledImages(run);
    await server.stop();
  }
}

/** The container's update gate: updated only when asked, with this settle time and timeout. */
export async function setUpdateGate(
  client: Client,
  name: string,
  gate: { settleSeconds: number; healthTimeoutSeconds: number },
): Promise<void> {
  const r = await client.json("PUT", `/api/v1/containers/${name}/update-policy`, {
    policy: "off",
    ...gate,
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/**
 * A container of `ref` made with the CLI, as a user would (restart policy `restart`, Docker's
 * "no" when not given, and KEEP=me), with its update gate set.
 */
export async function runForUpdate(
  ctx: AppCtx,
  name: string,
  ref: string,
  opts: { restart?: string; settleSeconds: number; healthTimeoutSeconds: number },
): Promise<void> {
  const { restart = "no", ...gate } = opts;
  await runLabeled(ctx.run, name, ["--restart", restart, "-e", "KEEP=me", ref]);
  await setUpdateGate(ctx.client, name, gate);
}

/** The server's verdict on a container's start, once it has one (waiting up to `timeoutMs`). */
export async function verdictOf<T = Record<string, unknown>>(
  client: Client,
  name: string,
  timeoutMs: number,
): Promise<T> {
  let verdict: T | null = null;
  await waitFor(
    `the verdict of ${name}`,
    async () => {
      const r = await client.json<{ verdict: T | null }>("GET", `/api/v1/containers/${name}`);
      verdict = r.body.verdict;
      return verdict !== null;
    },
    timeoutMs,
    200,
  );
  return verdict!;
}

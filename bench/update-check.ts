/**
 * The update check over N unchanged images (PERFORMANCE.md: HEAD requests = N, GET = 0).
 *
 * N images are built, pushed to the test bed's registry and pulled back through a counting
 * proxy (tests/helpers/registry.ts `RegistryProxy`), so that their tags and RepoDigests name the
 * proxy; a container (created, not started) uses each. DockerMate is started and
 * `POST /api/v1/images/check-updates` runs through the API: the proxy counts what the check asked
 * the registry and the wall time of the call is taken. Two explicit checks in a row must each ask
 * the registry (2N HEAD): the one-minute cache serves only the scheduled runs.
 *
 * The server checks every container on the daemon, so the wall time also covers other
 * containers' images (reported as `references`); the request counts are the proxy's alone.
 *
 * Run alone: deno run -A bench/update-check.ts
 */
import { setupAndLogin } from "../tests/helpers/client.ts";
import { removeLabeled, runId } from "../tests/helpers/docker.ts";
import {
  buildImage,
  createContainer,
  deleteFromRegistry,
  pullImage,
  pushImage,
  REGISTRY,
  RegistryProxy,
  removeImage,
  removeLabeledImages,
} from "../tests/helpers/registry.ts";
import { startServer } from "../tests/helpers/server.ts";

const COUNT = 20;
/** Images built at a time (the legacy builder on 2 cores). */
const BATCH = 5;

type Result = {
  image: string;
  registry: string;
  updateAvailable: boolean;
  error?: string;
  method?: "HEAD" | "GET";
  cached?: boolean;
};

export type CheckMeasure = {
  /** Manifest HEADs, manifest GETs and any other request the proxy saw. */
  head: number;
  get: number;
  other: number;
  ms: number;
  /** Of the N images: up to date with no error, asked by HEAD. */
  ok: number;
  /** References in this check (other containers' included) that asked a registry. */
  asked: number;
};

export type UpdateCheckBench = {
  images: number;
  /** References in the check in all, other containers' on the daemon included. */
  references: number;
  first: CheckMeasure;
  /** Two explicit checks in a row, counted together. */
  twice: CheckMeasure;
};

type Pushed = { repo: string; digest: string };

/**
 * Builds image `i`, pushes it to the registry (noted in `pushed`, for the clean-up) and pulls it
 * back through the proxy.
 */
async function prepare(i: number, run: string, proxy: RegistryProxy, pushed: Pushed[]) {
  const repo = `dockermate-test/bench-upd-${run}-${i}`;
  const direct = `${REGISTRY}/${repo}:latest`;
  await buildImage(direct, run, String(i));
  pushed.push({ repo, digest: await pushImage(direct) });
  // As a user has it: pulled from a registry (through the proxy), not built here.
  await removeImage(direct, true);
  await pullImage(`${proxy.host}/${repo}:latest`);
  await createContainer(`bench-upd-${run}-${i}`, `${proxy.host}/${repo}:latest`, run);
}

export async function benchUpdateCheck(): Promise<UpdateCheckBench> {
  const run = runId();
  const proxy = new RegistryProxy(REGISTRY).start();
  const pushed: Pushed[] = [];
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    for (let i = 0; i < COUNT; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, COUNT - i) }, (_, j) => i + j);
      await Promise.all(batch.map((n) => prepare(n, run, proxy, pushed)));
    }
    server = await startServer({
      LOG_LEVEL: "warn",
      // The proxy's port is not among the registries the server may reach by default.
      DOCKERMATE_REGISTRY_HOSTS: proxy.host,
    });
    const client = await setupAndLogin(server.url);

    const path = "/api/v1/images/check-updates";
    /** `times` explicit checks in a row, the proxy's counts over all of them. */
    const measure = async (times: number) => {
      proxy.reset();
      const t0 = performance.now();
      let ok = 0;
      let asked = 0;
      let references = 0;
      for (let i = 0; i < times; i++) {
        const res = await client.json<Result[]>("POST", path);
        if (res.status !== 200) {
          throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
        }
        const ours = res.body.filter((r) => r.registry === proxy.host);
        if (ours.length !== COUNT) {
          throw new Error(`${path}: ${ours.length} of ${COUNT} images in the answer`);
        }
        ok += ours.filter((r) => !r.updateAvailable && !r.error && r.method === "HEAD").length;
        asked += res.body.filter((r) => r.method).length;
        references = res.body.length;
      }
      const ms = performance.now() - t0;
      const manifests = (m: "HEAD" | "GET") => proxy.manifestRequests(m).length;
      const measured: CheckMeasure = {
        head: manifests("HEAD"),
        get: manifests("GET"),
        other: proxy.requests.length - manifests("HEAD") - manifests("GET"),
        ms,
        ok,
        asked,
      };
      return { measured, references };
    };

    const first = await measure(1);
    const twice = await measure(2);
    return {
      images: COUNT,
      references: first.references,
      first: first.measured,
      twice: twice.measured,
    };
  } finally {
    await server?.stop();
    await removeLabeled(run);
    await removeLabeledImages(run);
    await proxy.stop();
    for (const { repo, digest } of pushed) {
      await deleteFromRegistry(`http://${REGISTRY}`, repo, [digest]);
    }
  }
}

if (import.meta.main) {
  const r = await benchUpdateCheck();
  const line = (m: CheckMeasure) =>
    `${m.head} HEAD, ${m.get} GET, ${m.other} other, ${
      m.ms.toFixed(0)
    } ms, ${m.ok}/${r.images} ok, ` +
    `${m.asked} references asked a registry`;
  console.log(`update check, ${r.images} unchanged images (${r.references} references in all)`);
  console.log(`  one check: ${line(r.first)} (goal: ${r.images} HEAD, 0 GET)`);
  console.log(`  two in a row: ${line(r.twice)} (goal: ${2 * r.images} HEAD, 0 GET)`);
}

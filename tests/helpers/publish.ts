/**
 * Per-run images in the test registry, to make "an update": each `publish` builds a new image
 * (its own ID, labelled with the run) from a test bed image, tags it `ref` and pushes it.
 */
import { DOCKER_BIN, DOCKER_SOCKET, dockerCli, images } from "../testbed/images.ts";
import { TEST_LABEL } from "./docker.ts";

const VARIANTS = {
  v1: images.appV1,
  // No HEALTHCHECK: the gate then waits the whole settle time.
  web: images.web,
  v2: images.appV2,
  healthy: images.healthy,
  exits: images.exits,
  unhealthy: images.unhealthy,
} as const;
export type Variant = keyof typeof VARIANTS;

/** The docker CLI; throws with its stderr when it fails. */
export async function docker(args: string[]): Promise<string> {
  const r = await dockerCli(args);
  if (r.code !== 0) throw new Error(`docker ${args.join(" ")}: ${r.stderr || r.stdout}`);
  return r.stdout.trim();
}

/** A new image of `variant`, tagged `ref` and pushed; resolves to its ID. */
export async function publish(run: string, ref: string, variant: Variant): Promise<string> {
  const child = new Deno.Command(DOCKER_BIN, {
    args: ["build", "-q", "--label", `${TEST_LABEL}=${run}`, "-t", ref, "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { DOCKER_HOST: `unix://${DOCKER_SOCKET}`, DOCKER_BUILDKIT: "0" },
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(
    new TextEncoder().encode(
      `FROM ${VARIANTS[variant]}\nLABEL test.variant="${variant}-${crypto.randomUUID()}"\n`,
    ),
  );
  await w.close();
  const out = await child.output();
  if (out.code !== 0) throw new Error(new TextDecoder().decode(out.stderr));
  await docker(["push", ref]);
  return new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!;
}

/**
 * Images for the image tests: old ones (a `created` date years back, so that "older than N
 * days" selects them and never the test bed's fresh images), ones with a layer of their own (so
 * a pull downloads something), and the automatic prune turned off again.
 */
import assert from "node:assert/strict";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { images } from "../testbed/images.ts";
import type { Client } from "./client.ts";
import { docker, dockerApi, runLabeled, TEST_LABEL } from "./docker.ts";

async function run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/**
 * Loads a copy of the test bed's base image whose config says it was created at `created`
 * (2020 by default) and carries `TEST_LABEL=<run>` and `n`, so each call makes a new image id.
 * Tagged `tag`, or dangling without one. Resolves to its id (`sha256:…`).
 */
export async function loadOldImage(
  opts: { run: string; n: number; tag?: string; created?: string },
): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-old-image-" });
  try {
    const tree = `${dir}/tree`;
    await Deno.mkdir(tree);
    await docker(["save", "-o", `${dir}/base.tar`, images.base]);
    await run("tar", ["-x", "-f", `${dir}/base.tar`, "-C", tree]);
    const manifest = JSON.parse(await Deno.readTextFile(`${tree}/manifest.json`));
    const config = JSON.parse(await Deno.readTextFile(`${tree}/${manifest[0].Config}`));
    config.created = opts.created ?? "2020-01-01T00:00:00Z";
    const labels: Record<string, string> = { ...(config.config.Labels ?? {}) };
    for (const k of Object.keys(labels)) if (k.startsWith("com.dockermate.")) delete labels[k];
    config.config.Labels = {
      ...labels,
      [TEST_LABEL]: opts.run,
      "test.dockermate.n": String(opts.n),
    };
    const bytes = new TextEncoder().encode(JSON.stringify(config));
    const hex = encodeHexLowerCase(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
    await Deno.remove(`${tree}/${manifest[0].Config}`);
    await Deno.writeFile(`${tree}/${hex}.json`, bytes);
    manifest[0].Config = `${hex}.json`;
    manifest[0].RepoTags = opts.tag ? [opts.tag] : null;
    await Deno.writeTextFile(`${tree}/manifest.json`, JSON.stringify(manifest));
    await Deno.remove(`${tree}/repositories`).catch(() => {});
    await run("tar", ["-c", "-f", `${dir}/old.tar`, "-C", tree, "."]);
    await docker(["load", "-i", `${dir}/old.tar`]);
    return `sha256:${hex}`;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * An image with a layer of its own (`kb` KiB of random bytes) pushed to the test registry as
 * `ref` and removed here, so that pulling it downloads that layer.
 */
export async function pushFreshImage(run: string, ref: string, kb = 512): Promise<void> {
  const name = `dm-img-${run}-${crypto.randomUUID().slice(0, 6)}`;
  try {
    await runLabeled(run, name, [
      images.base,
      "sh",
      "-c",
      `dd if=/dev/urandom of=/blob bs=1024 count=${kb} 2>/dev/null`,
    ]);
    assert.equal(await docker(["wait", name]), "0", `the layer of ${ref} was not written`);
    await docker(["commit", "--change", `LABEL ${TEST_LABEL}=${run}`, name, ref]);
    await docker(["push", ref]);
    await docker(["rmi", ref]);
  } finally {
    await docker(["rm", "-f", name]);
  }
}

/** Whether Docker has an image by this id or reference. */
export async function imageExists(ref: string): Promise<boolean> {
  try {
    await dockerApi(`/images/${encodeURIComponent(ref)}/json`);
    return true;
  } catch {
    return false;
  }
}

/** The age in days of the oldest test bed image: an "older than" above it spares them all. */
export async function testbedAgeDays(): Promise<number> {
  let oldest = Date.now();
  for (const ref of Object.values(images)) {
    const i = await dockerApi<{ Created: string }>(`/images/${encodeURIComponent(ref)}/json`);
    oldest = Math.min(oldest, Date.parse(i.Created));
  }
  return (Date.now() - oldest) / 86_400_000;
}

/**
 * Turns the server's automatic prune off again: a test that turns it on must, in `finally`, or
 * its daily run could prune images of the shared daemon the test did not make.
 */
export async function autoPruneOff(client: Client): Promise<void> {
  const off = await client.json("PUT", "/api/v1/images/prune/policy", {
    enabled: false,
    mode: "dangling",
    days: 7,
  });
  if (off.status !== 200) throw new Error(`turning auto-prune off: ${JSON.stringify(off.body)}`);
}

/**
 * Per-run images in the test registry, to make "an update": each `publish` builds a new image
 * (its own ID, labelled with the run) from a test bed image, tags it `ref` and pushes it.
 */
import { images } from "../testbed/images.ts";
import { buildImage, pushImage } from "./registry.ts";

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

/** A new image of `variant`, tagged `ref` and pushed; resolves to its ID. */
export async function publish(run: string, ref: string, variant: Variant): Promise<string> {
  const id = await buildImage(ref, run, `${variant}-${crypto.randomUUID()}`, VARIANTS[variant]);
  await pushImage(ref);
  return id;
}

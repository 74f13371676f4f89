/**
 * What a stack update works from, and decides with, as pure functions: each service as it runs
 * before the update (its containers, the image ID they run, the config hash compose labelled them
 * with), which services a pull gave a new image, and in what rounds the old images are tagged
 * back for a rollback. The journal stores these shapes as JSON; zod reads them back.
 */
import { z } from "zod";
import { containerName } from "../docker/containers.ts";
import type { ContainerSummary } from "../docker/types.ts";
import { changedServiceSchema } from "./model.ts";
import { COMPOSE_CONFIG_HASH_LABEL, COMPOSE_SERVICE_LABEL } from "./project-state.ts";
import { compareText } from "../text.ts";

/** The parts of `docker compose config --format json` an update needs. */
export const updateConfigSchema = z.object({
  services: z.record(
    z.string(),
    z.object({
      image: z.string().optional(),
      build: z.unknown().optional(),
      pull_policy: z.string().optional(),
    }),
  ).default({}),
});
export type UpdateConfig = z.infer<typeof updateConfigSchema>;

const containerBeforeSchema = z.object({
  id: z.string(),
  name: z.string(),
  imageId: z.string(),
  running: z.boolean(),
});

/** A service as it ran when the update began. */
export const serviceBeforeSchema = z.object({
  service: z.string(),
  /** The image reference the compose file names (variables filled in). */
  image: z.string(),
  /** The image its containers run (the first one's; they are all compared). */
  imageId: z.string(),
  /** `com.docker.compose.config-hash` of its containers. */
  configHash: z.string().nullable(),
  /** Any container running: recreated with `up -d` and gated; else left stopped. */
  running: z.boolean(),
  /** False for `pull_policy: never` or `build`: the update does not pull its image. */
  pull: z.boolean(),
  containers: z.array(containerBeforeSchema),
});
export type ServiceBefore = z.infer<typeof serviceBeforeSchema>;
export const servicesBeforeSchema = z.array(serviceBeforeSchema);

export type ChangedService = z.infer<typeof changedServiceSchema>;
export const changedServicesSchema = z.array(changedServiceSchema);

/** `docker compose config --hash '*'`: one `service hash` a line. */
export function parseHashes(stdout: string): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const [service, hash] = line.trim().split(/\s+/);
    if (service && hash) hashes.set(service, hash);
  }
  return hashes;
}

export type Snapshot = {
  services: ServiceBefore[];
  /** Services whose containers were made from other files than the folder has now. */
  undeployed: string[];
  /** Services the update leaves alone, with why (built here, no image). */
  skipped: { service: string; reason: string }[];
};

/**
 * Each service of the file that has containers, as it runs now. A service whose containers
 * carry another config hash than the files give has changes not deployed yet: an update would
 * deploy them too, and could not put the old config back, so the caller refuses it.
 */
export function snapshot(
  containers: ContainerSummary[],
  config: UpdateConfig,
  hashes: Map<string, string>,
): Snapshot {
  const out: Snapshot = { services: [], undeployed: [], skipped: [] };
  for (const [service, s] of Object.entries(config.services)) {
    const own = containers.filter((c) => c.Labels?.[COMPOSE_SERVICE_LABEL] === service)
      .sort((a, b) => compareText(containerName(a), containerName(b)));
    if (own.length === 0) continue;
    const configHash = own[0].Labels?.[COMPOSE_CONFIG_HASH_LABEL] ?? null;
    if (own.some((c) => c.Labels?.[COMPOSE_CONFIG_HASH_LABEL] !== hashes.get(service))) {
      out.undeployed.push(service);
    }
    if (!s.image) {
      out.skipped.push({ service, reason: "it is built here, not pulled" });
      continue;
    }
    const policy = s.pull_policy ?? "";
    out.services.push({
      service,
      image: s.image,
      imageId: own[0].ImageID,
      configHash,
      running: own.some((c) => c.State === "running" || c.State === "restarting"),
      pull: s.build === undefined && policy !== "never" && policy !== "build",
      containers: own.map((c) => ({
        id: c.Id,
        name: containerName(c),
        imageId: c.ImageID,
        running: c.State === "running" || c.State === "restarting",
      })),
    });
  }
  return out;
}

/** The services whose reference now names another image than (any of) their containers run. */
export function changedServices(
  services: ServiceBefore[],
  imageIdOf: Map<string, string>,
): ChangedService[] {
  return services.flatMap((s) => {
    const now = imageIdOf.get(s.image);
    if (!now || s.containers.every((c) => c.imageId === now)) return [];
    return [{ service: s.service, image: s.image, fromImageId: s.imageId, toImageId: now }];
  });
}

/**
 * The old images to tag back, in rounds: within a round each reference names one image ID, so
 * services that share a reference but ran different images are put back one round after the
 * other (tag, then compose for that round's services).
 */
export function retagRounds(
  targets: { service: string; image: string; imageId: string }[],
): { service: string; image: string; imageId: string }[][] {
  const rounds: { service: string; image: string; imageId: string }[][] = [];
  for (const t of targets) {
    const round = rounds.find((r) =>
      r.every((o) => o.image !== t.image || o.imageId === t.imageId)
    );
    if (round) round.push(t);
    else rounds.push([t]);
  }
  return rounds;
}

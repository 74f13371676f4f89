/**
 * The parts of `docker compose config --format json` (the file as compose resolved it: env
 * interpolated, short forms expanded, profiles applied) that DockerMate checks before a deploy:
 * images to pull, host ports, how many containers, resource limits. Pure.
 */
import { z } from "zod";

const numeric = z.union([z.number(), z.string()]).transform((v) => Number(v));

const portSchema = z.object({
  target: z.number(),
  /** A port or a range (`8000-8010`); absent for a random one. */
  published: z.union([z.string(), z.number()]).optional(),
  host_ip: z.string().optional(),
  protocol: z.string().optional(),
});

const serviceSchema = z.object({
  image: z.string().optional(),
  build: z.unknown().optional(),
  container_name: z.string().optional(),
  ports: z.array(portSchema).optional(),
  scale: z.number().optional(),
  cpus: numeric.optional(),
  mem_limit: numeric.optional(),
  deploy: z.object({
    replicas: z.number().optional(),
    resources: z.object({
      limits: z.object({ cpus: numeric.optional(), memory: numeric.optional() }).optional(),
    }).optional(),
  }).nullable().optional(),
});

export const composeConfigSchema = z.object({
  services: z.record(z.string(), serviceSchema).default({}),
});
export type ComposeConfig = z.infer<typeof composeConfigSchema>;
type Service = z.infer<typeof serviceSchema>;

export type WantedPort = {
  service: string;
  hostIp: string;
  hostPort: number;
  protocol: string;
  /** The key a conflict is reported at: `services.web.ports[0]`. */
  key: string;
};

/** How many containers a service runs. */
export function replicas(s: Service): number {
  return s.scale ?? s.deploy?.replicas ?? 1;
}

/** Every fixed host port the services publish (ranges and random ports cannot clash). */
export function wantedPorts(config: ComposeConfig): WantedPort[] {
  return Object.entries(config.services).flatMap(([service, s]) =>
    (s.ports ?? []).flatMap((p, i) => {
      const published = String(p.published ?? "");
      if (!/^\d+$/.test(published)) return [];
      return [{
        service,
        hostIp: p.host_ip ?? "",
        hostPort: Number(published),
        protocol: p.protocol ?? "tcp",
        key: `services.${service}.ports[${i}]`,
      }];
    })
  );
}

/** Image references to have before `up` (services that only build are left to compose). */
export function imagesOf(config: ComposeConfig): string[] {
  const images = Object.values(config.services)
    .filter((s) => s.image && s.build === undefined)
    .map((s) => s.image!);
  return [...new Set(images)];
}

/** Containers the file asks for, per service. */
export function containerCounts(config: ComposeConfig): Map<string, number> {
  return new Map(Object.entries(config.services).map(([name, s]) => [name, replicas(s)]));
}

/** Each service's CPU and memory limits, for the hardware check; the key names where. */
export function resourceRequests(
  config: ComposeConfig,
): { service: string; key: string; cpus?: number; memoryBytes?: number }[] {
  return Object.entries(config.services).map(([service, s]) => {
    const limits = s.deploy?.resources?.limits;
    return {
      service,
      key: limits ? `services.${service}.deploy.resources.limits` : `services.${service}`,
      cpus: limits?.cpus ?? s.cpus,
      memoryBytes: limits?.memory ?? s.mem_limit,
    };
  });
}

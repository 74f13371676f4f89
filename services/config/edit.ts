/**
 * "Edit" a container: the aspects a user changes most (image tag, ports, env, volumes, limits,
 * restart policy, labels, networks), in the Docker CLI's notation like the create body, applied
 * onto the container's full config so that everything else stays exactly as it was.
 */
import { z } from "zod";
import type { ContainerConfig, NetworkEndpoint, PortPublish } from "./model.ts";
import { createInputSchema } from "./create-input.ts";
import {
  normalizePortMapping,
  normalizeVolume,
  parseEnvBlock,
  parseKeyValueLines,
  parsePortMapping,
} from "./field-parsers.ts";
import { RESERVED_LABEL_PREFIX, userLabels } from "./labels.ts";
import { portSpec } from "./cli.ts";
import { InvalidInput } from "../errors.ts";
import { formatMemory, parseMemory } from "./units.ts";

const input = createInputSchema.shape;
const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const SHARED_NETWORK_MODES = /^(host|none|container:.+)$/;

/** A port or bind line as the form shows it, accepted verbatim when it is already there. */
const line = z.string({ error: "must be a string" }).trim();

/**
 * What an edit may change; a field left out keeps its value. `memory` and `cpus` take null to
 * remove the limit.
 */
export const editSchema = z.strictObject({
  image: input.image.optional(),
  env: input.env.unwrap().optional(),
  ports: z.array(line, { error: `must be a list like ["8080:80", "53:53/udp"]` }).max(100)
    .optional(),
  volumes: z.array(line, { error: `must be a list like ["/srv/data:/data:ro", "mydata:/data"]` })
    .max(100).optional(),
  restartPolicy: input.restartPolicy.unwrap().optional(),
  labels: input.labels.unwrap().optional(),
  networks: z.array(
    z.string().regex(NETWORK_NAME, "must be network names like bridge or my-net"),
    { error: `must be a list like ["bridge"]` },
  ).min(1, "must name at least one network").max(10).optional(),
  cpus: input.cpus.unwrap().nullable().optional(),
  memory: input.memory.unwrap().nullable().optional(),
}, {
  error: (i) => (i.code === "unrecognized_keys" ? `unknown field ${i.keys.join(", ")}` : undefined),
});
export type Edit = z.output<typeof editSchema>;

/** Form field name of a network's checkbox (`network.my-net`). */
export const NETWORK_FIELD = "network.";
/** Present when the form offered network checkboxes at all. */
export const NETWORKS_SHOWN = "networksShown";

function lines(text: string | undefined): string[] {
  return (text ?? "").split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== "");
}

/** Parses a block in a form field; a failure becomes an issue on that field. */
function block<T>(fn: (s: string) => T) {
  return (v: string | undefined, ctx: z.RefinementCtx): T | undefined => {
    try {
      return fn(v ?? "");
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  };
}

const formText = z.string().optional();

/**
 * The edit form (every field present, all strings) mapped onto editSchema, so the page and the
 * API get the same Edit and the same messages. An empty memory or CPU field removes the limit.
 */
export const editFormSchema = z.object({
  image: formText.transform((v) => v?.trim() ?? ""),
  env: formText.transform(block(parseEnvBlock)),
  ports: formText.transform(lines),
  volumes: formText.transform(lines),
  restartPolicy: formText.transform((v) => v?.trim() || "no"),
  labels: formText.transform(block(parseKeyValueLines)),
  memory: formText.transform((v, ctx) => v?.trim() ? block(parseMemory)(v.trim(), ctx) : null),
  cpus: formText.transform((v) => (v?.trim() ? Number(v) : null)),
}).catchall(z.string()).transform((form): z.input<typeof editSchema> => {
  const networks = Object.keys(form).filter((k) => k.startsWith(NETWORK_FIELD))
    .map((k) => k.slice(NETWORK_FIELD.length));
  const { image, env, ports, volumes, restartPolicy, labels, memory, cpus } = form;
  // Containers on host/none/container: networking get no checkboxes, so no change.
  const shown = NETWORKS_SHOWN in form;
  return {
    image,
    env,
    ports,
    volumes,
    restartPolicy,
    labels,
    memory,
    cpus,
    networks: shown ? networks : undefined,
  };
}).pipe(editSchema);

/** The editable aspects of a config, in the notation of the edit body and form. */
export function editableOf(config: ContainerConfig): Required<Edit> {
  const env = Object.fromEntries(config.env.map((e) => {
    const at = e.indexOf("=");
    return at < 0 ? [e, ""] : [e.slice(0, at), e.slice(at + 1)];
  }));
  return {
    image: config.image,
    env,
    ports: config.ports.map(portSpec),
    volumes: config.binds,
    restartPolicy: config.restart ?? "no",
    labels: userLabels(config.labels),
    networks: config.networks.map((n) => n.network),
    cpus: config.resources.cpus ?? null,
    memory: config.resources.memory ?? null,
  };
}

/** Memory as the form shows it (`256m`), empty when unlimited. */
export function memoryText(bytes: number | null): string {
  return bytes ? formatMemory(bytes) : "";
}

function fail(field: string, message: string): never {
  throw new InvalidInput(`${field}: ${message}`);
}

/** Existing publishes stay as Docker recorded them; new lines are parsed like `-p`. */
function applyPorts(current: PortPublish[], lines: string[]): PortPublish[] {
  const byText = new Map(current.map((p) => [portSpec(p), p]));
  const out: PortPublish[] = [];
  lines.forEach((text, i) => {
    const kept = byText.get(text);
    if (kept) return void out.push(kept);
    try {
      normalizePortMapping(text);
      for (const b of parsePortMapping(text)) {
        out.push({
          containerPort: b.containerPort,
          protocol: b.protocol,
          hostIp: b.hostIp ?? "",
          hostPort: b.hostPort === undefined ? "" : String(b.hostPort),
        });
      }
    } catch (err) {
      fail(`ports[${i}]`, (err as Error).message);
    }
  });
  const seen = new Set<string>();
  out.forEach((p, i) => {
    if (p.hostPort === "") return;
    const key = `${p.hostIp}|${p.hostPort}/${p.protocol}`;
    if (seen.has(key)) fail(`ports[${i}]`, `host port ${p.hostPort}/${p.protocol} is given twice`);
    seen.add(key);
  });
  return out;
}

/** Binds Docker recorded (with options like `rslave` or `z`) stay verbatim; new ones are checked. */
function applyBinds(current: string[], lines: string[]): string[] {
  const known = new Set(current);
  return lines.map((text, i) => {
    if (known.has(text)) return text;
    try {
      return normalizeVolume(text);
    } catch (err) {
      return fail(`volumes[${i}]`, (err as Error).message);
    }
  });
}

function applyNetworks(config: ContainerConfig, names: string[]): Partial<ContainerConfig> {
  if (config.networkMode && SHARED_NETWORK_MODES.test(config.networkMode)) {
    fail(
      "networks",
      `it uses network mode ${config.networkMode}, which joins no networks of its own`,
    );
  }
  const byName = new Map(config.networks.map((n) => [n.network, n]));
  const networks: NetworkEndpoint[] = [...new Set(names)].map((network) =>
    byName.get(network) ?? { network, aliases: [], linkLocalIps: [], links: [], driverOpts: {} }
  );
  return { networkMode: networks[0].network, networks };
}

/** The user's labels replaced, DockerMate's kept, in their old order (so a diff shows only changes). */
function applyLabels(
  current: Record<string, string>,
  wanted: Record<string, string>,
): Record<string, string> {
  const kept = Object.entries(current).filter(([k]) =>
    k.startsWith(RESERVED_LABEL_PREFIX) || k in wanted
  ).map(([k, v]) => [k, k.startsWith(RESERVED_LABEL_PREFIX) ? v : wanted[k]]);
  const added = Object.entries(wanted).filter(([k]) => !(k in current));
  return Object.fromEntries([...kept, ...added]);
}

/** The same networks, in any order: nothing to change (the default network stays implicit). */
function sameNetworks(config: ContainerConfig, names: string[]): boolean {
  const now = config.networks.map((n) => n.network).sort();
  return JSON.stringify(now) === JSON.stringify([...new Set(names)].sort());
}

/** The config with the edit applied; everything the edit does not name stays as it was. */
export function applyEdit(config: ContainerConfig, edit: Edit): ContainerConfig {
  const next: ContainerConfig = structuredClone(config);
  if (edit.image !== undefined) next.image = edit.image;
  if (edit.env !== undefined) next.env = Object.entries(edit.env).map(([k, v]) => `${k}=${v}`);
  if (edit.ports !== undefined) next.ports = applyPorts(config.ports, edit.ports);
  if (edit.volumes !== undefined) next.binds = applyBinds(config.binds, edit.volumes);
  if (edit.restartPolicy !== undefined) {
    next.restart = edit.restartPolicy === "no" ? undefined : edit.restartPolicy;
  }
  if (edit.labels !== undefined) next.labels = applyLabels(config.labels, edit.labels);
  if (edit.networks !== undefined && !sameNetworks(config, edit.networks)) {
    Object.assign(next, applyNetworks(config, edit.networks));
  }
  if (edit.cpus !== undefined) next.resources.cpus = edit.cpus ?? undefined;
  if (edit.memory !== undefined) {
    next.resources.memory = edit.memory ?? undefined;
    // Docker refuses a swap limit without a memory limit, and one below it.
    if (edit.memory === null || (next.resources.memorySwap ?? -1) < edit.memory) {
      if (next.resources.memorySwap !== -1) next.resources.memorySwap = undefined;
    }
  }
  return next;
}

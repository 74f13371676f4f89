import { z } from "zod";
import { type Cidr, LOOPBACK_CIDRS, parseCidr } from "./services/auth/client-ip.ts";
import { CRASH_POINTS } from "./services/containers/recreate/steps.ts";
import { STACK_CRASH_POINTS } from "./services/stacks/update-steps.ts";

/** Environment variables DockerMate reads, validated once at start. */
const boolish = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((
  v,
) => v === "true" || v === "1" || v === "yes");

/** A duration like `30m`, `12h`, `7d` or a number of seconds, as milliseconds. */
export function parseDuration(value: string): number | null {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(value.trim());
  if (!m) return null;
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? "s") as "s" | "m" | "h" | "d"];
  const ms = Number(m[1]) * unit * 1000;
  return ms > 0 ? ms : null;
}

const duration = z.string().transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === null) {
    ctx.addIssue({
      code: "custom",
      message: `"${v}" is not a duration like 30m, 12h or 7d`,
    });
    return z.NEVER;
  }
  return ms;
});

const dockerHost = z.string().refine(
  (v) => /^(unix:\/\/\/.+|tcp:\/\/[^/]+:\d+\/?|ssh:\/\/.+)$/.test(v),
  "must be unix:///path, tcp://host:port or ssh://user@host",
);

/** `host[:port]` entries (or `*` for any host), comma-separated: outbound registry access. */
const hostList = z.string().transform((v) => v.split(",").map((h) => h.trim()).filter(Boolean))
  .refine(
    (hosts) =>
      hosts.every((h) => h === "*" || /^(?:[\w.-]+|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/.test(h)),
    "must be host or host:port entries separated by commas (or * for any host)",
  );

/**
 * The proxies whose forwarding headers count: `false` none, `true` a proxy on this machine
 * (loopback), or a comma-separated list of addresses and CIDR blocks.
 */
const trustProxy = z.string().transform((v, ctx): Cidr[] => {
  const word = v.trim().toLowerCase();
  if (["false", "0", "no"].includes(word)) return [];
  const entries = ["true", "1", "yes"].includes(word)
    ? LOOPBACK_CIDRS
    : v.split(",").map((e) => e.trim()).filter(Boolean);
  const parsed = entries.map(parseCidr);
  const bad = entries.filter((_, i) => parsed[i] === null);
  if (bad.length > 0 || entries.length === 0) {
    ctx.addIssue({
      code: "custom",
      message: `must be true, false or proxy addresses/CIDRs separated by commas (${
        bad.map((b) => `"${b}"`).join(", ") || "empty"
      } is not one)`,
    });
    return z.NEVER;
  }
  return parsed.filter((c): c is Cidr => c !== null);
});

/** Host names (no port) the server answers to; see middleware/allowed-hosts.ts. */
const allowedHosts = z.string().transform((v) =>
  v.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean)
).refine(
  (hosts) => hosts.every((h) => /^(?:\*\.)?[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/.test(h)),
  "must be host names separated by commas, without ports (*.example.com for subdomains)",
);

const databaseUrl = z.string().refine(
  (v) => /^(file:.+|libsql:\/\/.+|https?:\/\/.+|wss?:\/\/.+)$/.test(v),
  "must be file:PATH, libsql://…, http(s)://… or ws(s)://…",
);

export const envSchema = z.object({
  /** 0 lets the system choose a free port (the tests do): the log line names it. */
  PORT: z.coerce.number().int().min(0).max(65535).default(5000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: databaseUrl.optional(),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  DOCKER_HOST: dockerHost.default("unix:///var/run/docker.sock"),
  DOCKER_TLS_VERIFY: boolish.default(false),
  DOCKER_CERT_PATH: z.string().optional(),
  DOCKERMATE_SETUP_TOKEN: z.string().min(16, "must be at least 16 characters")
    .optional(),
  SESSION_TTL: duration.prefault("12h"),
  SESSION_REMEMBER_TTL: duration.prefault("30d"),
  SESSION_IDLE_TIMEOUT: duration.prefault("2h"),
  TRUST_PROXY: trustProxy.prefault("false"),
  /** Host names besides localhost, IP literals and the one setup was reached by. */
  DOCKERMATE_ALLOWED_HOSTS: allowedHosts.optional(),
  RATE_LIMIT_MUTATIONS: z.coerce.number().int().min(1).max(10000).default(30),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Registries DockerMate may reach besides the well-known ones (scripts/permissions.ts). */
  DOCKERMATE_REGISTRY_HOSTS: hostList.prefault(""),
  /** Stack folders (`<name>/compose.yaml` + `.env`, Dockge's layout); default `$DATA_DIR/stacks`. */
  STACKS_DIR: z.string().min(1).optional(),
  /** A Compose v2 binary; unset: the docker CLI plugin or `docker-compose` v2 is looked for. */
  DOCKER_COMPOSE: z.string().refine((v) => v.startsWith("/"), "must be an absolute path")
    .optional(),
  /** HTTPS served directly: PEM files of the certificate (chain) and its private key, both or neither. */
  TLS_CERT: z.string().min(1).optional(),
  TLS_KEY: z.string().min(1).optional(),
  /** HTTPS with a self-signed certificate made and kept in `$DATA_DIR/tls/` (services/tls/). */
  TLS_SELF_SIGNED: boolish.default(false),
  /**
   * For crash tests only: exit at this point of a recreate (services/containers/recreate/steps.ts)
   * or a stack update (services/stacks/update-steps.ts).
   */
  DOCKERMATE_CRASH_AT: z.enum([...CRASH_POINTS, ...STACK_CRASH_POINTS]).optional(),
  /** Hosts notification channels may reach besides the public services (docs/alerts.md). */
  DOCKERMATE_NOTIFY_HOSTS: hostList.prefault(""),
  /** The first retry of a failed notification; each next one waits twice as long. */
  DOCKERMATE_NOTIFY_RETRY: duration.prefault("30s"),
});

export type Env = z.input<typeof envSchema>;
export type Config = Omit<z.output<typeof envSchema>, "STACKS_DIR"> & {
  databaseUrl: string;
  STACKS_DIR: string;
};

/** Names of every variable the schema reads (also used to scope `--allow-env`). */
export const envNames = Object.keys(
  envSchema.shape,
) as (keyof typeof envSchema.shape)[];

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the given variables; throws a ConfigError naming each bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(
    envNames.map((k) => [k, env[k] === "" ? undefined : env[k]]),
  );
  const result = envSchema.safeParse(present);
  const lines = result.success
    ? tlsProblems(result.data)
    : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  if (!result.success || lines.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const cfg = result.data;
  const dataDir = cfg.DATA_DIR.replace(/\/+$/, "") || "/";
  return {
    ...cfg,
    DATA_DIR: dataDir,
    databaseUrl: cfg.DATABASE_URL ?? `file:${dataDir}/dockermate.db`,
    STACKS_DIR: cfg.STACKS_DIR?.replace(/(.)\/+$/, "$1") ?? `${dataDir}/stacks`,
  };
}

/** The TLS variables that only make sense together, or not at all. */
function tlsProblems(cfg: z.output<typeof envSchema>): string[] {
  if (cfg.TLS_CERT && !cfg.TLS_KEY) return ["TLS_KEY: must be set with TLS_CERT"];
  if (cfg.TLS_KEY && !cfg.TLS_CERT) return ["TLS_CERT: must be set with TLS_KEY"];
  if (cfg.TLS_CERT && cfg.TLS_SELF_SIGNED) {
    return ["TLS_SELF_SIGNED: must not be set with TLS_CERT and TLS_KEY (use one or the other)"];
  }
  return [];
}

/** Reads the process environment once. */
export function loadConfig(): Config {
  const env: Record<string, string | undefined> = {};
  for (const name of envNames) env[name] = Deno.env.get(name);
  return parseConfig(env);
}

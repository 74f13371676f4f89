/**
 * The built-in library: common home-lab apps with sensible defaults. Restart `unless-stopped`, a
 * named volume for data, a memory limit sized for the host's hardware profile, and a
 * HEALTHCHECK where the image has none of its own. Data only; the tests check that each one
 * makes a valid container (or compose file), not that the images run (they are not in the test
 * registry).
 */
import type { ContainerConfigInput } from "../config/model.ts";
import type { ProfileName } from "../host/profile-limits.ts";
import type { Template, TemplateData, TemplateVariable } from "./model.ts";

/** Memory limits per app size, per hardware profile: small hosts get tight limits. */
type Tier = "light" | "medium" | "heavy";
const TIERS: Record<ProfileName, Record<Tier, string>> = {
  "raspberry-pi": { light: "64m", medium: "256m", heavy: "512m" },
  "low-end": { light: "128m", medium: "512m", heavy: "1g" },
  medium: { light: "256m", medium: "1g", heavy: "2g" },
  "high-end": { light: "512m", medium: "2g", heavy: "4g" },
  enterprise: { light: "512m", medium: "2g", heavy: "8g" },
};

type Port = { container: number; host: string; protocol?: "tcp" | "udp"; label?: string };
type Env = { name: string; default?: string; label?: string; secret?: boolean; options?: string[] };

type App = {
  id: string;
  name: string;
  description: string;
  categories: string[];
  image: string;
  tag: string;
  tier: Tier;
  ports?: Port[];
  /** Named volumes (`name` is the default, a variable) or host paths, by target. */
  volumes?: { target: string; default: string; label: string; readOnly?: boolean }[];
  env?: Env[];
  /** Added only when the image has no HEALTHCHECK of its own. */
  healthcheck?: string;
  /** Anything else of the container model. */
  config?: Partial<ContainerConfigInput>;
  note?: string;
};

const variable = (
  v: Omit<TemplateVariable, "options" | "required" | "default"> & Partial<TemplateVariable>,
): TemplateVariable => ({ options: [], required: false, default: "", ...v });

function containerApp(app: App, tiers: Record<Tier, string>): Template {
  const ports = app.ports ?? [];
  const volumes = app.volumes ?? [];
  const env = app.env ?? [];
  const portName = (p: Port) => `PORT_${p.container}${p.protocol === "udp" ? "_UDP" : ""}`;
  const volumeName = (i: number) => `VOLUME_${i + 1}`;
  const variables = [
    variable({
      name: "IMAGE_TAG",
      label: "Image tag",
      kind: "tag",
      default: app.tag,
      required: true,
    }),
    ...ports.map((p) =>
      variable({
        name: portName(p),
        label: p.label ?? `Host port for ${p.container}/${p.protocol ?? "tcp"}`,
        kind: "port",
        default: p.host,
      })
    ),
    ...volumes.map((v, i) =>
      variable({
        name: volumeName(i),
        label: v.label,
        description: `Mounted at ${v.target}: a volume name, or an absolute host path.`,
        kind: "volume",
        default: v.default,
        required: true,
      })
    ),
    ...env.map((e) =>
      variable({
        name: e.name,
        label: e.label ?? e.name,
        kind: "env",
        default: e.default ?? "",
        required: e.secret ?? false,
        options: (e.options ?? []).map((o) => ({ label: o, value: o })),
        ...(e.secret ? { description: "A secret: choose your own." } : {}),
      })
    ),
    variable({
      name: "MEMORY",
      label: "Memory limit",
      description: "Sized for this host's hardware profile.",
      kind: "memory",
      default: tiers[app.tier],
      required: true,
    }),
  ];
  const config: ContainerConfigInput = {
    image: `${app.image}:\${IMAGE_TAG}`,
    restart: "unless-stopped",
    env: env.map((e) => `${e.name}=\${${e.name}}`),
    ports: ports.map((p) => ({
      containerPort: p.container,
      protocol: p.protocol ?? "tcp",
      hostIp: "",
      hostPort: `\${${portName(p)}}`,
    })),
    binds: volumes.map((v, i) => `\${${volumeName(i)}}:${v.target}${v.readOnly ? ":ro" : ""}`),
    networks: [{ network: "bridge" }],
    ...(app.healthcheck
      ? {
        healthcheck: {
          test: ["CMD-SHELL", app.healthcheck],
          interval: "30s",
          timeout: "5s",
          startPeriod: "30s",
          retries: 3,
        },
      }
      : {}),
    ...app.config,
  };
  const data: TemplateData = {
    name: app.name,
    description: app.description,
    categories: app.categories,
    defaultName: app.id,
    ...(app.note ? { note: app.note } : {}),
    variables,
    body: { kind: "container", config: { ...config, resources: { memory: "${MEMORY}" } } },
  };
  return { ...data, id: `builtin-${app.id}`, kind: "container", builtin: true, source: "builtin" };
}

const wget = (port: number, path = "/") =>
  `wget -q -O /dev/null http://127.0.0.1:${port}${path} || exit 1`;

const TZ: Env = { name: "TZ", default: "Etc/UTC", label: "Time zone" };

const APPS: App[] = [
  {
    id: "nginx",
    name: "nginx",
    description: "A web server for static files, or a reverse proxy.",
    categories: ["web"],
    image: "nginx",
    tag: "1.27-alpine",
    tier: "light",
    ports: [{ container: 80, host: "8080" }],
    volumes: [{ target: "/usr/share/nginx/html", default: "nginx-html", label: "Web root" }],
    healthcheck: wget(80),
  },
  {
    id: "caddy",
    name: "Caddy",
    description: "A web server and reverse proxy with automatic HTTPS.",
    categories: ["web", "proxy"],
    image: "caddy",
    tag: "2-alpine",
    tier: "light",
    ports: [{ container: 80, host: "80" }, { container: 443, host: "443" }],
    volumes: [
      { target: "/data", default: "caddy-data", label: "Certificates and state" },
      { target: "/config", default: "caddy-config", label: "Configuration" },
    ],
    healthcheck: wget(80),
    note: "Put a Caddyfile in the configuration volume, or mount one at /etc/caddy/Caddyfile.",
  },
  {
    id: "uptime-kuma",
    name: "Uptime Kuma",
    description: "Monitors websites and services and alerts when they go down.",
    categories: ["monitoring"],
    image: "louislam/uptime-kuma",
    tag: "1",
    tier: "medium",
    ports: [{ container: 3001, host: "3001" }],
    volumes: [{ target: "/app/data", default: "uptime-kuma-data", label: "Data" }],
  },
  {
    id: "home-assistant",
    name: "Home Assistant",
    description: "Home automation. Runs on the host's network so it can find devices.",
    categories: ["home automation"],
    image: "ghcr.io/home-assistant/home-assistant",
    tag: "stable",
    tier: "heavy",
    volumes: [{ target: "/config", default: "home-assistant-config", label: "Configuration" }],
    env: [TZ],
    healthcheck: "curl -fsS http://127.0.0.1:8123/ > /dev/null || exit 1",
    config: { networkMode: "host", networks: [] },
    note: "It listens on port 8123 of the host (host networking: no port mapping).",
  },
  {
    id: "pi-hole",
    name: "Pi-hole",
    description: "A DNS sinkhole that blocks ads and trackers for the whole network.",
    categories: ["network", "dns"],
    image: "pihole/pihole",
    tag: "latest",
    tier: "medium",
    ports: [
      { container: 53, host: "53", label: "DNS (tcp)" },
      { container: 53, host: "53", protocol: "udp", label: "DNS (udp)" },
      { container: 80, host: "8081", label: "Web interface" },
    ],
    volumes: [{ target: "/etc/pihole", default: "pihole-config", label: "Configuration" }],
    env: [TZ, { name: "FTLCONF_webserver_api_password", label: "Web password", secret: true }],
  },
  {
    id: "jellyfin",
    name: "Jellyfin",
    description: "A media server for your films, series and music.",
    categories: ["media"],
    image: "jellyfin/jellyfin",
    tag: "latest",
    tier: "heavy",
    ports: [{ container: 8096, host: "8096" }],
    volumes: [
      { target: "/config", default: "jellyfin-config", label: "Configuration" },
      { target: "/cache", default: "jellyfin-cache", label: "Cache" },
      { target: "/media", default: "/srv/media", label: "Media folder", readOnly: true },
    ],
  },
  {
    id: "vaultwarden",
    name: "Vaultwarden",
    description: "A light Bitwarden-compatible password manager server.",
    categories: ["security"],
    image: "vaultwarden/server",
    tag: "latest",
    tier: "light",
    ports: [{ container: 80, host: "8082" }],
    volumes: [{ target: "/data", default: "vaultwarden-data", label: "Data" }],
    env: [
      { name: "DOMAIN", default: "https://vault.example.lan", label: "Public URL" },
      {
        name: "SIGNUPS_ALLOWED",
        default: "false",
        label: "Allow sign-ups",
        options: ["true", "false"],
      },
    ],
    note: "Browsers only allow the vault over HTTPS: put a reverse proxy in front of it.",
  },
  {
    id: "gitea",
    name: "Gitea",
    description: "A self-hosted Git service.",
    categories: ["development"],
    image: "gitea/gitea",
    tag: "1.22",
    tier: "medium",
    ports: [{ container: 3000, host: "3000", label: "Web" }, {
      container: 22,
      host: "2222",
      label: "SSH",
    }],
    volumes: [{ target: "/data", default: "gitea-data", label: "Repositories and data" }],
    env: [{ name: "USER_UID", default: "1000" }, { name: "USER_GID", default: "1000" }],
    healthcheck: wget(3000, "/api/healthz"),
  },
  {
    id: "dozzle",
    name: "Dozzle",
    description: "A live log viewer for all containers (read-only access to the Docker socket).",
    categories: ["monitoring"],
    image: "amir20/dozzle",
    tag: "latest",
    tier: "light",
    ports: [{ container: 8080, host: "8084" }],
    healthcheck: "/dozzle healthcheck",
    config: { binds: ["/var/run/docker.sock:/var/run/docker.sock:ro"] },
    note: "Whoever reaches it sees every container's logs: keep it on your LAN.",
  },
  {
    id: "redis",
    name: "Redis",
    description: "An in-memory key-value store.",
    categories: ["database"],
    image: "redis",
    tag: "7-alpine",
    tier: "light",
    volumes: [{ target: "/data", default: "redis-data", label: "Data" }],
    healthcheck: "redis-cli ping | grep -q PONG",
  },
  {
    id: "postgres",
    name: "PostgreSQL",
    description: "A relational database.",
    categories: ["database"],
    image: "postgres",
    tag: "16-alpine",
    tier: "medium",
    volumes: [{ target: "/var/lib/postgresql/data", default: "postgres-data", label: "Data" }],
    env: [
      { name: "POSTGRES_USER", default: "app" },
      { name: "POSTGRES_DB", default: "app" },
      { name: "POSTGRES_PASSWORD", label: "Password", secret: true },
    ],
    // $$ is a literal $: the shell in the container reads the variable from its environment.
    healthcheck: 'pg_isready -U "$$POSTGRES_USER" -d "$$POSTGRES_DB"',
  },
];

/** Nextcloud with MariaDB: two services, so a stack. */
function nextcloudStack(tiers: Record<Tier, string>): Template {
  const compose = `services:
  db:
    image: mariadb:11
    restart: unless-stopped
    command: --transaction-isolation=READ-COMMITTED --log-bin=binlog --binlog-format=ROW
    environment:
      MARIADB_ROOT_PASSWORD: \${DB_ROOT_PASSWORD:?set DB_ROOT_PASSWORD}
      MARIADB_DATABASE: nextcloud
      MARIADB_USER: nextcloud
      MARIADB_PASSWORD: \${DB_PASSWORD:?set DB_PASSWORD}
    volumes:
      - db:/var/lib/mysql
    mem_limit: \${DB_MEMORY}
    healthcheck:
      test: ["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"]
      interval: 10s
      timeout: 5s
      start_period: 30s
      retries: 5
  app:
    image: nextcloud:\${IMAGE_TAG}
    restart: unless-stopped
    depends_on:
      db:
        condition: service_healthy
    ports:
      - "\${PORT}:80"
    environment:
      MYSQL_HOST: db
      MYSQL_DATABASE: nextcloud
      MYSQL_USER: nextcloud
      MYSQL_PASSWORD: \${DB_PASSWORD}
    volumes:
      - nextcloud:/var/www/html
    mem_limit: \${APP_MEMORY}
    healthcheck:
      test: ["CMD-SHELL", "curl -fsS http://127.0.0.1/status.php > /dev/null || exit 1"]
      interval: 30s
      timeout: 5s
      start_period: 1m
      retries: 3
volumes:
  db:
  nextcloud:
`;
  const data: TemplateData = {
    name: "Nextcloud + MariaDB",
    description: "Files, calendars and contacts, with its database, as one stack.",
    categories: ["files", "productivity"],
    defaultName: "nextcloud",
    note: "The first visit to the web page creates the admin account.",
    variables: [
      variable({
        name: "IMAGE_TAG",
        label: "Nextcloud tag",
        kind: "tag",
        default: "29-apache",
        required: true,
      }),
      variable({ name: "PORT", label: "Host port", kind: "port", default: "8083", required: true }),
      variable({ name: "DB_PASSWORD", label: "Database password", kind: "env", required: true }),
      variable({
        name: "DB_ROOT_PASSWORD",
        label: "Database root password",
        kind: "env",
        required: true,
      }),
      variable({
        name: "APP_MEMORY",
        label: "Nextcloud memory limit",
        kind: "memory",
        default: tiers.heavy,
        required: true,
      }),
      variable({
        name: "DB_MEMORY",
        label: "Database memory limit",
        kind: "memory",
        default: tiers.medium,
        required: true,
      }),
    ],
    body: { kind: "stack", compose, env: "" },
  };
  return { ...data, id: "builtin-nextcloud", kind: "stack", builtin: true, source: "builtin" };
}

/** Every built-in template, its memory limits sized for `profile`. */
export function builtinTemplates(profile: ProfileName): Template[] {
  const tiers = TIERS[profile];
  return [...APPS.map((app) => containerApp(app, tiers)), nextcloudStack(tiers)];
}

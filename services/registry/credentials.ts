import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { InvalidInput, NotFound } from "../errors.ts";
import { parseReference, RegistryClient, type RegistryOptions } from "./client.ts";
import type { RegistryAuth } from "../docker/images.ts";
import { log } from "../logger.ts";
import type { registryRemovedSchema, registrySavedSchema, registryViewSchema } from "./model.ts";
import { seal, unseal } from "./secret-box.ts";
import { sealedFor, type StoredRegistry } from "./stored.ts";
import { getSetting, setSetting } from "../settings.ts";
import { shellArg } from "../config/shell-words.ts";
import { compareText } from "../text.ts";

/**
 * Registries DockerMate knows more about than their name: credentials for private ones, and
 * which speak plain http. Passwords are stored so that requests can send them; they are never
 * returned, shown, logged or audited.
 */

/** What the Settings page and the API show: no password, ever. */
export type RegistryView = z.output<typeof registryViewSchema>;

/** The add form and `POST /api/v1/registries`: credentials both or neither. */
export const registryInputSchema = z.object({
  registry: z.string({ error: "is required" }).trim().min(1, "is required").max(255),
  username: z.string().trim().max(255).optional().transform((v) => v || null),
  password: z.string().max(4096).optional().transform((v) => v || null),
  insecure: z.boolean({ error: "must be true or false" }).default(false),
}).superRefine((v, ctx) => {
  if (v.username && !v.password) {
    ctx.addIssue({ code: "custom", path: ["password"], message: "is required with a username" });
  }
  if (v.password && !v.username) {
    ctx.addIssue({ code: "custom", path: ["username"], message: "is required with a password" });
  }
});
export type RegistryInput = z.output<typeof registryInputSchema>;

/**
 * `ghcr.io`, `host:5000`, `https://host:5000/`, `index.docker.io` → the domain references are
 * matched by (`docker.io` for Docker Hub).
 */
export function registryDomain(input: string): string {
  const bare = input.trim().replace(/^https?:\/\//i, "").replace(/\/+$/, "").toLowerCase();
  if (!bare || bare.includes("/")) {
    throw new InvalidInput(
      `"${input}" is not a registry host like ghcr.io or host:5000`,
      "registry",
    );
  }
  try {
    return parseReference(`${bare}/x`).domain;
  } catch {
    throw new InvalidInput(
      `"${input}" is not a registry host like ghcr.io or host:5000`,
      "registry",
    );
  }
}

/** The stored registries with their passwords unsealed, for requests that send them. */
async function withPasswords(db: Db): Promise<StoredRegistry[]> {
  const stored = await getSetting(db, "registries");
  return await Promise.all(stored.map(async (r) => ({
    ...r,
    password: r.password === null
      ? null
      : await unseal(r.password, sealedFor(r.registry)).catch(() => {
        // Another key (secret.key lost or replaced): this registry needs its password again.
        log.warn(
          `The stored password for ${r.registry} cannot be read: enter it again in Settings`,
        );
        return null;
      }),
  })));
}

function view(r: StoredRegistry): RegistryView {
  return {
    registry: r.registry,
    username: r.username,
    hasPassword: r.password !== null,
    insecure: r.insecure,
  };
}

export async function listRegistries(db: Db): Promise<RegistryView[]> {
  const stored = await getSetting(db, "registries");
  return stored.map(view).sort((a, b) => compareText(a.registry, b.registry));
}

/** Adds a registry or replaces what is stored for it. */
export async function saveRegistry(
  db: Db,
  input: RegistryInput,
  meta: RequestMeta,
): Promise<RegistryView> {
  const registry = registryDomain(input.registry);
  const entry: StoredRegistry = {
    registry,
    username: input.username,
    password: input.password === null ? null : await seal(input.password, sealedFor(registry)),
    insecure: input.insecure,
  };
  const stored = await getSetting(db, "registries");
  const replaced = stored.some((r) => r.registry === registry);
  await setSetting(db, "registries", [...stored.filter((r) => r.registry !== registry), entry]);
  await recordAudit(db, "registry.add", meta, {
    registry,
    username: entry.username,
    insecure: entry.insecure,
    replaced,
  });
  return view(entry);
}

export async function removeRegistry(db: Db, input: string, meta: RequestMeta): Promise<void> {
  const registry = registryDomain(input);
  const stored = await getSetting(db, "registries");
  if (!stored.some((r) => r.registry === registry)) {
    throw new NotFound(`No stored registry "${registry}"`);
  }
  await setSetting(db, "registries", stored.filter((r) => r.registry !== registry));
  await recordAudit(db, "registry.remove", meta, { registry });
}

/** A registry client that knows the stored credentials and plain-http registries. */
export async function registryClient(
  db: Db,
  opts: Omit<RegistryOptions, "credentials" | "insecure"> = {},
): Promise<RegistryClient> {
  const stored = new Map((await withPasswords(db)).map((r) => [r.registry, r]));
  return new RegistryClient({
    ...opts,
    credentials: (domain) => {
      const r = stored.get(domain);
      return r?.username && r.password ? { username: r.username, password: r.password } : undefined;
    },
    insecure: (domain) => stored.get(domain)?.insecure ?? false,
  });
}

/** The tags of an image's repository, newest version first (the retag dropdown, tag drift). */
export async function listRegistryTags(db: Db, image: string): Promise<string[]> {
  return (await registryClient(db)).listTags(parseReference(image));
}

/** The credentials stored for `ref`'s registry, as Docker's pull wants them (X-Registry-Auth). */
export async function dockerLoginFor(db: Db, ref: string): Promise<RegistryAuth | undefined> {
  const domain = parseReference(ref).domain;
  const stored = (await withPasswords(db)).find((r) => r.registry === domain);
  if (!stored?.username || !stored.password) return undefined;
  return {
    username: stored.username,
    password: stored.password,
    // Docker Hub's login server, as `docker login` names it.
    serveraddress: domain === "docker.io" ? "https://index.docker.io/v1/" : domain,
  };
}

/** Stored registries as the Settings page and the API change them; every change is audited. */
export class RegistryService {
  constructor(private readonly db: Db) {}

  list(): Promise<RegistryView[]> {
    return listRegistries(this.db);
  }

  /** Stores the registry (replacing what was stored); `cli` is the `docker login` it stands for. */
  async save(
    input: RegistryInput,
    meta: RequestMeta,
  ): Promise<z.output<typeof registrySavedSchema>> {
    const saved = await saveRegistry(this.db, input, meta);
    const cli = saved.username
      ? `docker login ${shellArg(saved.registry)} --username ${
        shellArg(saved.username)
      } --password-stdin`
      : `# ${saved.registry}: no credentials; nothing to log in to`;
    return { ...saved, cli };
  }

  async remove(
    registry: string,
    meta: RequestMeta,
  ): Promise<z.output<typeof registryRemovedSchema>> {
    await removeRegistry(this.db, registry, meta);
    return { registry, cli: `docker logout ${shellArg(registry)}` };
  }
}

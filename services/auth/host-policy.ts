import type { Db } from "../../db/client.ts";
import { isIpLiteral } from "./client-ip.ts";
import { getSetting, setSetting } from "../settings.ts";

/** `name` of `name:port` or `[v6]:port`, lower-cased. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  return h.replace(/:\d*$/, "").replace(/\.$/, "");
}

function matches(name: string, pattern: string): boolean {
  return pattern.startsWith("*.") ? name.endsWith(pattern.slice(1)) : name === pattern;
}

/**
 * Which host names the server answers to. A page reached through a name an attacker controls
 * (DNS rebinding) would be same-origin with the attacker's script, so only these count:
 * localhost and IP literals (nobody can rebind them), plus DOCKERMATE_ALLOWED_HOSTS when set,
 * else the name setup was reached by. Before that name is known, any name is answered.
 */
export class HostPolicy {
  #learned: string[] | null = null;

  constructor(private readonly db: Db, private readonly configured: string[] | undefined) {}

  /** Null when allowed, else why not (for the 421 message). */
  async refusal(host: string): Promise<string | null> {
    const name = hostName(host);
    if (name === "localhost" || isIpLiteral(name)) return null;
    const allowed = this.configured ?? await this.#setupNames();
    if (allowed === null || allowed.some((p) => matches(name, p))) return null;
    const source = this.configured ? "DOCKERMATE_ALLOWED_HOSTS lists" : "setup was reached by";
    return `DockerMate does not answer to the host name "${name}": only localhost, IP addresses ` +
      `and the names ${source} (${allowed.join(", ") || "none"}). Open it by one of those, ` +
      `or add "${name}" to DOCKERMATE_ALLOWED_HOSTS`;
  }

  /** Keeps the name the admin used (at setup, or at the first login after an upgrade). */
  async learn(host: string): Promise<void> {
    if (this.configured || (await this.#setupNames()) !== null) return;
    const name = hostName(host);
    this.#learned = name === "localhost" || isIpLiteral(name) ? [] : [name];
    await setSetting(this.db, "setupHosts", this.#learned);
  }

  async #setupNames(): Promise<string[] | null> {
    this.#learned ??= await getSetting(this.db, "setupHosts");
    return this.#learned;
  }
}

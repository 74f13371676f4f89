/**
 * Registry credentials: user names and plain-http flags as they are; passwords are secrets,
 * sealed for this instance or left out (a registry restored without one is said to be).
 */
import { z } from "zod";
import { getSetting } from "../../settings.ts";
import { saveRegistry } from "../../registry/credentials.ts";
import { unseal } from "../../registry/secret-box.ts";
import { type BackupSection, type PlannedStep, skip } from "../section.ts";
import { keepSecret, openSecret } from "../secrets.ts";

const NAME = "registries";
const registrySchema = z.object({
  registry: z.string().min(1),
  username: z.string().nullable(),
  /** Sealed for this instance; null when left out or when there is none. */
  password: z.string().nullable(),
  insecure: z.boolean(),
});
type BackedUpRegistry = z.infer<typeof registrySchema>;

export const registriesSection: BackupSection<BackedUpRegistry[]> = {
  name: NAME,
  schema: z.array(registrySchema),

  async export(deps, secrets) {
    const stored = await getSetting(deps.db, "registries");
    return await Promise.all(stored.map(async (r) => {
      const plain = r.password === null
        ? null
        : await unseal(r.password, `registry:${r.registry}`).catch(() => null);
      return {
        registry: r.registry,
        username: r.username,
        password: plain === null
          ? null
          : await keepSecret(plain, `registry:${r.registry}`, secrets),
        insecure: r.insecure,
      };
    }));
  },

  async plan(data, deps, meta) {
    const now = new Set((await getSetting(deps.db, "registries")).map((r) => r.registry));
    const steps: PlannedStep[] = [];
    for (const r of data) {
      if (now.has(r.registry)) {
        steps.push(skip(NAME, r.registry, "already configured here; left as it is"));
        continue;
      }
      const password = await openSecret(r.password, `registry:${r.registry}`);
      const note = r.password === null
        ? ""
        : password === null
        ? "; its password was sealed by another instance and is left out"
        : " with its password";
      steps.push({
        section: NAME,
        what: r.registry,
        why: `credentials for ${r.username ?? "anonymous"}${note}`,
        action: "create",
        apply: async () => {
          await saveRegistry(deps.db, {
            registry: r.registry,
            username: r.username,
            password,
            insecure: r.insecure,
          }, meta);
        },
      });
    }
    return steps;
  },
};

/** The shapes the registry credentials API answers with, as zod schemas (routes/http/doc.ts). */
import { z } from "zod";

/** A registry with saved credentials; the password is never shown, only whether there is one. */
export const registryViewSchema = z.object({
  registry: z.string().meta({ example: "ghcr.io" }),
  username: z.string().nullable(),
  hasPassword: z.boolean(),
  insecure: z.boolean(),
}).meta({ id: "Registry" });

export const registrySavedSchema = registryViewSchema.extend({ cli: z.string() });
export const registryRemovedSchema = z.object({ registry: z.string(), cli: z.string() });

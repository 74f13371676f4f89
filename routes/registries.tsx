import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { RegistriesPanel, type RegistriesView } from "../components/settings/registries.tsx";
import { AuditTable } from "../components/settings/audit.tsx";
import { registryInputSchema } from "../services/registry/credentials.ts";
import { AppError, InvalidInput } from "../services/errors.ts";
import type { AppEnv } from "./http/env.ts";
import { issueErrors, serviceErrors } from "./http/form-errors.ts";
import { isTicked } from "./http/form-fields.ts";
import { formBody, isHtmx } from "./http/request.ts";

const removeSchema = z.object({ registry: z.string().min(1).max(255) });

/** The Settings page's registry card: add and remove stored registries (`/settings/registries`). */
export function registrySettingsRoutes() {
  const app = new Hono<AppEnv>();

  async function panel(
    c: Context<AppEnv>,
    extra: Partial<RegistriesView>,
    status: 200 | 400 | 404,
  ) {
    if (!isHtmx(c)) {
      if (status !== 200) throw new InvalidInput(Object.values(extra.errors ?? {}).join("; "));
      return c.redirect("/settings#registries", 303);
    }
    const { registries, audit } = c.get("deps");
    const [list, entries] = await Promise.all([
      registries.list(),
      status === 200 ? audit.list(50) : null,
    ]);
    return c.html(
      <>
        <RegistriesPanel view={{ registries: list, ...extra }} />
        {entries && <AuditTable entries={entries} oob />}
      </>,
      status,
    );
  }

  app.post("/", async (c) => {
    const body = await formBody(c);
    const values = { registry: body.registry, username: body.username };
    const parsed = registryInputSchema.safeParse({ ...body, insecure: isTicked(body.insecure) });
    if (!parsed.success) return panel(c, { errors: issueErrors(parsed.error.issues), values }, 400);
    try {
      const saved = await c.get("deps").registries.save(parsed.data, c.get("meta"));
      return panel(c, { notice: `Saved ${saved.registry}.` }, 200);
    } catch (err) {
      const known = err instanceof InvalidInput && serviceErrors(err);
      if (!known) throw err;
      return panel(c, { errors: known.errors, values }, 400);
    }
  });

  app.post("/remove", async (c) => {
    const parsed = removeSchema.safeParse(await formBody(c));
    if (!parsed.success) return panel(c, { errors: { form: "registry: is required" } }, 400);
    try {
      await c.get("deps").registries.remove(parsed.data.registry, c.get("meta"));
    } catch (err) {
      // Not a registry host, or none stored by that name: said on the card.
      if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 404)) throw err;
      return panel(c, { errors: { form: err.message } }, err.status);
    }
    return panel(c, { notice: `Removed ${parsed.data.registry}.` }, 200);
  });

  return app;
}

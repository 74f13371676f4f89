import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { AuditTable } from "../components/settings/audit.tsx";
import { RegistriesPanel, type RegistriesView } from "../components/settings/registries.tsx";
import { listAudit } from "../services/audit.ts";
import type { AppEnv } from "../services/context.ts";
import { AppError, InvalidInput } from "../services/errors.ts";
import {
  listRegistries,
  registryInputSchema,
  removeRegistry,
  saveRegistry,
} from "../services/registry/credentials.ts";
import { formBody, isHtmx } from "./render.ts";

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
    const { db } = c.get("deps");
    const registries = await listRegistries(db);
    return c.html(
      <>
        <RegistriesPanel view={{ registries, ...extra }} />
        {status === 200 && <AuditTable entries={await listAudit(db, 50)} oob />}
      </>,
      status,
    );
  }

  app.post("/", async (c) => {
    const body = await formBody(c);
    const values = { registry: body.registry, username: body.username };
    const parsed = registryInputSchema.safeParse(body);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const i of parsed.error.issues) errors[String(i.path[0] ?? "form")] ??= i.message;
      return panel(c, { errors, values }, 400);
    }
    try {
      const saved = await saveRegistry(c.get("deps").db, parsed.data, c.get("meta"));
      return panel(c, { notice: `Saved ${saved.registry}.` }, 200);
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      return panel(c, { errors: { [err.field ?? "form"]: err.detail }, values }, 400);
    }
  });

  app.post("/remove", async (c) => {
    const parsed = removeSchema.safeParse(await formBody(c));
    if (!parsed.success) return panel(c, { errors: { form: "registry: is required" } }, 400);
    try {
      await removeRegistry(c.get("deps").db, parsed.data.registry, c.get("meta"));
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 404 && err.status !== 400) throw err;
      return panel(c, { errors: { form: err.message } }, err.status === 404 ? 404 : 400);
    }
    return panel(c, { notice: `Removed ${parsed.data.registry}.` }, 200);
  });

  return app;
}

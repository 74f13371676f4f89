import { Hono } from "hono";
import { z } from "zod";
import {
  containerNameSchema,
  overrideSchema,
  ruleSettingsChangeSchema,
} from "../../services/alerts/model.ts";
import { channelInputSchema } from "../../services/notifications/model.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";

const containerParam = z.object({ container: containerNameSchema });
const channelParam = z.object({ id: z.uuid("must be a channel id") });
const deliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/**
 * `/api/v1/alerts`: the alerts (firing first), the rules' settings and per-container
 * overrides. docs/alerts.md describes them.
 */
export function apiAlertRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => c.json(await c.get("deps").alerts.list()));

  app.get("/rules", async (c) => c.json(await c.get("deps").alerts.rulesView()));

  app.put("/rules", validate("json", ruleSettingsChangeSchema), async (c) => {
    const { alerts } = c.get("deps");
    return c.json(await alerts.setRules(c.req.valid("json"), c.get("meta")));
  });

  app.put(
    "/overrides/:container",
    validate("param", containerParam),
    validate("json", overrideSchema),
    async (c) => {
      const { alerts } = c.get("deps");
      await alerts.setOverride(c.req.valid("param").container, c.req.valid("json"), c.get("meta"));
      return c.json(await alerts.rulesView());
    },
  );

  app.delete("/overrides/:container", validate("param", containerParam), async (c) => {
    const { alerts } = c.get("deps");
    await alerts.removeOverride(c.req.valid("param").container, c.get("meta"));
    return c.json(await alerts.rulesView());
  });

  return app;
}

/** `/api/v1/notifications`: channels (add, list, change, remove, test) and deliveries. */
export function apiNotificationRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/channels", async (c) => c.json(await c.get("deps").notifications.list()));

  app.post("/channels", validate("json", channelInputSchema), async (c) => {
    const { notifications } = c.get("deps");
    return c.json(await notifications.create(c.req.valid("json"), c.get("meta")), 201);
  });

  app.get("/channels/:id", validate("param", channelParam), async (c) => {
    return c.json(await c.get("deps").notifications.get(c.req.valid("param").id));
  });

  app.put(
    "/channels/:id",
    validate("param", channelParam),
    validate("json", channelInputSchema),
    async (c) => {
      const { notifications } = c.get("deps");
      const { id } = c.req.valid("param");
      await notifications.update(id, c.req.valid("json"), c.get("meta"));
      return c.json(await notifications.get(id));
    },
  );

  app.delete("/channels/:id", validate("param", channelParam), async (c) => {
    const { id } = c.req.valid("param");
    await c.get("deps").notifications.remove(id, c.get("meta"));
    return c.json({ removed: id });
  });

  app.post("/channels/:id/test", validate("param", channelParam), async (c) => {
    const { notifications } = c.get("deps");
    return c.json(await notifications.test(c.req.valid("param").id, c.get("meta")));
  });

  app.get("/deliveries", validate("query", deliveriesQuery), async (c) => {
    return c.json(await c.get("deps").notifications.deliveries(c.req.valid("query").limit));
  });

  return app;
}

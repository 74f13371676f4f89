import { Hono } from "hono";
import { z } from "zod";
import {
  alertSchema,
  containerNameSchema,
  overrideSchema,
  ruleSettingsChangeSchema,
  rulesViewSchema,
} from "../../services/alerts/model.ts";
import {
  channelCreatedSchema,
  channelInputSchema,
  channelRemovedSchema,
  channelViewSchema,
  deliverySchema,
  testResultSchema,
} from "../../services/notifications/model.ts";
import type { AppEnv } from "../http/env.ts";
import { doc, reply } from "../http/doc.ts";
import { validate } from "../http/validate.ts";

const containerParam = z.object({ container: containerNameSchema });
const channelParam = z.object({ id: z.uuid("must be a channel id") });
const deliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
const alertList = z.array(alertSchema);
const channelList = z.array(channelViewSchema);
const deliveryList = z.array(deliverySchema);

/**
 * `/api/v1/alerts`: the alerts (firing first), the rules' settings and per-container
 * overrides. docs/alerts.md describes them.
 */
export function apiAlertRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    "/",
    doc({ summary: "Alerts, firing first", tag: "alerts", ok: alertList }),
    async (c) => reply(c, alertList, await c.get("deps").alerts.list()),
  );

  app.get(
    "/rules",
    doc({
      summary: "The rules' settings, the profile's defaults and the overrides",
      tag: "alerts",
      ok: rulesViewSchema,
    }),
    async (c) => reply(c, rulesViewSchema, await c.get("deps").alerts.rulesView()),
  );

  app.put(
    "/rules",
    doc({
      summary: "Change the rules' settings (the fields given)",
      tag: "alerts",
      ok: rulesViewSchema,
    }),
    validate("json", ruleSettingsChangeSchema),
    async (c) => {
      const { alerts } = c.get("deps");
      return reply(c, rulesViewSchema, await alerts.setRules(c.req.valid("json"), c.get("meta")));
    },
  );

  app.put(
    "/overrides/:container",
    doc({
      summary: "Set a container's own thresholds, or mute its alerts",
      tag: "alerts",
      ok: rulesViewSchema,
    }),
    validate("param", containerParam),
    validate("json", overrideSchema),
    async (c) => {
      const { alerts } = c.get("deps");
      await alerts.setOverride(c.req.valid("param").container, c.req.valid("json"), c.get("meta"));
      return reply(c, rulesViewSchema, await alerts.rulesView());
    },
  );

  app.delete(
    "/overrides/:container",
    doc({
      summary: "Remove a container's override (the rules apply again)",
      tag: "alerts",
      ok: rulesViewSchema,
    }),
    validate("param", containerParam),
    async (c) => {
      const { alerts } = c.get("deps");
      await alerts.removeOverride(c.req.valid("param").container, c.get("meta"));
      return reply(c, rulesViewSchema, await alerts.rulesView());
    },
  );

  return app;
}

/** `/api/v1/notifications`: channels (add, list, change, remove, test) and deliveries. */
export function apiNotificationRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    "/channels",
    doc({
      summary: "Notification channels (secrets only as set or not)",
      tag: "notifications",
      ok: channelList,
    }),
    async (c) => reply(c, channelList, await c.get("deps").notifications.list()),
  );

  app.post(
    "/channels",
    doc({
      summary: "Add a notification channel",
      tag: "notifications",
      status: 201,
      ok: channelCreatedSchema,
    }),
    validate("json", channelInputSchema),
    async (c) => {
      const { notifications } = c.get("deps");
      const made = await notifications.create(c.req.valid("json"), c.get("meta"));
      return reply(c, channelCreatedSchema, made, 201);
    },
  );

  app.get(
    "/channels/:id",
    doc({
      summary: "A notification channel",
      tag: "notifications",
      ok: channelViewSchema,
      errors: [404],
    }),
    validate("param", channelParam),
    async (c) => {
      const { notifications } = c.get("deps");
      return reply(c, channelViewSchema, await notifications.get(c.req.valid("param").id));
    },
  );

  app.put(
    "/channels/:id",
    doc({
      summary: "Change a notification channel (a secret left out is kept)",
      tag: "notifications",
      ok: channelViewSchema,
      errors: [404],
    }),
    validate("param", channelParam),
    validate("json", channelInputSchema),
    async (c) => {
      const { notifications } = c.get("deps");
      const { id } = c.req.valid("param");
      await notifications.update(id, c.req.valid("json"), c.get("meta"));
      return reply(c, channelViewSchema, await notifications.get(id));
    },
  );

  app.delete(
    "/channels/:id",
    doc({
      summary: "Remove a notification channel",
      tag: "notifications",
      ok: channelRemovedSchema,
      errors: [404],
    }),
    validate("param", channelParam),
    async (c) => {
      const { id } = c.req.valid("param");
      await c.get("deps").notifications.remove(id, c.get("meta"));
      return reply(c, channelRemovedSchema, { removed: id });
    },
  );

  app.post(
    "/channels/:id/test",
    doc({
      summary: "Send a test message through a channel",
      tag: "notifications",
      ok: testResultSchema,
      okDescription: "Whether it was delivered (`ok`), else the channel's `error`",
      errors: [404],
    }),
    validate("param", channelParam),
    async (c) => {
      const { notifications } = c.get("deps");
      return reply(
        c,
        testResultSchema,
        await notifications.test(c.req.valid("param").id, c.get("meta")),
      );
    },
  );

  app.get(
    "/deliveries",
    doc({
      summary: "The latest deliveries (sent, failed, pending), newest first",
      tag: "notifications",
      ok: deliveryList,
    }),
    validate("query", deliveriesQuery),
    async (c) => {
      const { notifications } = c.get("deps");
      return reply(c, deliveryList, await notifications.deliveries(c.req.valid("query").limit));
    },
  );

  return app;
}

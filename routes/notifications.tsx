import { type Context, Hono } from "hono";
import { z } from "zod";
import { CHANNEL_FIELDS } from "../components/notifications/fields.ts";
import {
  type ChannelForm,
  type Errors,
  NotificationsPage,
  type NotificationsView,
  TestResult,
  type Values,
} from "../components/notifications/page.tsx";
import { Layout } from "../components/layout.tsx";
import {
  containerNameSchema,
  overrideSchema,
  RULES,
  ruleSettingsChangeSchema,
} from "../services/alerts/model.ts";
import { containerName } from "../services/docker/containers.ts";
import {
  CHANNEL_TYPES,
  channelInputSchema,
  type ChannelType,
} from "../services/notifications/model.ts";
import type { AppEnv } from "./http/env.ts";
import { issueErrors, serviceErrors } from "./http/form-errors.ts";
import { isTicked } from "./http/form-fields.ts";
import { appChrome, redirect, render } from "./http/render.ts";
import { formBody, isHtmx } from "./http/request.ts";
import { validate } from "./http/validate.ts";

const BASE = "/settings/notifications";
/** What the page says after a change (a redirect to the same path and a new query reloads). */
const NOTICES = {
  "channel-added": "Channel added.",
  "channel-saved": "Channel saved.",
  "channel-deleted": "Channel deleted.",
  rules: "Rules saved.",
  override: "Container thresholds saved.",
  "override-removed": "Container thresholds removed.",
} as const;
type Done = keyof typeof NOTICES;
const done = (what: Done, anchor: string) => `${BASE}?done=${what}#${anchor}`;

const pageQuery = z.object({
  type: z.enum(CHANNEL_TYPES).optional(),
  edit: z.uuid().optional(),
  done: z.enum(Object.keys(NOTICES) as [Done, ...Done[]]).optional(),
});
const channelParam = z.object({ id: z.uuid("must be a channel id") });
const containerParam = z.object({ container: containerNameSchema });

/** A number field: empty is "not given" (null where null means the default). */
function num(v: string | undefined): number | string | null {
  if (v === undefined || v.trim() === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}

/** A channel form as the API's input: its type's fields, empty ones left out. */
function channelFromForm(form: Record<string, string>): Record<string, unknown> {
  const type = form.type as ChannelType;
  const out: Record<string, unknown> = {
    type,
    name: form.name ?? "",
    enabled: isTicked(form.enabled),
  };
  for (const spec of CHANNEL_FIELDS[type] ?? []) {
    const v = form[spec.name];
    if (spec.kind === "checkbox") out[spec.name] = isTicked(v);
    else if (spec.kind === "number") out[spec.name] = num(v) ?? undefined;
    else if (v !== undefined && v.trim() !== "") out[spec.name] = v.trim();
  }
  return out;
}

/** A new channel's form: the type's starting values. */
function newForm(type: ChannelType): ChannelForm {
  const values: Values = { enabled: "on" };
  for (const spec of CHANNEL_FIELDS[type]) if (spec.initial) values[spec.name] = spec.initial;
  return { type, values, errors: {} };
}

/** Settings → Alerts and notifications (`/settings/notifications`). */
export function notificationSettingsRoutes() {
  const app = new Hono<AppEnv>();

  async function page(
    c: Context<AppEnv>,
    extra: Partial<NotificationsView>,
    status: 200 | 400 | 404 = 200,
  ) {
    const { notifications, alerts, store } = c.get("deps");
    const [channels, deliveries, rules] = await Promise.all([
      notifications.list(),
      notifications.deliveries(20),
      alerts.rulesView(),
    ]);
    const view: NotificationsView = {
      channels,
      deliveries,
      rules,
      containers: store.list().map(containerName).sort(),
      form: null,
      now: new Date(),
      ...extra,
    };
    return render(
      c,
      <Layout title="Alerts and notifications" app={appChrome(c, "settings")}>
        <NotificationsPage view={view} />
      </Layout>,
      status,
    );
  }

  app.get("/", validate("query", pageQuery), async (c) => {
    const { type, edit, done } = c.req.valid("query");
    if (edit) {
      const ch = await c.get("deps").notifications.get(edit);
      const values: Values = { name: ch.name, enabled: ch.enabled ? "on" : "" };
      for (const [k, v] of Object.entries(ch.settings)) {
        values[k] = typeof v === "boolean" ? (v ? "on" : "") : String(v);
      }
      return page(c, {
        form: { type: ch.type, id: ch.id, values, errors: {}, secretsSet: ch.secretsSet },
      });
    }
    return page(c, {
      form: type ? newForm(type) : null,
      ...(done ? { notice: NOTICES[done] } : {}),
    });
  });

  /** Saves a channel (new when `id` is absent); a refusal shows the form again, 400. */
  async function saveChannel(c: Context<AppEnv>, id?: string) {
    const form = await formBody(c);
    const values: Values = { ...form };
    const type = CHANNEL_TYPES.find((t) => t === form.type) ?? "webhook";
    const { notifications } = c.get("deps");
    const secretsSet = id ? (await notifications.get(id)).secretsSet : undefined;
    const refuse = (errors: Errors) =>
      page(c, { form: { type, id, values, errors, secretsSet } }, 400);
    const parsed = channelInputSchema.safeParse(channelFromForm(form));
    if (!parsed.success) return refuse(issueErrors(parsed.error.issues));
    try {
      if (id) await notifications.update(id, parsed.data, c.get("meta"));
      else await notifications.create(parsed.data, c.get("meta"));
    } catch (err) {
      const known = serviceErrors(err);
      if (!known) throw err;
      return refuse(known.errors);
    }
    return redirect(c, done(id ? "channel-saved" : "channel-added", "channels"));
  }

  app.post("/channels", (c) => saveChannel(c));
  app.post(
    "/channels/:id",
    validate("param", channelParam),
    (c) => saveChannel(c, c.req.valid("param").id),
  );

  app.post("/channels/:id/delete", validate("param", channelParam), async (c) => {
    await c.get("deps").notifications.remove(c.req.valid("param").id, c.get("meta"));
    return redirect(c, done("channel-deleted", "channels"));
  });

  app.post("/channels/:id/test", validate("param", channelParam), async (c) => {
    const { id } = c.req.valid("param");
    const result = await c.get("deps").notifications.test(id, c.get("meta"));
    if (isHtmx(c)) return c.html(<TestResult id={id} result={result} />);
    return page(c, {
      notice: result.ok ? "Test sent." : `Test failed: ${result.error}`,
    });
  });

  app.post("/rules", async (c) => {
    const form = await formBody(c);
    const change = {
      enabled: Object.fromEntries(RULES.map((r) => [r, isTicked(form[`enabled.${r}`])])),
      cpuPercent: num(form.cpuPercent),
      memoryPercent: num(form.memoryPercent),
      diskPercent: num(form.diskPercent),
      forMinutes: num(form.forMinutes),
      restartCount: num(form.restartCount) ?? undefined,
      restartWindowMinutes: num(form.restartWindowMinutes) ?? undefined,
      cooldownMinutes: num(form.cooldownMinutes) ?? undefined,
    };
    const parsed = ruleSettingsChangeSchema.safeParse(change);
    if (!parsed.success) {
      return page(c, { rulesErrors: issueErrors(parsed.error.issues), rulesValues: form }, 400);
    }
    await c.get("deps").alerts.setRules(parsed.data, c.get("meta"));
    return redirect(c, done("rules", "rules"));
  });

  app.post("/overrides", async (c) => {
    const form = await formBody(c);
    const name = containerNameSchema.safeParse(form.container ?? "");
    const parsed = overrideSchema.safeParse({
      cpuPercent: num(form.cpuPercent),
      memoryPercent: num(form.memoryPercent),
      forMinutes: num(form.forMinutes),
      muted: isTicked(form.muted),
    });
    if (!name.success || !parsed.success) {
      const errors: Errors = {
        ...(name.success ? {} : { container: name.error.issues[0].message }),
        ...(parsed.success ? {} : issueErrors(parsed.error.issues)),
      };
      return page(c, { overrideErrors: errors, overrideValues: form }, 400);
    }
    await c.get("deps").alerts.setOverride(name.data, parsed.data, c.get("meta"));
    return redirect(c, done("override", "overrides"));
  });

  app.post("/overrides/:container/delete", validate("param", containerParam), async (c) => {
    await c.get("deps").alerts.removeOverride(c.req.valid("param").container, c.get("meta"));
    return redirect(c, done("override-removed", "overrides"));
  });

  return app;
}

/**
 * Notification channels: each type's settings (validated by zod; a bad one is a 400 naming the
 * field), which of them are secrets (sealed at rest, never shown back), and the API's shapes.
 */
import { z } from "zod";

export const CHANNEL_TYPES = [
  "webhook",
  "ntfy",
  "gotify",
  "discord",
  "slack",
  "telegram",
  "email",
] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export const CHANNEL_LABELS: Record<ChannelType, string> = {
  webhook: "Webhook (JSON)",
  ntfy: "ntfy",
  gotify: "Gotify",
  discord: "Discord",
  slack: "Slack-compatible webhook",
  telegram: "Telegram",
  email: "Email (SMTP)",
};

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });
/** A secret may be left out of a change: the stored one is kept. */
const secret = z.string().min(1).max(2000).optional();

const common = {
  name: z.string().trim().min(1, "is required").max(100),
  enabled: z.boolean().default(true),
};

export const channelInputSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("webhook"), ...common, url: httpUrl.optional() }),
  z.object({
    type: z.literal("ntfy"),
    ...common,
    serverUrl: httpUrl.default("https://ntfy.sh"),
    topic: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, - or _"),
    token: secret,
    priority: z.number().int().min(1).max(5).default(3),
  }),
  z.object({
    type: z.literal("gotify"),
    ...common,
    serverUrl: httpUrl,
    token: secret,
    priority: z.number().int().min(0).max(10).default(5),
  }),
  z.object({ type: z.literal("discord"), ...common, webhookUrl: httpUrl.optional() }),
  z.object({ type: z.literal("slack"), ...common, webhookUrl: httpUrl.optional() }),
  z.object({
    type: z.literal("telegram"),
    ...common,
    serverUrl: httpUrl.default("https://api.telegram.org"),
    botToken: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, "must look like 123456:ABC-def")
      .optional(),
    chatId: z.string().regex(/^(-?\d+|@\w{5,})$/, "must be a chat id or @channelname"),
  }),
  z.object({
    type: z.literal("email"),
    ...common,
    host: z.string().regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/, "must be a host name"),
    port: z.number().int().min(1).max(65535).default(587),
    /** STARTTLS on 587, TLS from the start on 465, or plain (a local relay). */
    security: z.enum(["starttls", "tls", "none"]).default("starttls"),
    /** Off for a mail server with a self-signed certificate. */
    tlsVerify: z.boolean().default(true),
    username: z.string().max(320).optional(),
    password: secret,
    from: z.email(),
    to: z.string().refine(
      (v) => v.split(",").every((a) => z.email().safeParse(a.trim()).success),
      "must be one or more addresses separated by commas",
    ),
  }),
]);
export type ChannelInput = z.output<typeof channelInputSchema>;

/** The fields of each type that are secrets (sealed, never shown back, kept when left out). */
export const SECRET_FIELDS: Record<ChannelType, readonly string[]> = {
  webhook: ["url"],
  ntfy: ["token"],
  gotify: ["token"],
  discord: ["webhookUrl"],
  slack: ["webhookUrl"],
  telegram: ["botToken"],
  email: ["password"],
};

/** The secrets a channel cannot work without (ntfy's token and email's password are optional). */
export const REQUIRED_SECRETS: Record<ChannelType, readonly string[]> = {
  webhook: ["url"],
  ntfy: [],
  gotify: ["token"],
  discord: ["webhookUrl"],
  slack: ["webhookUrl"],
  telegram: ["botToken"],
  email: [],
};

/** A stored channel with its secrets open, for sending. */
export type Channel = { id: string; type: ChannelType; name: string; enabled: boolean } & {
  config: Record<string, unknown>;
};

/** A channel as the API and pages show it: its settings, and for secrets only whether set. */
export const channelViewSchema = z.object({
  id: z.string(),
  type: z.enum(CHANNEL_TYPES),
  name: z.string(),
  enabled: z.boolean(),
  settings: z.record(z.string(), z.unknown()),
  secretsSet: z.array(z.string()),
  createdAt: z.string(),
  /** The last message's outcome, if any was sent. */
  last: z.object({
    kind: z.string(),
    status: z.enum(["pending", "sent", "failed"]),
    at: z.string(),
    error: z.string().nullable(),
    attempts: z.number().int(),
  }).nullable(),
});
export type ChannelView = z.output<typeof channelViewSchema>;

/** `POST /notifications/channels`: 201 with the new channel's id (API.md). */
export const channelCreatedSchema = z.object({ id: z.string() });

/** `DELETE /notifications/channels/:id`: the id of the channel removed. */
export const channelRemovedSchema = z.object({ removed: z.string() });

export const testResultSchema = z.object({ ok: z.boolean(), error: z.string().optional() });
export type TestResult = z.output<typeof testResultSchema>;

export const deliverySchema = z.object({
  id: z.number().int(),
  channelId: z.string(),
  channel: z.string(),
  alertId: z.number().int().nullable(),
  kind: z.enum(["firing", "resolved", "test"]),
  title: z.string(),
  status: z.enum(["pending", "sent", "failed"]),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type Delivery = z.output<typeof deliverySchema>;

/** What goes out: a title, a body, and for webhooks the alert itself. */
export type Message = {
  kind: "firing" | "resolved" | "test";
  title: string;
  body: string;
  alert?: {
    id: number;
    rule: string;
    container?: string;
    state: "firing" | "resolved";
    firedAt: string;
    resolvedAt: string | null;
  };
};

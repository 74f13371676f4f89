/** The form fields of each channel type (the settings page draws them; the route reads them). */
import type { ChannelType } from "../../services/notifications/model.ts";

export type FieldSpec = {
  name: string;
  label: string;
  kind: "text" | "url" | "number" | "secret" | "checkbox" | "select";
  hint?: string;
  placeholder?: string;
  options?: { value: string; label: string }[];
  /** Filled in on a new channel's form. */
  initial?: string;
  required?: boolean;
};

const serverUrl = (initial: string, hint: string): FieldSpec => ({
  name: "serverUrl",
  label: "Server URL",
  kind: "url",
  initial,
  hint,
  required: true,
});

export const CHANNEL_FIELDS: Record<ChannelType, FieldSpec[]> = {
  webhook: [{
    name: "url",
    label: "Webhook URL",
    kind: "secret",
    placeholder: "https://example.com/hook?token=…",
    hint: "Gets a JSON POST: kind, title, message and the alert. Kept sealed: it may hold a token.",
  }],
  ntfy: [
    serverUrl("https://ntfy.sh", "Your own ntfy server, or ntfy.sh."),
    { name: "topic", label: "Topic", kind: "text", required: true, placeholder: "homelab-alerts" },
    { name: "token", label: "Access token", kind: "secret", hint: "Only for a protected topic." },
    { name: "priority", label: "Priority (1-5)", kind: "number", initial: "3" },
  ],
  gotify: [
    serverUrl("", "Your Gotify server, e.g. https://gotify.example.com."),
    { name: "token", label: "Application token", kind: "secret" },
    { name: "priority", label: "Priority (0-10)", kind: "number", initial: "5" },
  ],
  discord: [{
    name: "webhookUrl",
    label: "Discord webhook URL",
    kind: "secret",
    placeholder: "https://discord.com/api/webhooks/…",
  }],
  slack: [{
    name: "webhookUrl",
    label: "Incoming webhook URL",
    kind: "secret",
    placeholder: "https://hooks.slack.com/services/…",
    hint: 'Slack, Mattermost, Rocket.Chat and others that take Slack\'s {"text"} payload.',
  }],
  telegram: [
    serverUrl("https://api.telegram.org", "Telegram's Bot API, or a local Bot API server."),
    { name: "botToken", label: "Bot token", kind: "secret", placeholder: "123456:ABC-def…" },
    {
      name: "chatId",
      label: "Chat id",
      kind: "text",
      required: true,
      placeholder: "-1001234567890 or @channel",
    },
  ],
  email: [
    {
      name: "host",
      label: "SMTP server",
      kind: "text",
      required: true,
      placeholder: "smtp.example.com",
    },
    { name: "port", label: "Port", kind: "number", initial: "587" },
    {
      name: "security",
      label: "Security",
      kind: "select",
      initial: "starttls",
      options: [
        { value: "starttls", label: "STARTTLS (port 587)" },
        { value: "tls", label: "TLS (port 465)" },
        { value: "none", label: "None (a local relay)" },
      ],
    },
    {
      name: "tlsVerify",
      label: "Verify the server's certificate",
      kind: "checkbox",
      initial: "on",
    },
    { name: "username", label: "Username", kind: "text" },
    { name: "password", label: "Password", kind: "secret" },
    {
      name: "from",
      label: "From",
      kind: "text",
      required: true,
      placeholder: "dockermate@example.com",
    },
    {
      name: "to",
      label: "To",
      kind: "text",
      required: true,
      placeholder: "you@example.com, other@example.com",
    },
  ],
};

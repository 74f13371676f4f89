/**
 * How each channel type sends a message: an HTTP request (built by `requestFor`, sent through
 * fetch with a timeout) or a mail over SMTP (nodemailer). Throws with what went wrong.
 */
import type { Channel, Message } from "./model.ts";

type Nodemailer = typeof import("nodemailer");

// nodemailer (CommonJS, with node:net and node:tls) costs ~3.5 MB when loaded: only a server
// that sends a mail loads it.
let mailer: Promise<Nodemailer> | undefined;
const nodemailer = () => mailer ??= import("nodemailer");

export type HttpRequest = { url: string; headers: Record<string, string>; body: string };

const JSON_TYPE = { "content-type": "application/json" };
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const trimSlash = (url: string) => url.replace(/\/+$/, "");
/** Discord's embed colours: red while firing, green once resolved, blue for a test. */
const COLOURS = { firing: 0xd93025, resolved: 0x1e8e3e, test: 0x1a73e8 };

/** The request an HTTP channel makes for `m` (email is not one: see sendEmail). */
export function requestFor(channel: Channel, m: Message): HttpRequest {
  const c = channel.config;
  switch (channel.type) {
    case "webhook":
      return {
        url: str(c.url),
        headers: JSON_TYPE,
        body: JSON.stringify({
          source: "dockermate",
          kind: m.kind,
          title: m.title,
          message: m.body,
          alert: m.alert ?? null,
          sentAt: new Date().toISOString(),
        }),
      };
    case "ntfy":
      // ntfy's JSON publishing: POST to the server's root with the topic in the body.
      return {
        url: trimSlash(str(c.serverUrl)),
        headers: { ...JSON_TYPE, ...(c.token ? { authorization: `Bearer ${str(c.token)}` } : {}) },
        body: JSON.stringify({
          topic: c.topic,
          title: m.title,
          message: m.body,
          priority: m.kind === "resolved" ? Math.min(Number(c.priority), 3) : c.priority,
          tags: [
            m.kind === "firing" ? "warning" : m.kind === "resolved" ? "white_check_mark" : "bell",
          ],
        }),
      };
    case "gotify":
      return {
        url: `${trimSlash(str(c.serverUrl))}/message`,
        headers: { ...JSON_TYPE, "x-gotify-key": str(c.token) },
        body: JSON.stringify({ title: m.title, message: m.body, priority: c.priority }),
      };
    case "discord":
      return {
        url: str(c.webhookUrl),
        headers: JSON_TYPE,
        body: JSON.stringify({
          username: "DockerMate",
          embeds: [{ title: m.title, description: m.body, color: COLOURS[m.kind] }],
        }),
      };
    case "slack":
      return {
        url: str(c.webhookUrl),
        headers: JSON_TYPE,
        body: JSON.stringify({ text: `*${m.title}*\n${m.body}` }),
      };
    case "telegram":
      // Plain text (no parse_mode): container names need no escaping.
      return {
        url: `${trimSlash(str(c.serverUrl))}/bot${str(c.botToken)}/sendMessage`,
        headers: JSON_TYPE,
        body: JSON.stringify({
          chat_id: c.chatId,
          text: `${m.title}\n${m.body}`,
          disable_web_page_preview: true,
        }),
      };
    case "email":
      throw new Error("email is sent over SMTP, not HTTP");
  }
}

/** Sends `m` through `channel`; throws (after at most `timeoutMs`) when it did not arrive. */
export async function send(channel: Channel, m: Message, timeoutMs: number): Promise<void> {
  if (channel.type === "email") return await sendEmail(channel, m, timeoutMs);
  const req = requestFor(channel, m);
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: "POST",
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
  } catch (err) {
    throw new Error(reason(err, req.url, timeoutMs));
  }
  if (!res.ok) {
    const text = (await res.text().catch(() => "")).slice(0, 200);
    throw new Error(`HTTP ${res.status}${text ? `: ${text}` : ""}`);
  }
  await res.body?.cancel();
}

/** A mail over SMTP: STARTTLS (required), TLS from the start, or plain; with auth when set. */
async function sendEmail(channel: Channel, m: Message, timeoutMs: number): Promise<void> {
  const c = channel.config;
  const security = str(c.security);
  const transport = (await nodemailer()).default.createTransport({
    host: str(c.host),
    port: Number(c.port),
    secure: security === "tls",
    requireTLS: security === "starttls",
    ignoreTLS: security === "none",
    auth: c.username ? { user: str(c.username), pass: str(c.password) } : undefined,
    tls: { rejectUnauthorized: c.tlsVerify !== false },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await transport.sendMail({
      from: str(c.from),
      to: str(c.to),
      subject: m.title,
      text: m.body,
    });
  } catch (err) {
    throw new Error(reason(err, `smtp://${str(c.host)}:${c.port}`, timeoutMs));
  } finally {
    transport.close();
  }
}

/** What went wrong, in words a user can act on (never the secret-bearing URL). */
function reason(err: unknown, target: string, timeoutMs: number): string {
  const e = err as Error;
  const where = safeTarget(target);
  if (e.name === "TimeoutError") return `${where} did not answer within ${timeoutMs / 1000} s`;
  if (e.name === "NotCapable" || e.name === "PermissionDenied") {
    return `${where} is not allowed: add it to DOCKERMATE_NOTIFY_HOSTS`;
  }
  return `${where}: ${e.message.replace(/https?:\/\/\S+/g, "(url)")}`;
}

/** host:port of a URL, without its path or query (where tokens live). */
function safeTarget(url: string): string {
  try {
    const u = new URL(url);
    return u.port ? `${u.hostname}:${u.port}` : u.hostname;
  } catch {
    return "the channel";
  }
}

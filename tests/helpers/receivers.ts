/**
 * What notification channels send to, run by the test: an HTTP server that records every
 * request (ntfy, Gotify, Discord, Slack, Telegram and webhooks all post to it) and an SMTP sink
 * (npm smtp-server) with STARTTLS and auth that records every mail.
 */
// @ts-types="@types/smtp-server"
import { SMTPServer } from "smtp-server";
import { waitFor } from "./server.ts";

export type Received = {
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string;
  json: Record<string, unknown> | null;
};

export type HttpReceiver = {
  url: string;
  port: number;
  requests: Received[];
  /** The requests whose path starts with `prefix`. */
  to: (prefix: string) => Received[];
  /** Waits for `count` requests to `prefix` and returns them. */
  waitFor: (prefix: string, count?: number, timeoutMs?: number) => Promise<Received[]>;
  close: () => Promise<void>;
};

/** An HTTP server on 127.0.0.1 (on `port`, or one the system picks) answering 200 to all. */
export function httpReceiver(port = 0): HttpReceiver {
  const requests: Received[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    const body = await req.text();
    let json: Record<string, unknown> | null = null;
    try {
      json = JSON.parse(body);
    } catch {
      json = null;
    }
    requests.push({
      path: url.pathname,
      query: url.search,
      headers: Object.fromEntries(req.headers),
      body,
      json,
    });
    return Response.json({ ok: true });
  });
  const bound = server.addr.port;
  const to = (prefix: string) => requests.filter((r) => r.path.startsWith(prefix));
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    requests,
    to,
    waitFor: async (prefix, count = 1, timeoutMs = 15_000) => {
      await waitFor(
        `${count} request(s) to ${prefix}`,
        () => to(prefix).length >= count,
        timeoutMs,
      );
      return to(prefix);
    },
    close: () => server.shutdown(),
  };
}

export type Mail = { from: string; to: string[]; raw: string; secure: boolean; user: string };

export type SmtpSink = {
  port: number;
  mails: Mail[];
  close: () => Promise<void>;
};

/** An SMTP server on 127.0.0.1 that offers STARTTLS (its own test certificate) and wants auth. */
export async function smtpSink(user: string, pass: string): Promise<SmtpSink> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authMethods: ["PLAIN", "LOGIN"],
    // Auth only after STARTTLS (smtp-server's default), so a mail proves TLS was used.
    onAuth(auth, _session, cb) {
      if (auth.username === user && auth.password === pass) cb(null, { user: auth.username });
      else cb(new Error("Invalid username or password"));
    },
    onData(stream, session, cb) {
      const chunks: Uint8Array[] = [];
      stream.on("data", (c: Uint8Array) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: new TextDecoder().decode(concat(chunks)),
          secure: session.secure,
          user: String(session.user ?? ""),
        });
        cb();
      });
    },
    logger: false,
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const addr = server.server.address();
      resolve(typeof addr === "object" && addr ? addr.port : 0);
    });
  });
  return { port, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A tiny HTTP client for tests: keeps the session cookie and sends a same-origin Origin. */
import { PASSWORD, SETUP_TOKEN } from "./server.ts";

export class Client {
  cookie: string | null = null;

  /** `http`: the client that reaches the server (one trusting its certificate, for HTTPS). */
  constructor(
    readonly base: string,
    readonly headers: Record<string, string> = {},
    readonly http?: Deno.HttpClient,
  ) {}

  async request(
    method: string,
    path: string,
    init: {
      json?: unknown;
      form?: Record<string, string>;
      headers?: Record<string, string>;
      signal?: AbortSignal;
    } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { origin: this.base, ...this.headers, ...init.headers };
    if (this.cookie) headers.cookie = this.cookie;
    let body: BodyInit | undefined;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    } else if (init.form) {
      body = new URLSearchParams(init.form);
    }
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body,
      redirect: "manual",
      signal: init.signal,
      client: this.http,
    });
    const setCookie = res.headers.getSetCookie().find((c) => c.includes("dockermate_session="));
    if (setCookie) {
      const pair = setCookie.split(";")[0];
      this.cookie = pair.endsWith("=") || /max-age=0|expires=thu, 01 jan 1970/i.test(setCookie)
        ? null
        : pair;
    }
    return res;
  }

  async json<T = Record<string, unknown>>(
    method: string,
    path: string,
    json?: unknown,
  ): Promise<{ status: number; body: T; res: Response }> {
    const res = await this.request(method, path, json === undefined ? {} : { json });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, res };
  }

  async text(
    method: string,
    path: string,
    init: Parameters<Client["request"]>[2] = {},
  ): Promise<{ status: number; body: string; res: Response }> {
    const res = await this.request(method, path, init);
    return { status: res.status, body: await res.text(), res };
  }
}

/** Creates the admin through the API and logs in; returns a client holding the session. */
export async function setupAndLogin(base: string, http?: Deno.HttpClient): Promise<Client> {
  const client = new Client(base, {}, http);
  const setup = await client.json("POST", "/api/v1/auth/setup", {
    password: PASSWORD,
    setupToken: SETUP_TOKEN,
  });
  if (setup.status !== 201) throw new Error(`setup failed: ${JSON.stringify(setup.body)}`);
  const login = await client.json("POST", "/api/v1/auth/login", { password: PASSWORD });
  if (login.status !== 200 || !client.cookie) {
    throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  }
  return client;
}

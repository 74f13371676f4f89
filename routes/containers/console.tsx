import { Hono } from "hono";
import type { Context } from "hono";
import { upgradeWebSocket } from "hono/deno";
import type { WSContext } from "hono/ws";
import { z } from "zod";
import { ConsolePage } from "../../components/containers/console.tsx";
import { Layout } from "../../components/layout.tsx";
import { consoleOptionsSchema, terminalSizeSchema } from "../../services/console/options.ts";
import type { ConsoleHandle, ConsoleOwner } from "../../services/console/service.ts";
import type { ConsoleClient } from "../../services/console/session.ts";
import { Forbidden, InvalidInput } from "../../services/errors.ts";
import type { AppEnv } from "../http/env.ts";
import { containerParam } from "../http/params.ts";
import { appChrome, render } from "../http/render.ts";
import { describeIssues, parseOrRefuse, validate } from "../http/validate.ts";

const viewQuery = z.object({
  view: z.enum(["shell", "attach"], { error: "must be shell or attach" }).default("shell"),
});

/** What the browser sends on a console's socket (JSON text frames). */
const clientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("input"), data: z.string().max(64 * 1024) }),
  z.object({
    type: z.literal("resize"),
    cols: z.number().int().min(1).max(1000),
    rows: z.number().int().min(1).max(500),
  }),
]);

/** A message from the browser, or what is wrong with it. */
function readMessage(data: unknown): z.output<typeof clientMessage> | string {
  if (typeof data !== "string") return "not a text message";
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return "not JSON";
  }
  const parsed = clientMessage.safeParse(json);
  return parsed.success ? parsed.data : describeIssues(parsed.error.issues);
}

/** Output is held back while this much is still unsent to a slow browser. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** The session a console runs for; API tokens never open one (middleware/auth.ts refuses too). */
function owner(c: Context<AppEnv>): ConsoleOwner {
  const identity = c.get("identity");
  if (identity?.kind !== "session") {
    throw new Forbidden("Consoles are for a signed-in browser session: API tokens cannot open one");
  }
  return { sessionId: identity.session.id };
}

/** A console's socket, as the console service writes to it. */
function socketClient(ws: WSContext): ConsoleClient {
  const socket = ws.raw as WebSocket;
  const open = () => socket.readyState === WebSocket.OPEN;
  return {
    async output(bytes) {
      if (!open()) return;
      socket.send(bytes);
      while (open() && socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    control(message) {
      if (open()) socket.send(JSON.stringify(message));
    },
    close() {
      if (socket.readyState <= WebSocket.OPEN) socket.close(1000, "ended");
    },
  };
}

function requireUpgrade(c: Context<AppEnv>): void {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new InvalidInput("this address takes a WebSocket (Upgrade: websocket)", "upgrade");
  }
}

/**
 * A container's console page (`?view=shell`, the default, or `attach`), and the WebSockets
 * behind it. Every check (session, origin, consoles on, container running, options) is made
 * before a socket is accepted, so a refusal is a plain HTTP answer: 403, 404, 409 or 400.
 * `/ready` makes the same checks without a socket, so the page can say why it cannot connect.
 */
export function consolePages(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/:id/console", validate("param", containerParam), async (c) => {
    const { consoles } = c.get("deps");
    const ref = c.req.valid("param").id;
    const values = c.req.query();
    const { view } = parseOrRefuse(viewQuery, { view: values.view });
    // The form's options, once it was sent (a first visit shows the form alone).
    const parsed = view === "shell" && "shell" in values
      ? consoleOptionsSchema.safeParse(values)
      : null;
    const errors: Record<string, string> = {};
    for (const issue of parsed?.error?.issues ?? []) {
      errors[String(issue.path[0])] ??= issue.message;
    }
    let data;
    try {
      data = await consoles.page(ref, view, parsed?.success ? parsed.data : null);
    } catch (err) {
      // A command the parser refuses (an open quote, a pipe) is said under its field.
      if (!(err instanceof InvalidInput) || !err.field) throw err;
      errors[err.field] = err.detail;
      data = await consoles.page(ref, view, null);
    }
    const failed = Object.keys(errors).length > 0;
    return render(
      c,
      <Layout title={`Console · ${data.container.name}`} app={appChrome(c, "containers")}>
        <ConsolePage
          data={data}
          values={values}
          errors={errors}
          styleNonce={c.get("secureHeadersNonce") ?? ""}
        />
      </Layout>,
      failed ? 400 : 200,
    );
  });

  app.get("/:id/console/ready", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    owner(c);
    const ref = c.req.valid("param").id;
    if (c.req.query("view") === "attach") await deps.consoles.prepareAttach(ref);
    else await deps.consoles.prepare(ref, parseOrRefuse(consoleOptionsSchema, c.req.query()));
    return c.body(null, 204);
  });

  app.get("/:id/console/ws", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const who = owner(c);
    const query = c.req.query();
    const size = parseOrRefuse(terminalSizeSchema, { cols: query.cols, rows: query.rows });
    const plan = await deps.consoles.prepare(
      c.req.valid("param").id,
      parseOrRefuse(consoleOptionsSchema, query),
    );
    requireUpgrade(c);
    const meta = c.get("meta");
    let handle: ConsoleHandle | null = null;
    return await upgradeWebSocket(c, {
      onOpen(_event, ws) {
        handle = deps.consoles.open(plan, size, who, meta, socketClient(ws));
      },
      onMessage(event, ws) {
        const message = readMessage(event.data);
        if (typeof message === "string") {
          ws.send(JSON.stringify({ type: "error", message: `message: ${message}` }));
          return;
        }
        if (message.type === "input") handle?.input(message.data);
        else handle?.resize({ cols: message.cols, rows: message.rows });
      },
      onClose() {
        handle?.close();
      },
    });
  });

  app.get("/:id/console/attach/ws", validate("param", containerParam), async (c) => {
    const deps = c.get("deps");
    const who = owner(c);
    const plan = await deps.consoles.prepareAttach(c.req.valid("param").id);
    requireUpgrade(c);
    let view: { close(): void } | null = null;
    return await upgradeWebSocket(c, {
      onOpen(_event, ws) {
        view = deps.consoles.watchMain(plan, who, socketClient(ws));
      },
      // Read-only: whatever the browser sends is dropped; nothing reaches the process.
      onClose() {
        view?.close();
      },
    });
  });

  return app;
}

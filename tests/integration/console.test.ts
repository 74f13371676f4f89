/**
 * The container console against the real daemon: a shell's round trip over the WebSocket, its
 * TTY following a resize, its process ended when the socket closes (Docker itself would leave
 * it running), after the idle time and at logout; refusals before any socket is accepted (API
 * tokens, another origin, consoles off, a stopped container, a bad command); the audit entries;
 * and the read-only view of the main process's output.
 */
import assert from "node:assert/strict";
import { type AppCtx, withApp } from "../helpers/app.ts";
import {
  ConsoleSocket,
  execRunning,
  forwarder,
  handshakeStatus,
  topCommands,
  wsUrl,
} from "../helpers/console.ts";
import {
  docker,
  DOCKER_SOCKET,
  dockerApi,
  removeLabeled,
  runId,
  runLabeled,
} from "../helpers/docker.ts";
import { waitFor } from "../helpers/server.ts";
import { images } from "../testbed/images.ts";
import { DockerClient } from "../../services/docker/client.ts";
import { attachExec, createExec, resizeExec } from "../../services/docker/exec.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

type AuditItem = { action: string; actor: string | null; detail: Record<string, unknown> | null };

/** A console socket of the test's session on `container`, with `query` (shell, user…). */
function openConsole(ctx: AppCtx, container: string, query = "shell=sh", size = "cols=80&rows=24") {
  return new ConsoleSocket(
    wsUrl(ctx.server.url, `/containers/${container}/console/ws?${query}&${size}`),
    { origin: ctx.server.url, cookie: ctx.client.cookie! },
  );
}

/** Waits until Docker reports the exec ended and `docker top` no longer lists a lone `sh`. */
async function assertEnded(container: string, execId: string): Promise<void> {
  await waitFor(`exec ${execId.slice(0, 12)} to end`, async () => !(await execRunning(execId)));
  assert.deepEqual((await topCommands(container)).filter((cmd) => cmd === "sh"), []);
}

async function auditOf(ctx: AppCtx, action: string): Promise<AuditItem[]> {
  const r = await ctx.client.json<AuditItem[]>("GET", "/api/v1/audit?limit=200");
  assert.equal(r.status, 200);
  return r.body.filter((e) => e.action === action);
}

async function setConsoles(ctx: AppCtx, body: { enabled?: boolean; idleSeconds?: number }) {
  const r = await ctx.client.json("PUT", "/api/v1/system/console", body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

Deno.test(
  "console: a shell round trip, its size following a resize, its end when the socket closes, audited",
  opts,
  async () => {
    await withApp(async (ctx) => {
      const name = `${ctx.run}-console`;
      await runLabeled(ctx.run, name, [images.web]);
      // Not root: root in a container cannot read another user's processes (no CAP_SYS_PTRACE),
      // so ending this one needs the console's own user.
      const con = openConsole(ctx, name, "shell=sh&user=app", "cols=100&rows=30");
      const execId = await con.started();
      assert.equal(await execRunning(execId), true);

      con.type("echo hi-$((40+2)); id -u\n");
      await con.output(/\r\nhi-42\r\n1000\r\n/);
      con.type("stty size\n");
      await con.output(/\r\n30 100\r\n/);
      con.resize(123, 45);
      await waitFor("the resize to reach the TTY", async () => {
        con.type("stty size\n");
        await new Promise((r) => setTimeout(r, 200));
        return /\r\n45 123\r\n/.test(con.text);
      });

      // Docker keeps a TTY exec running when its connection closes: DockerMate ends it.
      con.close();
      await assertEnded(name, execId);

      await waitFor(
        "the end's audit entry",
        async () => (await auditOf(ctx, "container.console-end")).length === 1,
      );
      const [started] = await auditOf(ctx, "container.console");
      assert.equal(started.detail?.container, name);
      assert.deepEqual(started.detail?.command, ["sh"]);
      assert.equal(started.detail?.exec, execId);
      assert.match(started.actor ?? "", /^session:/);
      const [ended] = await auditOf(ctx, "container.console-end");
      assert.equal(ended.detail?.reason, "closed");
      assert.equal(ended.detail?.processEnded, true);
    });
  },
);

Deno.test(
  "console: a custom command as an argument array, as the chosen user; its exit is reported",
  opts,
  async () => {
    await withApp(async (ctx) => {
      const name = `${ctx.run}-custom`;
      await runLabeled(ctx.run, name, [images.web]);
      const query = new URLSearchParams({
        shell: "custom",
        command: "sh -c 'id -u; echo \"$0 ;$1\"' 'a b' '$HOME'",
        user: "app",
      });
      const con = openConsole(ctx, name, query.toString());
      await con.started();
      // Every word reached the process as it was typed: no shell on DockerMate's side.
      await con.output(/1000\r\na b ;\$HOME\r\n/);
      const ended = await con.control("ended");
      assert.equal(ended.reason, "exited");
      assert.equal(ended.message, "sh exited with code 0.");
      await con.whenClosed();

      const missing = openConsole(ctx, name, "shell=bash");
      await missing.started();
      const refused = await missing.control("ended");
      assert.equal(refused.reason, "exited");
      assert.match(refused.message ?? "", /^bash could not be run in the container/);
      const [audited] = (await auditOf(ctx, "container.console")).filter((e) =>
        e.detail?.user === "app"
      );
      assert.deepEqual(audited.detail?.command, [
        "sh",
        "-c",
        'id -u; echo "$0 ;$1"',
        "a b",
        "$HOME",
      ]);
    });
  },
);

Deno.test(
  "console: refused before any socket: API tokens, other origins, consoles off, stopped containers, bad input",
  opts,
  async () => {
    await withApp(async (ctx) => {
      const name = `${ctx.run}-refusals`;
      await runLabeled(ctx.run, name, [images.web]);
      const base = ctx.server.url;
      const path = `/containers/${name}/console/ws?shell=sh&cols=80&rows=24`;
      const session = { origin: base, cookie: ctx.client.cookie! };
      assert.equal(await handshakeStatus(base, path, session), 101);

      const token = await ctx.client.json<{ token: string }>("POST", "/api/v1/tokens", {
        name: "console-probe",
        scope: "full",
      });
      assert.equal(token.status, 201);
      const bearer = { origin: base, authorization: `Bearer ${token.body.token}` };
      assert.equal(await handshakeStatus(base, path, bearer), 403, "an API token");
      const ready = await fetch(`${base}/containers/${name}/console/ready?shell=sh`, {
        headers: { authorization: `Bearer ${token.body.token}`, accept: "application/json" },
      });
      assert.equal(ready.status, 403);
      assert.match((await ready.json()).message, /API tokens cannot open one/);

      const evil = { ...session, origin: "http://evil.example" };
      assert.equal(await handshakeStatus(base, path, evil), 403, "another origin");
      assert.equal(
        await handshakeStatus(base, path, { cookie: ctx.client.cookie! }),
        403,
        "no Origin at all",
      );
      assert.ok(
        (await auditOf(ctx, "request.cross-origin")).length >= 1,
        "the cross-origin handshake is audited",
      );
      assert.equal(await handshakeStatus(base, path, { origin: base }), 303, "no session");

      const badCommand = `/containers/${name}/console/ws?shell=custom&command=${
        encodeURIComponent("ls | wc -l")
      }&cols=80&rows=24`;
      assert.equal(await handshakeStatus(base, badCommand, session), 400);
      const page = await ctx.client.text(
        "GET",
        `/containers/${name}/console?shell=custom&command=${encodeURIComponent("ls | wc -l")}`,
      );
      assert.equal(page.status, 400);
      assert.match(page.body, /id="command-error"[^>]*>uses the shell operator \|/);
      assert.equal(
        await handshakeStatus(
          base,
          `/containers/${name}/console/ws?shell=sh&cols=0&rows=24`,
          session,
        ),
        400,
      );

      // Turning consoles off ends the open one and refuses the next (403), page and socket.
      const open = openConsole(ctx, name);
      const execId = await open.started();
      await setConsoles(ctx, { enabled: false });
      const ended = await open.control("ended");
      assert.equal(ended.reason, "disabled");
      await assertEnded(name, execId);
      assert.equal(await handshakeStatus(base, path, session), 403, "consoles off");
      const offPage = await ctx.client.text("GET", `/containers/${name}/console`);
      assert.equal(offPage.status, 200);
      assert.match(offPage.body, /Consoles are turned off/);
      assert.doesNotMatch(offPage.body, /id="console"/);
      await setConsoles(ctx, { enabled: true });
      assert.equal(await handshakeStatus(base, path, session), 101);

      await docker(["stop", "-t", "1", name]);
      assert.equal(await handshakeStatus(base, path, session), 409, "a stopped container");
      const stoppedPage = await ctx.client.text("GET", `/containers/${name}/console`);
      assert.match(stoppedPage.body, /is not running: start it to open a console/);
    });
  },
);

Deno.test(
  "console: the terminal page alone admits xterm's style attributes; style elements need the response's nonce; never inline script",
  opts,
  async () => {
    await withApp(async (ctx) => {
      const name = `${ctx.run}-csp`;
      await runLabeled(ctx.run, name, [images.web]);
      const nonces: string[] = [];
      for (let i = 0; i < 2; i++) {
        const page = await ctx.client.text("GET", `/containers/${name}/console?shell=sh`);
        assert.equal(page.status, 200);
        const csp = page.res.headers.get("content-security-policy") ?? "";
        const nonce = /style-src-elem 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
        assert.ok(nonce, csp);
        assert.match(page.body, new RegExp(`data-style-nonce="${nonce.replace(/[+/]/g, "\\$&")}"`));
        assert.match(csp, /style-src-attr 'unsafe-inline'/);
        assert.match(csp, /script-src 'self'(;|$)/);
        assert.match(csp, /connect-src 'self'/);
        nonces.push(nonce);
      }
      assert.notEqual(nonces[0], nonces[1], "a new nonce for every response");
      const detail = await ctx.client.text("GET", `/containers/${name}`);
      const csp = detail.res.headers.get("content-security-policy") ?? "";
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.match(csp, /style-src-attr 'none'/);
      assert.match(detail.body, new RegExp(`href="/containers/${name}/console"`));
    });
  },
);

Deno.test("console: ended after the idle time and when the session logs out", opts, async () => {
  await withApp(async (ctx) => {
    const name = `${ctx.run}-idle`;
    await runLabeled(ctx.run, name, [images.web]);
    await setConsoles(ctx, { idleSeconds: 5 });
    const idle = openConsole(ctx, name);
    const idleExec = await idle.started();
    const startedAt = Date.now();
    const ended = await idle.control("ended", 20_000);
    assert.equal(ended.reason, "idle");
    assert.equal(ended.message, "Ended after 5 seconds without input.");
    assert.ok(Date.now() - startedAt >= 4_000, "not before the idle time");
    await assertEnded(name, idleExec);
    await idle.whenClosed();

    await setConsoles(ctx, { idleSeconds: 900 });
    const mine = openConsole(ctx, name);
    const execId = await mine.started();
    const out = await ctx.client.request("POST", "/api/v1/auth/logout");
    assert.equal(out.status, 204);
    const gone = await mine.control("ended");
    assert.equal(gone.reason, "session-ended");
    await assertEnded(name, execId);
  });
});

Deno.test("console: the main process's output, read-only", opts, async () => {
  await withApp(async (ctx) => {
    const name = `${ctx.run}-attach`;
    await runLabeled(ctx.run, name, [images.ticker]);
    const view = new ConsoleSocket(
      wsUrl(ctx.server.url, `/containers/${name}/console/attach/ws`),
      { origin: ctx.server.url, cookie: ctx.client.cookie! },
    );
    await view.control("attached");
    const first = Number((await view.output(/line (\d+)/))[1]);
    await view.output(new RegExp(`line ${first + 2}\\b`));
    // Nothing typed reaches the process (stdin is never attached): it keeps ticking.
    view.type("exit\n");
    await view.output(new RegExp(`line ${first + 4}\\b`));
    await docker(["stop", "-t", "1", name]);
    const ended = await view.control("ended");
    assert.equal(ended.message, `${name} stopped.`);
    await view.whenClosed();
  });
});

Deno.test(
  "docker layer: an interactive exec both ways, over the unix socket and over tcp",
  opts,
  async () => {
    const run = runId();
    const name = `${run}-exec`;
    const tcp = forwarder({ path: DOCKER_SOCKET });
    try {
      await runLabeled(run, name, [images.web]);
      for (
        const host of [`unix://${DOCKER_SOCKET}`, `tcp://127.0.0.1:${tcp.port}`]
      ) {
        const client = new DockerClient({ host, tlsVerify: false });
        const id = await createExec(client, name, { Cmd: ["sh"], Tty: true, AttachStdin: true });
        const conn = await attachExec(client, id);
        await resizeExec(client, id, { rows: 33, columns: 77 });
        conn.write("echo in-$((6*7)); stty size; exit 5\n");
        const text = await new Response(conn.output).text();
        assert.match(text, /\r\nin-42\r\n33 77\r\n/, host);
        await waitFor("the exec to end", async () => !(await execRunning(id)));
        assert.equal((await dockerApi<{ ExitCode: number }>(`/exec/${id}/json`)).ExitCode, 5);
        client.stop();
      }
    } finally {
      tcp.close();
      await removeLabeled(run);
    }
  },
);

Deno.test("console: DockerMate stopping ends the open consoles first", opts, async () => {
  await withApp(async (ctx) => {
    const name = `${ctx.run}-shutdown`;
    await runLabeled(ctx.run, name, [images.web]);
    const con = openConsole(ctx, name, "shell=sh&user=app");
    const execId = await con.started();
    await ctx.server.stop();
    assert.match(ctx.server.output(), /Shutting down/);
    assert.equal(await execRunning(execId), false, "the shell was ended before the exit");
    assert.deepEqual((await topCommands(name)).filter((cmd) => cmd === "sh"), []);
  });
});

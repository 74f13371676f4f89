/**
 * Notification channels against receivers the test runs: every type's Test message arrives
 * with the payload its service expects (an HTTP server for ntfy, Gotify, Discord, Slack,
 * Telegram and the webhook; an SMTP sink with STARTTLS and auth for email); secrets are never
 * shown back and are sealed in the database; bad settings are a 400 naming the field.
 */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { withApp } from "../helpers/app.ts";
import type { Client } from "../helpers/client.ts";
import { httpReceiver, smtpSink } from "../helpers/receivers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

type ErrorBody = { error: string; message: string };
type ChannelView = {
  id: string;
  type: string;
  name: string;
  settings: Record<string, unknown>;
  secretsSet: string[];
  last: { status: string; kind: string } | null;
};

async function addChannel(client: Client, body: Record<string, unknown>): Promise<string> {
  const r = await client.json<{ id: string }>("POST", "/api/v1/notifications/channels", body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

async function pressTest(client: Client, id: string) {
  return await client.json<{ ok: boolean; error?: string }>(
    "POST",
    `/api/v1/notifications/channels/${id}/test`,
  );
}

Deno.test(
  "notifications: every channel type delivers its test to a receiver",
  opts,
  () =>
    withApp(async ({ client, server }) => {
      const http = httpReceiver();
      const smtp = await smtpSink("mailer", "mail-pass-123");
      try {
        const base = http.url;
        const ids = {
          webhook: await addChannel(client, {
            type: "webhook",
            name: "Hook",
            url: `${base}/hook?token=hook-secret-1`,
          }),
          ntfy: await addChannel(client, {
            type: "ntfy",
            name: "Phone",
            serverUrl: `${base}/ntfy`,
            topic: "homelab",
            token: "tk_ntfy_secret",
            priority: 4,
          }),
          gotify: await addChannel(client, {
            type: "gotify",
            name: "Gotify",
            serverUrl: `${base}/gotify/`,
            token: "gotify-app-token",
          }),
          discord: await addChannel(client, {
            type: "discord",
            name: "Discord",
            webhookUrl: `${base}/discord/api/webhooks/1/discord-secret`,
          }),
          slack: await addChannel(client, {
            type: "slack",
            name: "Slack",
            webhookUrl: `${base}/slack/services/T0/B0/slack-secret`,
          }),
          telegram: await addChannel(client, {
            type: "telegram",
            name: "Telegram",
            serverUrl: `${base}/tg`,
            botToken: "123456:tg-secret",
            chatId: "-1001",
          }),
          email: await addChannel(client, {
            type: "email",
            name: "Mail",
            host: "127.0.0.1",
            port: smtp.port,
            security: "starttls",
            tlsVerify: false,
            username: "mailer",
            password: "mail-pass-123",
            from: "dockermate@example.test",
            to: "owner@example.test, second@example.test",
          }),
        };
        for (const [type, id] of Object.entries(ids)) {
          const r = await pressTest(client, id);
          assert.equal(r.status, 200, `${type}: ${JSON.stringify(r.body)}`);
          assert.deepEqual(r.body, { ok: true }, type);
        }

        const [hook] = http.to("/hook");
        assert.equal(hook.query, "?token=hook-secret-1");
        assert.equal(hook.headers["content-type"], "application/json");
        assert.equal(hook.json?.kind, "test");
        assert.equal(hook.json?.title, "DockerMate test notification");
        assert.match(String(hook.json?.message), /channel "Hook"/);

        const [ntfy] = http.to("/ntfy");
        assert.equal(ntfy.path, "/ntfy");
        assert.equal(ntfy.headers.authorization, "Bearer tk_ntfy_secret");
        assert.equal(ntfy.json?.topic, "homelab");
        assert.equal(ntfy.json?.title, "DockerMate test notification");
        assert.equal(ntfy.json?.priority, 4);

        const [gotify] = http.to("/gotify");
        assert.equal(gotify.path, "/gotify/message");
        assert.equal(gotify.headers["x-gotify-key"], "gotify-app-token");
        assert.equal(gotify.json?.title, "DockerMate test notification");
        assert.equal(gotify.json?.priority, 5);

        const [discord] = http.to("/discord");
        const embed = (discord.json?.embeds as { title: string; description: string }[])[0];
        assert.equal(embed.title, "DockerMate test notification");
        assert.match(embed.description, /channel "Discord"/);

        const [slack] = http.to("/slack");
        assert.match(String(slack.json?.text), /^\*DockerMate test notification\*\n/);

        const [tg] = http.to("/tg");
        assert.equal(tg.path, "/tg/bot123456:tg-secret/sendMessage");
        assert.equal(tg.json?.chat_id, "-1001");
        assert.match(String(tg.json?.text), /^DockerMate test notification\n/);

        assert.equal(smtp.mails.length, 1);
        const [mail] = smtp.mails;
        assert.equal(mail.secure, true, "the mail went over STARTTLS");
        assert.equal(mail.user, "mailer");
        assert.equal(mail.from, "dockermate@example.test");
        assert.deepEqual(mail.to, ["owner@example.test", "second@example.test"]);
        assert.match(mail.raw, /Subject: DockerMate test notification/);

        // Listed with their last message; secrets neither shown back nor stored in the clear.
        const list = await client.json<ChannelView[]>("GET", "/api/v1/notifications/channels");
        assert.equal(list.body.length, 7);
        const shown = JSON.stringify(list.body);
        for (
          const secret of [
            "hook-secret-1",
            "tk_ntfy_secret",
            "gotify-app-token",
            "discord-secret",
            "slack-secret",
            "tg-secret",
            "mail-pass-123",
          ]
        ) {
          assert.ok(!shown.includes(secret), `${secret} is not shown`);
        }
        const tgView = list.body.find((c) => c.type === "telegram")!;
        assert.deepEqual(tgView.secretsSet, ["botToken"]);
        assert.equal(tgView.settings.chatId, "-1001");
        assert.equal(tgView.last?.status, "sent");
        const db = createClient({ url: `file:${server.dataDir}/dockermate.db` });
        try {
          const rows = await db.execute("select config from notification_channels");
          const stored = rows.rows.map((r) => String(r.config)).join("\n");
          assert.ok(!stored.includes("tg-secret") && !stored.includes("mail-pass-123"));
          assert.match(stored, /sealed:v2:/);
        } finally {
          db.close();
        }

        // A change that leaves the secret out keeps it: the test still reaches the receiver.
        const changed = await client.json<ChannelView>(
          "PUT",
          `/api/v1/notifications/channels/${ids.gotify}`,
          {
            type: "gotify",
            name: "Gotify (renamed)",
            serverUrl: `${base}/gotify`,
            priority: 8,
          },
        );
        assert.equal(changed.status, 200, JSON.stringify(changed.body));
        assert.equal(changed.body.name, "Gotify (renamed)");
        assert.deepEqual((await pressTest(client, ids.gotify)).body, { ok: true });
        const second = (await http.waitFor("/gotify", 2))[1];
        assert.equal(second.headers["x-gotify-key"], "gotify-app-token");
        assert.equal(second.json?.priority, 8);

        const removed = await client.json("DELETE", `/api/v1/notifications/channels/${ids.slack}`);
        assert.equal(removed.status, 200);
        assert.equal(
          (await client.json("GET", `/api/v1/notifications/channels/${ids.slack}`)).status,
          404,
        );
      } finally {
        await http.close();
        await smtp.close();
      }
    }),
);

Deno.test(
  "notifications: bad settings are a 400 naming the field; an unreachable test says why",
  opts,
  () =>
    withApp(async ({ client }) => {
      const bad = async (body: Record<string, unknown>, field: RegExp) => {
        const r = await client.json<ErrorBody>("POST", "/api/v1/notifications/channels", body);
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.equal(r.body.error, "InvalidInput");
        assert.match(r.body.message, field);
      };
      await bad({ type: "ntfy", name: "x", topic: "has spaces" }, /^topic: /);
      await bad(
        { type: "gotify", name: "x", serverUrl: "http://127.0.0.1:1" },
        /^token: is required/,
      );
      await bad({
        type: "email",
        name: "x",
        host: "mail",
        port: 70000,
        from: "a@b.example",
        to: "d@e.example",
      }, /^port: /);
      await bad(
        { type: "email", name: "x", host: "mail", from: "a@b.example", to: "nobody" },
        /^to: /,
      );
      await bad({ type: "discord", name: "x", webhookUrl: "ftp://x" }, /^webhookUrl: /);
      await bad({ type: "pager", name: "x" }, /^type: /);
      await bad({ type: "slack", name: "", webhookUrl: "http://127.0.0.1:1/x" }, /^name: /);

      // Nothing listens there: the test answers at once with the reason, and it is recorded.
      const id = await addChannel(client, {
        type: "webhook",
        name: "Nowhere",
        url: "http://127.0.0.1:9/hook",
      });
      const r = await pressTest(client, id);
      assert.equal(r.status, 200);
      assert.equal(r.body.ok, false);
      assert.match(r.body.error ?? "", /^127\.0\.0\.1:9: /);
      const view = await client.json<ChannelView>("GET", `/api/v1/notifications/channels/${id}`);
      assert.equal(view.body.last?.status, "failed");
    }),
);

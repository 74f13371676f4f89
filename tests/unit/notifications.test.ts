/**
 * Notification delivery over a real database with a clock of the test's: an unreachable
 * channel's message is recorded with its error and retried after a wait that doubles, in the
 * order messages were raised, and given up after the last try; secrets are sealed at rest.
 */
import assert from "node:assert/strict";
import { openDb } from "../../db/client.ts";
import { useKeyFile } from "../../services/registry/secret-box.ts";
import { NotificationService } from "../../services/notifications/service.ts";
import type { Message } from "../../services/notifications/model.ts";

const meta = { ip: "test", userAgent: "test" };
const message = (title: string): Message => ({ kind: "firing", title, body: "body" });

async function waitUntil(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("notifications: an unreachable channel is retried with a doubling wait, in order", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-notify-" });
  useKeyFile(`${dir}/secret.key`);
  const db = await openDb(`file:${dir}/test.db`);
  let now = 1_000_000;
  const service = new NotificationService(db, { retryBaseMs: 30_000, now: () => now });
  try {
    // fetch refuses port 9 (a blocked port): every try fails at once, on any machine.
    const { id } = await service.create({
      type: "webhook",
      name: "Down",
      enabled: true,
      url: "http://127.0.0.1:9/hook?token=s3cret",
    }, meta);
    const stored = await db.query.notificationChannels.findFirst();
    assert.ok(!stored!.config.includes("s3cret"), "the URL is sealed");
    assert.deepEqual((await service.get(id)).secretsSet, ["url"]);

    service.notify(1, message("first"));
    await waitUntil("the first try", async () => (await service.deliveries())[0]?.attempts === 1);
    service.notify(1, message("second"));
    await waitUntil("the second message", async () => (await service.deliveries()).length === 2);
    let [second, first] = await service.deliveries();
    assert.equal(first.status, "pending");
    assert.match(first.lastError ?? "", /^127\.0\.0\.1:9: /);
    assert.ok(!(first.lastError ?? "").includes("s3cret"), "the error does not show the URL");
    assert.equal(Date.parse(first.nextAttemptAt!) - now, 30_000);
    assert.equal(second.attempts, 0, "it waits behind the first");

    // Not due yet: nothing happens. Due: the first is tried again, its wait doubles.
    now += 29_000;
    await service.retryDue();
    assert.equal((await service.deliveries())[1].attempts, 1);
    now += 1_000;
    await service.retryDue();
    await waitUntil("the second try", async () => (await service.deliveries())[1].attempts === 2);
    [second, first] = await service.deliveries();
    assert.equal(Date.parse(first.nextAttemptAt!) - now, 60_000);
    assert.equal(second.attempts, 0, "still behind the first");

    // After the eighth try it gives up; then the one behind it gets its turn.
    for (let attempt = 3; attempt <= 8; attempt++) {
      now += 3_600_000;
      await service.retryDue();
      await waitUntil(
        `try ${attempt}`,
        async () => (await service.deliveries())[1].attempts === attempt,
      );
    }
    [second, first] = await service.deliveries();
    assert.equal(first.status, "failed");
    assert.equal(first.nextAttemptAt, null);
    now += 1;
    await service.retryDue();
    await waitUntil(
      "the second's first try",
      async () => (await service.deliveries())[0].attempts === 1,
    );
    assert.equal((await service.list())[0].last?.status, "pending");
  } finally {
    db.$client.close();
    await Deno.remove(dir, { recursive: true });
  }
});

import assert from "node:assert/strict";
import { ContainerBusy, ContainerLocks } from "../../services/containers/locks.ts";

const BUSY = /^"web" is being updated \(started \d\d:\d\d:\d\d\); wait for it to finish$/;

Deno.test("a held container refuses a second operation, its parked name too, until released", () => {
  const locks = new ContainerLocks();
  const lease = locks.acquire("web", "update");
  assert.equal(locks.holder("web"), "update");
  assert.throws(() => locks.acquire("web", "edit"), (e: unknown) => {
    assert.ok(e instanceof ContainerBusy);
    assert.equal(e.status, 409);
    assert.match(e.message, BUSY);
    return true;
  });
  assert.throws(() => locks.check("web-dm-old-12"), (e: Error) => BUSY.test(e.message));
  assert.doesNotThrow(() => locks.check("web2"));
  lease.release();
  assert.equal(locks.holder("web"), null);
  locks.acquire("web", "edit").release();
});

Deno.test("with() releases when the operation fails, and a stale release frees nothing", async () => {
  const locks = new ContainerLocks();
  await assert.rejects(
    locks.with("web", "remove", () => Promise.reject(new Error("boom"))),
    /boom/,
  );
  const first = locks.acquire("web", "update");
  first.release();
  const second = locks.acquire("web", "rollback");
  first.release();
  assert.equal(locks.holder("web"), "rollback", "released twice, the new hold stays");
  second.release();
});

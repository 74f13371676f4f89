import assert from "node:assert/strict";
import { QUIET_MS, worthReducing } from "../../services/heap-reducer.ts";

const MB = 1 << 20;

Deno.test("a collection waits for quiet and for the heap to have grown", () => {
  const grown = { heapTotal: 30 * MB, heapAfterLast: 20 * MB };
  assert.equal(worthReducing({ quietMs: QUIET_MS, ...grown }), true);
  assert.equal(worthReducing({ quietMs: QUIET_MS - 1, ...grown }), false, "still busy");
  assert.equal(
    worthReducing({ quietMs: QUIET_MS, heapTotal: 20.5 * MB, heapAfterLast: 20 * MB }),
    false,
    "half a MB is not worth a pause",
  );
  assert.equal(
    worthReducing({ quietMs: QUIET_MS, heapTotal: 21 * MB, heapAfterLast: 20 * MB }),
    true,
  );
  assert.equal(
    worthReducing({ quietMs: 10 * QUIET_MS, heapTotal: 20 * MB, heapAfterLast: 0 }),
    true,
    "the first time, after the start",
  );
});

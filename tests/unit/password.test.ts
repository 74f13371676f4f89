import assert from "node:assert/strict";
import { checkPassword, hashPassword, verifyPassword } from "../../services/auth/password.ts";

const refused: [string, RegExp][] = [
  ["short1!", /at least 12 characters/],
  ["aaaaaaaaaaaaaaaa", /one character repeated/],
  ["123456789012", /keyboard or number run/],
  ["abcdefghijklmn", /keyboard or number run/],
  ["qwertyuiopasdf", /keyboard or number run|commonly used/],
  ["1qaz2wsx3edc", /keyboard or number run/],
  ["password1234", /commonly used/],
  ["iloveyou2024!", /too easy to guess|commonly used/],
];

for (const [password, reason] of refused) {
  Deno.test(`password policy refuses "${password}"`, async () => {
    const verdict = await checkPassword(password);
    assert.equal(verdict.ok, false);
    assert.match(verdict.problems.join(" "), reason);
  });
}

for (
  const password of ["correct horse battery staple", "zq8#Lm2!vR9p", "Granite-Otter-Lantern-42"]
) {
  Deno.test(`password policy accepts "${password}"`, async () => {
    const verdict = await checkPassword(password);
    assert.deepEqual(verdict.problems, []);
    assert.equal(verdict.ok, true);
    assert.ok(verdict.score >= 3);
  });
}

Deno.test("password policy gives a hint for the form", async () => {
  const verdict = await checkPassword("password");
  assert.ok(verdict.hint.length > 10);
  assert.ok(verdict.score <= 1);
});

Deno.test("passwords are stored as argon2id hashes and verified", async () => {
  const hashed = await hashPassword("correct horse battery staple");
  assert.match(hashed, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.ok(!hashed.includes("correct horse"));
  assert.equal(await verifyPassword(hashed, "correct horse battery staple"), true);
  assert.equal(await verifyPassword(hashed, "correct horse battery stapl"), false);
  assert.equal(await verifyPassword("not-a-hash", "x"), false);
});

/** services/text.ts: one order for names and ids, and grouped digits, without ICU. */
import assert from "node:assert/strict";
import { compareOrdinal, compareText, groupDigits } from "../../services/text.ts";
import { ROOT } from "../helpers/server.ts";

Deno.test("names order case-insensitively, then by code point", () => {
  const names = ["web", "App", "db-2", "Web", "app", "db-10", "cache"];
  assert.deepEqual(names.sort(compareText), [
    "App",
    "app",
    "cache",
    "db-10",
    "db-2",
    "Web",
    "web",
  ]);
  assert.equal(compareText("same", "same"), 0);
  // ISO dates and ids order as strings.
  assert.ok(compareText("2026-12-01T10:00:00Z", "2026-12-07T09:00:00Z") < 0);
});

Deno.test("timestamps and ids order by code point", () => {
  const ts = ["2026-12-07T09:00:00.5Z", "2026-12-01T10:00:00Z", "2026-12-07T09:00:00.25Z"];
  assert.deepEqual(ts.sort(compareOrdinal), [
    "2026-12-01T10:00:00Z",
    "2026-12-07T09:00:00.25Z",
    "2026-12-07T09:00:00.5Z",
  ]);
  assert.equal(compareOrdinal("sha256:ab", "sha256:ab"), 0);
});

Deno.test("digits are grouped by three with commas", () => {
  assert.equal(groupDigits(5), "5");
  assert.equal(groupDigits(5000), "5,000");
  assert.equal(groupDigits(1234567), "1,234,567");
  assert.equal(groupDigits(65_534n), "65,534");
  assert.equal(groupDigits(999_999_999_999n), "999,999,999,999");
});

Deno.test("no ordering or number text goes through ICU (services/text.ts instead)", async () => {
  const icu = /\.localeCompare\(|\.toLocale\w*String\(|\bIntl\./;
  const found: string[] = [];
  for (const dir of ["services", "components", "routes", "middleware"]) {
    for await (const file of walk(`${ROOT}/${dir}`)) {
      const lines = (await Deno.readTextFile(file)).split("\n");
      lines.forEach((line, i) => {
        if (icu.test(line) && !line.trimStart().startsWith("*")) {
          found.push(`${file.slice(ROOT.length + 1)}:${i + 1}`);
        }
      });
    }
  }
  assert.deepEqual(found, []);
});

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) yield* walk(path);
    else if (/\.tsx?$/.test(e.name)) yield path;
  }
}

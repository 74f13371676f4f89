/**
 * `deno task compile` embeds exactly the folders the code resolves next to its modules (static
 * files, vendored assets, migrations), for both Linux targets, each after installing that
 * architecture's native addons, with the permissions the server needs (stacks run Compose).
 */
import assert from "node:assert/strict";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { migrationsFolder } from "../../db/client.ts";
import { staticDir } from "../../routes/static.ts";
import { BINARY_PERMISSIONS, compileArgs, TARGETS } from "../../scripts/compile.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** The values of every `--include` in the arguments. */
function includes(args: string[]): string[] {
  return args.flatMap((a, i) => (a === "--include" ? [args[i + 1]] : []));
}

Deno.test("compile: both Linux targets embed the static and migrations folders the code reads", () => {
  assert.deepEqual(TARGETS.map((t) => t.target), [
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
  ]);
  const wanted = [relative(root, staticDir), relative(root, migrationsFolder)];
  assert.deepEqual(wanted, ["static", "db/migrations"]);
  for (const t of TARGETS) {
    const args = compileArgs(t);
    assert.deepEqual(includes(args).sort(), [...wanted].sort(), t.target);
    assert.equal(args[args.indexOf("--target") + 1], t.target);
    assert.equal(args.at(-1), "main.ts");
    for (const p of BINARY_PERMISSIONS) assert.ok(args.includes(p), `${t.target}: ${p}`);
  }
  assert.ok(BINARY_PERMISSIONS.includes("--allow-run"), "stacks run the Compose binary");
});

Deno.test("compile: the deno task runs scripts/compile.ts after vendoring the assets", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${root}/deno.json`));
  assert.match(config.tasks.compile.command, /scripts\/compile\.ts$/);
  assert.deepEqual(config.tasks.compile.dependencies, ["vendor"]);
});

/**
 * `deno task start` (and `dev`, `reset-password`): runs main.ts as a child with the narrow
 * permissions of scripts/permissions.ts and the V8 flags and environment of scripts/v8-flags.ts.
 * This launcher has no dependencies of its own.
 * Usage: launch.ts [--watch] <command> [args…]
 */
import { fileURLToPath } from "node:url";
import { ConfigError } from "../config.ts";
import { serverPermissionFlags } from "./permissions.ts";
import { SERVER_ENV, V8_FLAGS } from "./v8-flags.ts";

const root = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
let flags: string[];
try {
  flags = serverPermissionFlags(Deno.env.toObject(), root);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  Deno.exit(78);
}
const watch = Deno.args[0] === "--watch";
const args = watch ? Deno.args.slice(1) : Deno.args;
const child = new Deno.Command(Deno.execPath(), {
  args: ["run", ...(watch ? ["--watch"] : []), ...V8_FLAGS, ...flags, `${root}/main.ts`, ...args],
  env: SERVER_ENV,
  stdin: "inherit",
  stdout: "inherit",
  stderr: "inherit",
}).spawn();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => child.kill(signal));
}
Deno.exit((await child.status).code);

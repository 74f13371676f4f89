/**
 * `deno task compile`: Linux binaries for x86_64 and aarch64 in dist/, each with static/ (the
 * vendored assets included) and the migrations embedded; the code finds both next to its own
 * modules (routes/static.ts, db/client.ts), which in a binary is its embedded file system.
 *
 * node_modules holds one architecture's native addons (libsql, argon2) at a time, and a binary
 * embeds node_modules as it is: so each target gets `deno install --os linux --arch …` first,
 * and the host's own set is put back at the end. Needs Deno's download host (for `denort`).
 */
import { fileURLToPath } from "node:url";
import { V8_FLAGS } from "./v8-flags.ts";

const root = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

export const TARGETS = [
  { target: "x86_64-unknown-linux-gnu", arch: "x64", output: "dist/dockermate-x86_64" },
  { target: "aarch64-unknown-linux-gnu", arch: "arm64", output: "dist/dockermate-aarch64" },
] as const;

/**
 * A binary cannot be given per-path permissions by its environment (scripts/permissions.ts
 * computes those for `deno task start`), so it gets the kinds the server needs.
 */
export const BINARY_PERMISSIONS = [
  "--allow-net",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-ffi",
  "--allow-sys",
  "--allow-run",
];

/** The `deno compile` arguments for one target. */
export function compileArgs(t: (typeof TARGETS)[number]): string[] {
  return [
    "compile",
    "--unstable-cron",
    ...V8_FLAGS,
    ...BINARY_PERMISSIONS,
    "--include",
    "static",
    "--include",
    "db/migrations",
    "--target",
    t.target,
    "--output",
    t.output,
    "main.ts",
  ];
}

async function deno(args: string[]): Promise<void> {
  const { code } = await new Deno.Command(Deno.execPath(), { args, cwd: root }).spawn().status;
  if (code !== 0) throw new Error(`deno ${args.join(" ")} exited with ${code}`);
}

if (import.meta.main) {
  try {
    for (const t of TARGETS) {
      await deno(["install", "--quiet", "--os", "linux", "--arch", t.arch]);
      await deno(compileArgs(t));
    }
  } finally {
    await deno(["install", "--quiet"]);
  }
}

/**
 * What a started server imports before any request: main.ts and services/monitoring.ts (which
 * every start builds, services/core.ts) with their static imports; an `import("…")` elsewhere
 * runs only when its work comes. Not the code that only an update check, a notification
 * delivery or a crash recovery needs: it would be resident memory of every idle server
 * (docs/measurements.md).
 */
import assert from "node:assert/strict";
import { ROOT } from "../helpers/server.ts";

type InfoModule = {
  specifier: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
};

/** Our modules that `entries` import statically, as `deno info` resolves them (from the root). */
async function staticImports(entries: string[]): Promise<Set<string>> {
  const modules = new Map<string, InfoModule>();
  for (const entry of entries) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    for (const m of JSON.parse(new TextDecoder().decode(out.stdout)).modules as InfoModule[]) {
      modules.set(m.specifier, m);
    }
  }
  const root = new URL(`file://${ROOT}/`).href;
  const seen = new Set<string>();
  const todo = entries.map((e) => `${root}${e}`);
  while (todo.length) {
    const spec = todo.pop()!;
    if (seen.has(spec)) continue;
    seen.add(spec);
    for (const d of modules.get(spec)?.dependencies ?? []) {
      if (d.code && !d.isDynamic) todo.push(d.code.specifier);
    }
  }
  return new Set(
    [...seen].filter((s) => s.startsWith(root) && !s.includes("/node_modules/"))
      .map((s) => s.slice(root.length)),
  );
}

Deno.test("an idle server does not import what only a check, a delivery or a recovery needs", async () => {
  const loaded = await staticImports(["main.ts", "services/monitoring.ts"]);
  // The start's own checks are there: the walk itself is right.
  for (
    const needed of [
      "services/interrupted.ts",
      "services/monitoring.ts",
      "services/updates/detect.ts",
    ]
  ) {
    assert.ok(loaded.has(needed), `${needed} is imported at start`);
  }
  for (
    const later of [
      "services/registry/client.ts",
      "services/registry/credentials.ts",
      "services/updates/registry-calls.ts",
      "services/notifications/senders.ts",
      "services/containers/recreate/journal.ts",
      "services/stacks/update-journal.ts",
      "services/stacks/model.ts",
    ]
  ) {
    assert.ok(!loaded.has(later), `${later} is imported at start`);
  }
});

/** DATA_DIR and what it holds are readable by DockerMate's user only, new or found looser. */
import assert from "node:assert/strict";
import { setupAndLogin } from "../helpers/client.ts";
import { startServer } from "../helpers/server.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

async function mode(path: string): Promise<string> {
  return ((await Deno.stat(path)).mode! & 0o777).toString(8);
}

/** The modes of the folder and of every file in it, by name. */
async function modes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = { ".": await mode(dir) };
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile) out[e.name] = await mode(`${dir}/${e.name}`);
  }
  return out;
}

Deno.test("a new DATA_DIR is 0700 and its database, WAL and key files 0600", opts, async () => {
  const parent = await Deno.makeTempDir({ prefix: "dockermate-datadir-" });
  const dataDir = `${parent}/data`;
  const server = await startServer({}, { dataDir });
  try {
    // A setup writes the admin and a session: the WAL holds them.
    await setupAndLogin(server.url);
    const found = await modes(dataDir);
    assert.ok(found["dockermate.db"] && found["secret.key"], JSON.stringify(found));
    assert.ok(found["dockermate.db-wal"], "the WAL file exists while the server runs");
    assert.deepEqual(
      Object.entries(found).filter(([name, m]) => m !== (name === "." ? "700" : "600")),
      [],
    );
  } finally {
    await server.stop();
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test(
  "a DATA_DIR left readable by others is tightened at start, and the log says so",
  opts,
  async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "dockermate-datadir-" });
    const first = await startServer({}, { dataDir });
    await first.stop();
    // As an older version (or a copy with cp) left them.
    await Deno.chmod(dataDir, 0o755);
    await Deno.chmod(`${dataDir}/dockermate.db`, 0o644);
    await Deno.chmod(`${dataDir}/secret.key`, 0o640);
    const server = await startServer({}, { dataDir });
    try {
      const found = await modes(dataDir);
      assert.equal(found["."], "700");
      assert.equal(found["dockermate.db"], "600");
      assert.equal(found["secret.key"], "600");
      assert.match(server.output(), /dockermate\.db was readable by others \(mode 644\): now 600/);
      assert.match(server.output(), /secret\.key was readable by others \(mode 640\): now 600/);
      await setupAndLogin(server.url);
    } finally {
      await server.stop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
);

/**
 * What a `deno compile` binary relies on, checked without building one (these machines cannot
 * download Deno's runtime for it): the server finds static files, the vendored assets and the
 * migrations next to its own modules, never in the working directory. Started from an empty
 * folder, it serves them byte for byte and migrates a fresh database to the last migration.
 */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { setupAndLogin } from "../helpers/client.ts";
import { ROOT, startServer } from "../helpers/server.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "started from another working directory: static and vendor files served, a fresh database migrated",
  opts,
  async () => {
    const cwd = await Deno.makeTempDir({ prefix: "dockermate-cwd-" });
    const server = await startServer({}, { cwd });
    try {
      for (
        const file of ["vendor/htmx.min.js", "vendor/codemirror.js", "css/app.css", "js/app.js"]
      ) {
        const res = await fetch(`${server.url}/static/${file}`);
        assert.equal(res.status, 200, file);
        const served = new Uint8Array(await res.arrayBuffer());
        assert.deepEqual(served, await Deno.readFile(`${ROOT}/static/${file}`), file);
      }
      const page = await fetch(`${server.url}/login`);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get("strict-transport-security"), null, "no HSTS over HTTP");
      assert.match(await page.text(), /\/static\/vendor\/htmx\.min\.js/);

      // The fresh database got every committed migration, and works.
      await setupAndLogin(server.url);
      const journal = JSON.parse(
        await Deno.readTextFile(`${ROOT}/db/migrations/meta/_journal.json`),
      );
      const db = createClient({ url: `file:${server.dataDir}/dockermate.db` });
      try {
        const applied = await db.execute("SELECT count(*) AS n FROM __drizzle_migrations");
        assert.equal(Number(applied.rows[0].n), journal.entries.length);
      } finally {
        db.close();
      }
      // Nothing was written where it was started from.
      assert.deepEqual([...Deno.readDirSync(cwd)], []);
    } finally {
      await server.stop();
      await Deno.remove(cwd, { recursive: true });
    }
  },
);

/**
 * Volumes against the real daemon, through the JSON API, each answer checked against Docker
 * itself: the name rule, create and its CLI, the list (size from /system/df, users), delete
 * refused while in use, browsing (types, sizes, links shown and never followed, paths that
 * leave the volume refused), downloads byte for byte, backup → restore into a new volume byte
 * for byte, restores refused (non-empty target, not a .tar.gz, an entry outside), prune whose
 * preview is exactly what goes (only this run's volumes, by label), and the helper containers:
 * created, never started, gone after each request.
 */
import assert from "node:assert/strict";
import { withApp } from "../helpers/app.ts";
import { docker, dockerApi, dockerSocket, TEST_LABEL } from "../helpers/docker.ts";
import { waitFor } from "../helpers/server.ts";
import {
  fill,
  helpersOf,
  makeTarGz,
  removeLabeledVolumes,
  sha256,
  sha256In,
  tarFacts,
  volumeFacts,
} from "../helpers/volumes.ts";
import { images } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

type Entry = { name: string; type: string; size: number | null; target: string | null };
type Row = {
  name: string;
  driver: string;
  mountpoint: string;
  size: number | null;
  usedBy: { name: string; state: string; at: string }[];
  unused: boolean;
  labels: Record<string, string>;
};
type ErrorBody = { error: string; message: string; usedBy?: { name: string }[] };

const byName = (entries: Entry[], name: string) => {
  const e = entries.find((x) => x.name === name);
  assert.ok(e, `${name} in ${entries.map((x) => x.name).join(", ")}`);
  return e;
};

Deno.test(
  "volumes: create, list, in use, browse, download, backup and restore, prune",
  opts,
  () =>
    withApp(async ({ client, run }) => {
      const label = { [TEST_LABEL]: run };
      const data = `${run}-data`;
      const copy = `${run}-copy`;
      const files = (name: string, path: string) =>
        client.json<Entry[] | ErrorBody>(
          "GET",
          `/api/v1/volumes/${name}/files?path=${encodeURIComponent(path)}`,
        );
      const download = (name: string, path: string) =>
        client.request("GET", `/api/v1/volumes/${name}/download?path=${encodeURIComponent(path)}`);
      const restore = (name: string, body: Uint8Array, query = "") =>
        fetch(`${client.base}/api/v1/volumes/${name}/restore${query}`, {
          method: "POST",
          headers: {
            cookie: client.cookie!,
            origin: client.base,
            "content-type": "application/gzip",
          },
          body: body as Uint8Array<ArrayBuffer>,
        });
      const since = Math.floor(Date.now() / 1000);
      try {
        // --- create ---------------------------------------------------------------------------
        for (const bad of ["-bad", "a", "has space", "x/y"]) {
          const r = await client.json<ErrorBody>("POST", "/api/v1/volumes", { name: bad });
          assert.equal(r.status, 400, bad);
          assert.match(r.body.message, /^name: /, bad);
        }
        const reserved = await client.json<ErrorBody>("POST", "/api/v1/volumes", {
          name: `${run}-x`,
          labels: { "com.dockermate.managed": "true" },
        });
        assert.equal(reserved.status, 400);
        assert.match(reserved.body.message, /^labels/);

        const created = await client.json<{ name: string; cli: string }>(
          "POST",
          "/api/v1/volumes",
          {
            name: data,
            driver: "local",
            labels: { ...label, "com.example.role": "test data" },
          },
        );
        assert.equal(created.status, 201, JSON.stringify(created.body));
        assert.equal(
          created.body.cli,
          `docker volume create --driver local --label ${TEST_LABEL}=${run} ` +
            `--label 'com.example.role=test data' ${data}`,
        );
        const inspected = await dockerApi<{ Driver: string; Labels: Record<string, string> }>(
          `/volumes/${data}`,
        );
        assert.equal(inspected.Driver, "local");
        assert.equal(inspected.Labels["com.example.role"], "test data");
        const again = await client.json<ErrorBody>("POST", "/api/v1/volumes", {
          name: data,
          labels: label,
        });
        assert.equal(again.status, 409);
        assert.match(again.body.message, /^name: .*exists already/);

        await fill(run, data);

        // --- list, and delete refused while in use --------------------------------------------
        await waitFor(
          "the size from /system/df",
          async () => {
            const list = await client.json<Row[]>("GET", "/api/v1/volumes");
            const row = list.body.find((r) => r.name === data);
            return (row?.size ?? 0) >= 100 * 1024;
          },
          20_000,
          500,
        );
        const user = `${run}-user`;
        await docker([
          "create",
          "--name",
          user,
          "--label",
          `${TEST_LABEL}=${run}`,
          "-v",
          `${data}:/srv/data`,
          images.base,
        ]);
        await waitFor("the list to name its user", async () => {
          const list = await client.json<Row[]>("GET", "/api/v1/volumes");
          const row = list.body.find((r) => r.name === data)!;
          return row.usedBy.some((u) => u.name === user && u.at === "/srv/data") && !row.unused;
        });
        const refused = await client.json<ErrorBody>("DELETE", `/api/v1/volumes/${data}`);
        assert.equal(refused.status, 409);
        assert.match(
          refused.body.message,
          new RegExp(`used by 1 container: ${user} \\(created\\)`),
        );
        assert.deepEqual(refused.body.usedBy?.map((u) => u.name), [user]);
        await dockerApi(`/volumes/${data}`);
        await docker(["rm", user]);

        // --- browse -----------------------------------------------------------------------------
        const root = await files(data, "/");
        assert.equal(root.status, 200, JSON.stringify(root.body));
        const top = root.body as Entry[];
        assert.deepEqual(
          top.map((e) => [e.name, e.type]),
          [
            ["dir", "directory"],
            ["empty", "directory"],
            ["escape", "symlink"],
            ["hello.txt", "file"],
            ["weird name ü.txt", "file"],
          ],
        );
        assert.equal(byName(top, "hello.txt").size, 6);
        assert.equal(byName(top, "empty").size, 0);
        // A folder's size is that of the files under it.
        assert.equal(byName(top, "dir").size, 100 * 1024 + "#!/bin/sh\necho run\n".length);
        assert.equal(byName(top, "escape").target, "/etc");
        const dir = (await files(data, "dir//./")).body as Entry[];
        assert.deepEqual(dir.map((e) => [e.name, e.type, e.target]), [
          ["sub", "directory", null],
          ["link", "symlink", "../hello.txt"],
          ["run.sh", "file", null],
        ]);
        const sub = (await files(data, "/dir/sub")).body as Entry[];
        assert.deepEqual(sub.map((e) => [e.name, e.size]), [["deep.bin", 100 * 1024]]);

        // --- paths that leave the volume --------------------------------------------------------
        for (const path of ["../..", "/dir/../../etc", "/escape", "/escape/passwd", "/dir/link"]) {
          const r = await files(data, path);
          assert.equal(r.status, 400, `${path}: ${JSON.stringify(r.body)}`);
          assert.match((r.body as ErrorBody).message, /^path: /, path);
        }
        assert.match(((await files(data, "/escape/passwd")).body as ErrorBody).message, /outside/);
        assert.match(
          ((await files(data, "/dir/link")).body as ErrorBody).message,
          /open \/hello\.txt instead/,
        );
        // `/etc` is the volume's own etc, which it has not: no host or helper file is read.
        const etc = await files(data, "/etc");
        assert.equal(etc.status, 404);
        assert.match((etc.body as ErrorBody).message, /^path: \/etc does not exist/);
        const notFolder = await files(data, "/hello.txt");
        assert.equal(notFolder.status, 400);
        assert.match((notFolder.body as ErrorBody).message, /^path: .*is a file/);

        // --- downloads --------------------------------------------------------------------------
        const deep = await download(data, "/dir/sub/deep.bin");
        assert.equal(deep.status, 200);
        assert.match(deep.headers.get("content-disposition") ?? "", /filename="deep\.bin"/);
        assert.equal(deep.headers.get("content-length"), String(100 * 1024));
        const deepBytes = new Uint8Array(await deep.arrayBuffer());
        assert.equal(sha256(deepBytes), await sha256In(run, data, "/dir/sub/deep.bin"));
        const weird = await download(data, "/weird name ü.txt");
        assert.match(
          weird.headers.get("content-disposition") ?? "",
          /filename\*=UTF-8''weird%20name%20%C3%BC\.txt/,
        );
        assert.equal(await weird.text(), "umlaut\n");
        const folder = await download(data, "/dir");
        assert.equal(folder.status, 200);
        assert.equal(folder.headers.get("content-type"), "application/x-tar");
        assert.match(folder.headers.get("content-disposition") ?? "", /filename="dir\.tar"/);
        const inFolder = await tarFacts(new Uint8Array(await folder.arrayBuffer()));
        assert.deepEqual(inFolder.map((f) => [f.name, f.type, f.mode, f.linkname]), [
          ["dir/", "directory", "755", null],
          ["dir/link", "symlink", "777", "../hello.txt"],
          ["dir/run.sh", "file", "755", null],
          ["dir/sub/", "directory", "755", null],
          ["dir/sub/deep.bin", "file", "600", null],
        ]);
        assert.equal(inFolder[4].sha256, sha256(deepBytes));
        const escapeDownload = await download(data, "/escape/passwd");
        assert.equal(escapeDownload.status, 400);
        await escapeDownload.body?.cancel();

        // --- backup, restore into a new volume --------------------------------------------------
        const backup = await client.request("GET", `/api/v1/volumes/${data}/backup`);
        assert.equal(backup.status, 200);
        assert.equal(backup.headers.get("content-type"), "application/gzip");
        assert.match(
          backup.headers.get("content-disposition") ?? "",
          new RegExp(`filename="${data}-\\d{8}-\\d{6}\\.tar\\.gz"`),
        );
        const backupBytes = new Uint8Array(await backup.arrayBuffer());
        const backedUp = await tarFacts(backupBytes, { gzip: true });
        assert.deepEqual(backedUp.map((f) => f.name).slice(0, 3), ["./", "./dir/", "./dir/link"]);
        assert.equal(backedUp.find((f) => f.name === "./hello.txt")?.mode, "640");

        const restored = await restore(copy, backupBytes, `?label=${TEST_LABEL}=${run}`);
        const restoredBody = await restored.json();
        assert.equal(restored.status, 201, JSON.stringify(restoredBody));
        assert.equal(restoredBody.created, true);
        assert.equal(restoredBody.entries, backedUp.length);
        assert.match(restoredBody.cli, /tar -xzf - -C \/v/);
        const copyInspect = await dockerApi<{ Labels: Record<string, string> }>(`/volumes/${copy}`);
        assert.equal(copyInspect.Labels[TEST_LABEL], run);
        // Both ways: Docker sees the same files, modes, owners, links and bytes in both volumes,
        // and a backup of the copy holds what the first backup held.
        assert.equal(await volumeFacts(run, copy), await volumeFacts(run, data));
        const second = await client.request("GET", `/api/v1/volumes/${copy}/backup`);
        const secondFacts = await tarFacts(new Uint8Array(await second.arrayBuffer()), {
          gzip: true,
        });
        assert.deepEqual(secondFacts, backedUp);

        // --- restores that are refused ----------------------------------------------------------
        const full = await restore(data, backupBytes);
        const fullBody = await full.json();
        assert.equal(full.status, 409, JSON.stringify(fullBody));
        assert.match(fullBody.message, new RegExp(`^name: volume ${data} is not empty`));
        for (
          const [what, body] of [
            ["not gzip", new TextEncoder().encode("hello, not a backup")],
            ["gzip, not tar", await gzipOf("just text, no tar header here")],
            ["an entry above the root", await makeTarGz([{ name: "../evil", body: "x" }])],
            ["a device", await makeTarGz([{ name: "dev", type: "character-device" }])],
          ] as const
        ) {
          const bad = `${run}-bad`;
          const r = await restore(bad, body, `?label=${TEST_LABEL}=${run}`);
          const b = await r.json();
          assert.equal(r.status, 400, `${what}: ${JSON.stringify(b)}`);
          assert.match(b.message, /^file: /, what);
          const left = await fetchVolume(bad);
          assert.equal(left, null, `${what}: the volume made for the restore is gone again`);
        }

        const wrongType = await client.json<ErrorBody>(
          "POST",
          `/api/v1/volumes/${run}-bad/restore`,
          {
            not: "a backup",
          },
        );
        assert.equal(wrongType.status, 415);
        assert.match(
          wrongType.body.message,
          /^Content-Type: volume backups are sent as application\/gzip/,
        );

        // --- prune: the preview is exactly what goes --------------------------------------------
        const pruneLabel = `dmtest.prune=${run}`;
        const p1 = `${run}-p1`;
        const p2 = `${run}-p2`;
        for (const name of [p1, p2]) {
          await docker([
            "volume",
            "create",
            "--label",
            `${TEST_LABEL}=${run}`,
            "--label",
            pruneLabel,
            name,
          ]);
        }
        await docker([
          "volume",
          "create",
          "--label",
          `${TEST_LABEL}=${run}`,
          "--label",
          pruneLabel,
        ]);
        await docker([
          "create",
          "--name",
          `${run}-holder`,
          "--label",
          `${TEST_LABEL}=${run}`,
          "-v",
          `${p2}:/x`,
          images.base,
        ]);
        const labelled = async () =>
          (await dockerApi<{ Volumes: { Name: string }[] }>(
            `/volumes?filters=${encodeURIComponent(JSON.stringify({ label: [pruneLabel] }))}`,
          )).Volumes.map((v) => v.Name).sort();
        for (const all of [false, true]) {
          const before = await labelled();
          const plan = await client.json<{
            candidates: { name: string }[];
            kept: { name: string; reason: string }[];
            totalSize: number;
            cli: string;
          }>(
            "GET",
            `/api/v1/volumes/-/prune?label=${encodeURIComponent(pruneLabel)}${all ? "&all=1" : ""}`,
          );
          assert.equal(plan.status, 200, JSON.stringify(plan.body));
          assert.match(plan.body.cli, new RegExp(`^docker volume prune --force.*--filter label=`));
          const names = plan.body.candidates.map((c) => c.name).sort();
          assert.ok(!names.includes(p2), "a volume in use is never in the preview");
          const done = await client.json<{ removed: string[]; notRemoved: string[]; cli: string }>(
            "POST",
            "/api/v1/volumes/-/prune",
            { all, labels: [pruneLabel], expected: names },
          );
          assert.equal(done.status, 200, JSON.stringify(done.body));
          assert.deepEqual(done.body.removed, names, `all=${all}`);
          assert.deepEqual(done.body.notRemoved, []);
          assert.deepEqual(await labelled(), before.filter((n) => !names.includes(n)));
        }
        // After a prune of all: only the volume in use is left of the labelled ones.
        assert.deepEqual(await labelled(), [p2]);
        await docker(["rm", `${run}-holder`]);

        // --- helpers: created for the reads and writes, never started, all gone ----------------
        const events = await helperEvents(since, [data, copy]);
        assert.ok(events.filter((e) => e === "create").length >= 10, events.join(" "));
        assert.equal(events.filter((e) => e === "start").length, 0, events.join(" "));
        assert.deepEqual(await helpersOf([data, copy, `${run}-bad`]), []);

        // --- remove ---------------------------------------------------------------------------
        const removed = await client.json<{ cli: string }>("DELETE", `/api/v1/volumes/${copy}`);
        assert.equal(removed.status, 200);
        assert.equal(removed.body.cli, `docker volume rm ${copy}`);
        assert.equal(await fetchVolume(copy), null);

        const audit = await client.json<{ action: string }[]>("GET", "/api/v1/audit?limit=200");
        const actions = new Set(audit.body.map((a) => a.action));
        for (
          const a of [
            "volume.create",
            "volume.remove",
            "volume.prune",
            "volume.download",
            "volume.backup",
            "volume.restore",
          ]
        ) assert.ok(actions.has(a), a);
      } finally {
        await removeLabeledVolumes(run);
      }
    }),
);

async function gzipOf(text: string): Promise<Uint8Array> {
  const gz = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(gz).arrayBuffer());
}

async function fetchVolume(name: string): Promise<unknown> {
  try {
    return await dockerApi(`/volumes/${name}`);
  } catch (err) {
    if (/404/.test(String(err))) return null;
    throw err;
  }
}

/** The actions of helper containers of `volumes` since `since` (Unix seconds), as Docker logged them. */
async function helperEvents(since: number, volumes: string[]): Promise<string[]> {
  const filters = encodeURIComponent(
    JSON.stringify({
      type: ["container"],
      label: ["com.dockermate.helper"],
    }),
  );
  const until = Math.ceil(Date.now() / 1000);
  const res = await fetch(
    `http://docker/events?since=${since}&until=${until}&filters=${filters}`,
    { client: dockerSocket() },
  );
  const text = await res.text();
  return text.split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((e) =>
    volumes.includes(e.Actor.Attributes["com.dockermate.helper.volume"])
  ).map((e) => e.Action);
}

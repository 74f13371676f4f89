/**
 * The pure parts of volumes: paths inside a volume, the entries a restore lets through, the
 * helper container's body (nothing can run), the CLI lines, a folder read from a tar, the
 * download header, and the one cached /system/df reader (against a fake daemon).
 */
import assert from "node:assert/strict";
import tar from "tar-stream";
import { permissions } from "../../components/volumes/files.tsx";
import { attachmentHeader } from "../../routes/http/download.ts";
import { DockerClient } from "../../services/docker/client.ts";
import { DiskUsageReader } from "../../services/docker/system.ts";
import { InvalidInput } from "../../services/errors.ts";
import { checkedHeader } from "../../services/volumes/backup.ts";
import { readFolder } from "../../services/volumes/browse.ts";
import {
  backupCli,
  browseCli,
  createCli,
  pruneCli,
  restoreCli,
} from "../../services/volumes/cli.ts";
import { helperBody } from "../../services/volumes/helper.ts";
import {
  fromHelperPath,
  helperPath,
  MOUNT,
  pathSteps,
  volumePath,
} from "../../services/volumes/paths.ts";
import { volumeCreateSchema, volumeNameSchema } from "../../services/volumes/schemas.ts";

function refusedAt(field: string, fn: () => unknown): InvalidInput {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof InvalidInput, String(err));
    assert.equal(err.field, field, err.message);
    return err;
  }
  throw new Error("not refused");
}

Deno.test("volume paths: normalised, never above the root", () => {
  assert.equal(volumePath(""), "/");
  assert.equal(volumePath("/"), "/");
  assert.equal(volumePath("dir//sub/./x/"), "/dir/sub/x");
  assert.equal(volumePath("/a/../b"), "/b");
  // `/etc` is the volume's own etc, not the host's.
  assert.equal(volumePath("/etc"), "/etc");
  for (const bad of ["..", "../..", "/a/../../etc", "/../x"]) {
    assert.match(refusedAt("path", () => volumePath(bad)).message, /leaves the volume/);
  }
  refusedAt("path", () => volumePath("/a\0b"));
  assert.deepEqual(pathSteps("/a/b/c"), ["/a", "/a/b", "/a/b/c"]);
  assert.deepEqual(pathSteps("/"), []);
  assert.equal(helperPath("/"), `${MOUNT}/.`);
  assert.equal(helperPath("/a b"), `${MOUNT}/a b`);
  assert.equal(fromHelperPath(`${MOUNT}/a.txt`), "/a.txt");
  assert.equal(fromHelperPath(MOUNT), "/");
  assert.equal(fromHelperPath("/etc"), null);
  assert.equal(fromHelperPath(`${MOUNT}-other/x`), null);
});

Deno.test("names and labels: Docker's rule, reserved labels refused", () => {
  for (const ok of ["ab", "app-data", "a.b_c-1", "0x"]) {
    assert.ok(volumeNameSchema.safeParse(ok).success);
  }
  for (const bad of ["a", "-a", ".a", "a b", "a/b", "ä-b", ""]) {
    assert.ok(!volumeNameSchema.safeParse(bad).success, bad);
  }
  const reserved = volumeCreateSchema.safeParse({
    name: "data",
    labels: { "com.dockermate.managed": "true" },
  });
  assert.ok(!reserved.success);
  assert.deepEqual(reserved.error.issues[0].path.slice(0, 1), ["labels"]);
  assert.deepEqual(volumeCreateSchema.parse({ name: "data" }), {
    name: "data",
    driver: "local",
    options: {},
    labels: {},
  });
});

Deno.test("restore: entries that would leave the volume or are devices are refused", () => {
  const base = {
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: 1,
    mtime: new Date(0),
    linkname: null as unknown as string,
    uname: "",
    gname: "",
    devmajor: 0,
    devminor: 0,
  };
  for (const name of ["../x", "a/../../x", "/etc/passwd", "./.."]) {
    refusedAt("file", () => checkedHeader({ ...base, name, type: "file" }));
  }
  refusedAt("file", () => checkedHeader({ ...base, name: "dev", type: "character-device" }));
  refusedAt("file", () => checkedHeader({ ...base, name: "sda", type: "block-device" }));
  refusedAt("file", () => checkedHeader({ ...base, name: "h", type: "link", linkname: "../x" }));
  // A symbolic link may point anywhere: it is stored, never followed here.
  const link = checkedHeader({ ...base, name: "./l", type: "symlink", linkname: "/etc" });
  assert.equal(link.linkname, "/etc");
  assert.equal(link.size, 0);
  const file = checkedHeader({
    ...base,
    name: "./dir/a..b",
    type: "contiguous-file",
    mode: 0o4755,
  });
  assert.equal(file.type, "file");
  assert.equal(file.mode, 0o4755);
});

Deno.test("the helper container: nothing in it can run, the volume read-only unless written", () => {
  const read = helperBody("sha256:abc", "data", { write: false, purpose: "browse" });
  assert.equal(read.Image, "sha256:abc");
  assert.deepEqual(read.Cmd, []);
  assert.equal(read.Entrypoint?.length, 1);
  assert.match(String(read.Entrypoint?.[0]), /^\/dockermate-helper-is-never-started$/);
  assert.equal(read.NetworkDisabled, true);
  assert.equal(read.HostConfig?.NetworkMode, "none");
  assert.equal(read.HostConfig?.ReadonlyRootfs, true);
  assert.deepEqual(read.HostConfig?.Mounts, [{
    Type: "volume",
    Source: "data",
    Target: MOUNT,
    ReadOnly: true,
    VolumeOptions: { NoCopy: true },
  }]);
  assert.equal(read.Labels?.["com.dockermate.helper"], "volume");
  assert.equal(read.Labels?.["com.dockermate.helper.volume"], "data");
  const write = helperBody("sha256:abc", "data", { write: true, purpose: "restore" });
  assert.equal(write.HostConfig?.Mounts?.[0].ReadOnly, false);
});

Deno.test("CLI lines: quoted, the prune's --all only where Docker has it", () => {
  assert.equal(
    createCli({
      name: "data",
      driver: "local",
      options: { type: "tmpfs", o: "size=10m" },
      labels: { owner: "me and you" },
    }),
    "docker volume create --driver local --opt type=tmpfs --opt o=size=10m " +
      "--label 'owner=me and you' data",
  );
  assert.equal(
    pruneCli({ all: true, labels: ["a=b"] }, true),
    "docker volume prune --force --all --filter label=a=b",
  );
  assert.equal(pruneCli({ all: true, labels: [] }, false), "docker volume prune --force");
  assert.match(
    browseCli("data", "/a b"),
    /\ndocker run --rm -v data:\/v:ro busybox ls -la '\/v\/a b'$/,
  );
  assert.match(backupCli("data", "data.tar.gz"), /busybox tar -czf - -C \/v \. > data\.tar\.gz$/);
  assert.match(
    restoreCli("data", "data.tar.gz", true),
    /\ndocker volume create data\ndocker run --rm -i -v data:\/v busybox tar -xzf - -C \/v < data\.tar\.gz$/,
  );
});

async function tarOf(
  entries: {
    name: string;
    type?: "file" | "directory" | "symlink";
    body?: string;
    linkname?: string;
  }[],
) {
  const pack = tar.pack();
  for (const e of entries) {
    pack.entry(
      { name: e.name, type: e.type ?? "file", linkname: e.linkname, mode: 0o640 },
      e.body ?? "",
    );
  }
  pack.finalize();
  const chunks: Uint8Array[] = [];
  for await (const c of pack) chunks.push(c as Uint8Array);
  return new Blob(chunks as Uint8Array<ArrayBuffer>[]).stream();
}

Deno.test("a folder from its tar: what is right in it, folder sizes from what is under them", async () => {
  const folder = await readFolder(
    await tarOf([
      { name: "dir/", type: "directory" },
      { name: "dir/b.txt", body: "12345" },
      { name: "dir/sub/", type: "directory" },
      { name: "dir/sub/deep/", type: "directory" },
      { name: "dir/sub/deep/x", body: "abc" },
      { name: "dir/sub/y", body: "de" },
      { name: "dir/link", type: "symlink", linkname: "../b.txt" },
      { name: "dir/a.txt", body: "" },
    ]),
    "/dir",
  );
  assert.deepEqual(
    folder.entries.map((e) => [e.name, e.path, e.type, e.size, e.target]),
    [
      ["sub", "/dir/sub", "directory", 5, null],
      ["a.txt", "/dir/a.txt", "file", 0, null],
      ["b.txt", "/dir/b.txt", "file", 5, null],
      ["link", "/dir/link", "symlink", 0, "../b.txt"],
    ],
  );
  assert.equal(folder.entries[1].mode, "0640");
  assert.equal(folder.size, 10);
  assert.equal(folder.more, 0);
  const root = await readFolder(
    await tarOf([{ name: "./", type: "directory" }, { name: "./f", body: "x" }]),
    "/",
  );
  assert.deepEqual(root.entries.map((e) => e.path), ["/f"]);
});

Deno.test("downloads: the header names the file, whatever its name holds", () => {
  assert.equal(
    attachmentHeader("a.txt"),
    `attachment; filename="a.txt"; filename*=UTF-8''a.txt`,
  );
  const odd = attachmentHeader('x"; evil=1\r\nSet-Cookie: a ü.txt');
  assert.doesNotMatch(odd, /[\r\n]/);
  assert.match(
    odd,
    /^attachment; filename="x__ evil=1__Set-Cookie: a _\.txt"; filename\*=UTF-8''x%22%3B%20evil%3D1%0D%0ASet-Cookie%3A%20a%20%C3%BC\.txt$/,
  );
  assert.equal(permissions("0755"), "rwxr-xr-x");
  assert.equal(permissions("0640"), "rw-r-----");
});

Deno.test("/system/df: read once, again after a change but not sooner than the interval", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-fake-df-" });
  let reads = 0;
  const server = Deno.serve({ path: `${dir}/docker.sock`, onListen: () => {} }, (req) => {
    if (new URL(req.url).pathname === "/_ping") {
      return new Response("OK", { headers: { "api-version": "1.41" } });
    }
    reads++;
    return Response.json({
      LayersSize: reads,
      Images: [],
      Containers: [],
      Volumes: [],
      BuildCache: [],
    });
  });
  try {
    const docker = new DockerClient({ host: `unix://${dir}/docker.sock`, tlsVerify: false });
    const df = new DiskUsageReader(docker, { minIntervalMs: 300, maxAgeMs: 60_000 });
    assert.equal(df.last, null);
    assert.equal((await df.current()).value.LayersSize, 1);
    assert.equal((await df.current()).value.LayersSize, 1, "not due: the cached figures");
    assert.equal((await df.upTo(1000))?.value.LayersSize, 1);
    df.changed();
    const started = Date.now();
    // A caller that may not wait gets the last figures; the read waits for the interval.
    assert.equal((await df.upTo(0))?.value.LayersSize, 1);
    assert.equal((await df.current()).value.LayersSize, 2);
    assert.ok(Date.now() - started >= 250, "not sooner than the interval after the last read");
    assert.equal(reads, 2);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

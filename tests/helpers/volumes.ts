/**
 * Volumes for the volume tests: filled with known files by a labelled container, read back
 * through Docker itself (to check the app's word against), tar streams read with tar-stream,
 * and removed by the run's label.
 */
import { createHash } from "node:crypto";
import tar, { type Header } from "tar-stream";
import { images } from "../testbed/images.ts";
import { docker, dockerApi, engine, TEST_LABEL } from "./docker.ts";

/**
 * What fill() writes: a file with mode 640, a nested folder with an executable, random bytes
 * deep down, a link inside the volume, a link to /etc (outside), a name with a space and an
 * umlaut, an empty folder. The random file makes downloads and backups byte-checkable.
 */
const FILL = [
  "set -e",
  "cd /v",
  "printf 'hello\\n' > hello.txt && chmod 640 hello.txt",
  "mkdir -p dir/sub empty",
  "printf '#!/bin/sh\\necho run\\n' > dir/run.sh && chmod 755 dir/run.sh",
  "dd if=/dev/urandom of=dir/sub/deep.bin bs=1024 count=100 2>/dev/null && chmod 600 dir/sub/deep.bin",
  "ln -s ../hello.txt dir/link",
  "ln -s /etc escape",
  "printf 'umlaut\\n' > 'weird name ü.txt'",
].join("\n");

/** Runs `script` in a throwaway labelled container with `volume` at /v; its output. */
export function inVolume(run: string, volume: string, script: string): Promise<string> {
  return docker([
    "run",
    "--rm",
    "--label",
    `${TEST_LABEL}=${run}`,
    "-v",
    `${volume}:/v`,
    images.base,
    "sh",
    "-c",
    script,
  ]);
}

export function fill(run: string, volume: string): Promise<string> {
  return inVolume(run, volume, FILL);
}

/**
 * Everything in a volume as Docker sees it, one line each: path, mode, owner, size and type
 * (a link with its target), and each file's SHA-256. Equal for two volumes: same content.
 */
export function volumeFacts(run: string, volume: string): Promise<string> {
  return inVolume(
    run,
    volume,
    "cd /v && find . | sort | while read -r f; do stat -c '%n %a %u:%g %F %N' \"$f\"; " +
      '[ -f "$f" ] && [ ! -L "$f" ] && sha256sum "$f"; done; true',
  );
}

/** The SHA-256 of a file in the volume, as Docker's side computes it. */
export async function sha256In(run: string, volume: string, path: string): Promise<string> {
  return (await inVolume(run, volume, `sha256sum '/v${path}'`)).split(/\s+/)[0];
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** An entry of a tar as the tests compare them; `sha256` for files. */
export type TarFact = {
  name: string;
  type: string;
  mode: string;
  owner: string;
  size: number;
  linkname: string | null;
  sha256: string | null;
};

/** Every entry of a tar (gunzipped first when `gzip`), in order. */
export async function tarFacts(bytes: Uint8Array, opts: { gzip?: boolean } = {}) {
  let body = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
  if (opts.gzip) {
    body = body.pipeThrough(
      new DecompressionStream("gzip") as ReadableWritablePair<Uint8Array<ArrayBuffer>, Uint8Array>,
    );
  }
  const extract = tar.extract();
  const facts: TarFact[] = [];
  const reading = (async () => {
    for await (const entry of extract) {
      const h: Header = entry.header;
      const chunks: Uint8Array[] = [];
      for await (const chunk of entry) chunks.push(chunk as Uint8Array);
      const content = new Uint8Array(
        await new Blob(chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer(),
      );
      facts.push({
        name: h.name,
        type: h.type,
        mode: (h.mode & 0o7777).toString(8),
        owner: `${h.uid}:${h.gid}`,
        size: h.size,
        linkname: h.linkname ?? null,
        sha256: h.type === "file" ? sha256(content) : null,
      });
    }
  })();
  for await (const chunk of body) extract.write(chunk);
  extract.end(undefined);
  await reading;
  return facts;
}

/** A `.tar.gz` of the given entries (files with their text), for restores of crafted archives. */
export async function makeTarGz(
  entries: { name: string; type?: Header["type"]; body?: string; linkname?: string }[],
): Promise<Uint8Array> {
  const pack = tar.pack();
  for (const e of entries) {
    pack.entry({ name: e.name, type: e.type ?? "file", linkname: e.linkname }, e.body ?? "");
  }
  pack.finalize();
  const chunks: Uint8Array[] = [];
  for await (const chunk of pack) chunks.push(chunk as Uint8Array);
  const tarBytes = new Blob(chunks as Uint8Array<ArrayBuffer>[]).stream();
  const gz = tarBytes.pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(gz).arrayBuffer());
}

/** The run's volumes, whatever their names (Docker names some): by the run's label. */
export async function removeLabeledVolumes(run: string): Promise<void> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${TEST_LABEL}=${run}`] }));
  const { Volumes } = await dockerApi<{ Volumes: { Name: string }[] | null }>(
    `/volumes?filters=${filters}`,
  );
  for (const v of Volumes ?? []) {
    await engine("DELETE", `/volumes/${encodeURIComponent(v.Name)}`).catch(() => {});
  }
}

/** Helper containers DockerMate left for these volumes (there should be none). */
export async function helpersOf(volumes: string[]): Promise<string[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: ["com.dockermate.helper"] }));
  const found = await dockerApi<{ Id: string; Labels: Record<string, string> }[]>(
    `/containers/json?all=1&filters=${filters}`,
  );
  return found.filter((c) => volumes.includes(c.Labels["com.dockermate.helper.volume"]))
    .map((c) => c.Id);
}

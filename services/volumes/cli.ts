/**
 * The Docker CLI of each volume action, quoted so it pastes into a shell as is. Browsing,
 * downloads, backup and restore show what a user would type with `docker run`, marked as the
 * equivalent: DockerMate itself runs no command (./helper.ts says what it does instead).
 */
import { shellArg, shellJoin } from "../config/shell-words.ts";
import { baseName, parentPath } from "./paths.ts";
import type { VolumeCreateInput, VolumePruneInput } from "./schemas.ts";

/** The image the equivalent commands name: any small image with a shell and tar would do. */
const EQUIVALENT_IMAGE = "busybox";

/** Where the equivalent commands mount the volume. */
const AT = "/v";

const EQUIVALENT_NOTE = "# the equivalent with the Docker CLI (DockerMate runs no command in a " +
  "container: it reads the volume through the archive API, as docker cp does)";

export function createCli(input: VolumeCreateInput): string {
  const args = ["docker", "volume", "create", "--driver", input.driver];
  for (const [k, v] of Object.entries(input.options)) args.push("--opt", `${k}=${v}`);
  for (const [k, v] of Object.entries(input.labels)) args.push("--label", `${k}=${v}`);
  args.push(input.name);
  return shellJoin(args);
}

export function removeCli(name: string): string {
  return shellJoin(["docker", "volume", "rm", name]);
}

/**
 * `docker volume prune` with the same selection: `--all` exists from API 1.42 on (older
 * daemons take named volumes anyway).
 */
export function pruneCli(input: VolumePruneInput, allFlag: boolean): string {
  const args = ["docker", "volume", "prune", "--force"];
  if (input.all && allFlag) args.push("--all");
  for (const label of input.labels) args.push("--filter", `label=${label}`);
  return shellJoin(args);
}

/** `docker volume ls`, and `docker volume inspect` for one. */
export function listCli(): string {
  return "docker volume ls\ndocker system df --verbose   # sizes";
}

export function inspectCli(name: string): string {
  return shellJoin(["docker", "volume", "inspect", name]);
}

/** `docker run --rm -v NAME:/v:ro busybox …`: `args` run with the volume at /v. */
function runWith(name: string, readOnly: boolean, args: string[], redirect = ""): string {
  const mount = `${name}:${AT}${readOnly ? ":ro" : ""}`;
  const interactive = redirect.startsWith("<") ? ["-i"] : [];
  const line = shellJoin([
    "docker",
    "run",
    "--rm",
    ...interactive,
    "-v",
    mount,
    EQUIVALENT_IMAGE,
    ...args,
  ]);
  return `${line}${redirect ? ` ${redirect}` : ""}`;
}

const equivalent = (...lines: string[]) => [EQUIVALENT_NOTE, ...lines].join("\n");

const inVolume = (path: string) => (path === "/" ? AT : `${AT}${path}`);

export function browseCli(name: string, path: string): string {
  return equivalent(runWith(name, true, ["ls", "-la", inVolume(path)]));
}

export function downloadFileCli(name: string, path: string): string {
  return equivalent(
    runWith(name, true, ["cat", inVolume(path)], `> ${shellArg(baseName(path))}`),
  );
}

export function downloadFolderCli(name: string, path: string, file: string): string {
  const args = path === "/"
    ? ["tar", "-cf", "-", "-C", AT, "."]
    : ["tar", "-cf", "-", "-C", inVolume(parentPath(path)), baseName(path)];
  return equivalent(runWith(name, true, args, `> ${shellArg(file)}`));
}

export function backupCli(name: string, file: string): string {
  return equivalent(
    runWith(name, true, ["tar", "-czf", "-", "-C", AT, "."], `> ${shellArg(file)}`),
  );
}

export function restoreCli(name: string, file: string, create: boolean): string {
  const unpack = runWith(name, false, ["tar", "-xzf", "-", "-C", AT], `< ${shellArg(file)}`);
  return create
    ? equivalent(shellJoin(["docker", "volume", "create", name]), unpack)
    : equivalent(unpack);
}

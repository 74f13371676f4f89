/**
 * Paths inside a volume, as a user names them and as the helper container sees them. Pure.
 *
 * A user's path is always taken from the volume's root: `/etc` is the folder `etc` in the
 * volume, never the host's or the helper's. `..` may not climb above that root. Symbolic links
 * are never followed (./browse.ts checks each part of a path for one).
 */
import { InvalidInput } from "../errors.ts";

/** Where the helper container mounts the volume: a name no image is likely to have. */
export const MOUNT = "/dockermate-volume";

/**
 * `input` normalised (`dir//sub/./x/` → `/dir/sub/x`); a `..` that would climb above the
 * volume's root is a 400 naming `path`.
 */
export function volumePath(input: string): string {
  if (input.includes("\0")) throw new InvalidInput("must not hold a NUL character", "path");
  const parts: string[] = [];
  for (const part of input.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) {
        throw new InvalidInput(`${input} leaves the volume (.. above its root)`, "path");
      }
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return `/${parts.join("/")}`;
}

/** The folders and file a path passes through, outermost first: `/a/b` → `/a`, `/a/b`. */
export function pathSteps(path: string): string[] {
  const parts = path.split("/").filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join("/")}`);
}

/** The helper's path for a volume path (the root as `MOUNT/.`, so a tar names entries `./…`). */
export function helperPath(path: string): string {
  return path === "/" ? `${MOUNT}/.` : `${MOUNT}${path}`;
}

/** The volume path a helper path is, or null when it is outside the volume. */
export function fromHelperPath(path: string): string | null {
  if (path === MOUNT) return "/";
  return path.startsWith(`${MOUNT}/`) ? path.slice(MOUNT.length) : null;
}

/** The last part of a path (`/` for the root). */
export function baseName(path: string): string {
  return path === "/" ? "/" : path.slice(path.lastIndexOf("/") + 1);
}

/** The folder a path is in (`/` for the root and its entries). */
export function parentPath(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/** `dir` joined with an entry's name. */
export function childPath(dir: string, name: string): string {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

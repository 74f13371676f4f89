/**
 * The `docker` command line of one lifecycle action (start, stop, restart, pause, unpause, kill,
 * rm), shown beside every action so the UI teaches the CLI (DESIGN.md, principle 3).
 */
import { shellArg } from "./shell-words.ts";

export const CLI_ACTIONS = ["start", "stop", "restart", "pause", "unpause", "kill", "rm"] as const;
export type CliAction = (typeof CLI_ACTIONS)[number];

export interface CliOptions {
  /** rm: remove a running container too (`-f`). */
  force?: boolean;
  /** rm: remove its anonymous volumes too (`-v`). */
  volumes?: boolean;
  /** stop, restart: seconds to wait before killing (`-t`). */
  timeout?: number;
  /** kill: the signal to send (`-s`). */
  signal?: string;
}

/** Only the options the action understands are printed; the others are ignored. */
function actionFlags(action: CliAction, opts: CliOptions): string[] {
  switch (action) {
    case "rm":
      return [...(opts.force ? ["-f"] : []), ...(opts.volumes ? ["-v"] : [])];
    case "stop":
    case "restart":
      return opts.timeout === undefined ? [] : ["-t", String(opts.timeout)];
    case "kill":
      return opts.signal ? ["-s", shellArg(opts.signal)] : [];
    default:
      return [];
  }
}

/** A lifecycle command such as `docker stop web` or `docker rm -f -v web db`. */
export function dockerCli(action: CliAction, names: string[], opts: CliOptions = {}): string {
  if (names.length === 0) throw new Error(`docker ${action} needs at least one container`);
  return ["docker", action, ...actionFlags(action, opts), ...names.map(shellArg)].join(" ");
}

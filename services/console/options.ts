/**
 * What a console runs: the shell (sh, bash, or a command line the user types, split into an
 * argument array, never handed to a shell), the user, the terminal's first size, and the
 * `docker exec` / `docker attach` lines that do the same from a shell.
 */
import { z } from "zod";
import { parseCommandLine, shellArg, shellJoin } from "../config/shell-words.ts";
import { InvalidInput } from "../errors.ts";

export const SHELLS = ["sh", "bash", "custom"] as const;
export type Shell = (typeof SHELLS)[number];

/** Docker's `--user`: a name or uid, optionally `:group` or `:gid`. */
const USER_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/;

const blankToUndefined = (v: unknown) => typeof v === "string" && v.trim() === "" ? undefined : v;

const size = (max: number) =>
  z.coerce.number<string>({ error: "must be a number" }).int("must be a whole number")
    .min(1, "must be at least 1").max(max, `must be at most ${max}`);

/** The console form and the WebSocket's query: strings, as a URL carries them. */
export const consoleOptionsSchema = z.object({
  shell: z.enum(SHELLS, { error: "must be sh, bash or custom" }).default("sh"),
  command: z.preprocess(
    blankToUndefined,
    z.string().trim().max(1000, "must be at most 1000 characters").optional(),
  ),
  user: z.preprocess(
    blankToUndefined,
    z.string().trim().max(64, "must be at most 64 characters").regex(
      USER_PATTERN,
      "must be a user name or uid, optionally with :group or :gid (like root, 1000 or app:app)",
    ).optional(),
  ),
}).superRefine((v, ctx) => {
  if (v.shell === "custom" && !v.command) {
    ctx.addIssue({
      code: "custom",
      path: ["command"],
      message: "is required for a custom command",
    });
  }
});
export type ConsoleOptions = z.output<typeof consoleOptionsSchema>;

/** The terminal's size when it connects (the page's fit); later sizes come as messages. */
export const terminalSizeSchema = z.object({ cols: size(1000), rows: size(500) });
export type TerminalSize = z.output<typeof terminalSizeSchema>;

/** The argument array the exec runs: Docker starts it as is, no shell reads it. */
export async function consoleCommand(opts: ConsoleOptions): Promise<string[]> {
  if (opts.shell !== "custom") return [opts.shell];
  let argv: string[];
  try {
    argv = await parseCommandLine(opts.command ?? "");
  } catch (err) {
    if (err instanceof InvalidInput) throw new InvalidInput(err.message, "command");
    throw err;
  }
  if (argv.length === 0) throw new InvalidInput("is required for a custom command", "command");
  return argv;
}

/** `docker exec -it [-u USER] CONTAINER COMMAND…`, quoted to paste into a shell. */
export function execCli(container: string, user: string | undefined, argv: string[]): string {
  const userFlag = user ? ` -u ${shellArg(user)}` : "";
  return `docker exec -it${userFlag} ${shellArg(container)} ${shellJoin(argv)}`;
}

/** Watching the main process's output without being able to type into it. */
export function attachCli(container: string): string {
  return `docker attach --no-stdin --sig-proxy=false ${shellArg(container)}`;
}

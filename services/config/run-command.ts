/**
 * The `docker` command lines that do what DockerMate does, shown beside every action so the UI
 * teaches the CLI (DESIGN.md, principle 3). Pure string building: what is printed must paste
 * into a shell and do exactly that, whatever the values hold.
 */
// @ts-types="@types/shell-quote"
import { quote } from "shell-quote";
import { type CreateSpec, dockermateLabels, userLabels } from "./create-spec.ts";

/**
 * Words every POSIX shell and zsh read literally. shell-quote backslash-escapes `:` `=` `@` `,`
 * too (`nginx\:1.27`), which is safe but hard to read, so plain words are left as they are. A
 * leading `=` is excluded because zsh expands `=cmd`.
 */
const PLAIN_WORD = /^[A-Za-z0-9_/.:,@%+-][A-Za-z0-9_/.:=,@%+-]*$/;

/** One argument, quoted by shell-quote when it holds anything a shell would interpret. */
export function shellArg(arg: string): string {
  return PLAIN_WORD.test(arg) ? arg : quote([arg]);
}

export function shellJoin(args: string[]): string {
  return args.map(shellArg).join(" ");
}

const MEMORY_UNITS: [string, number][] = [
  ["t", 1024 ** 4],
  ["g", 1024 ** 3],
  ["m", 1024 ** 2],
  ["k", 1024],
];

/** Bytes in the largest unit that divides them: 268435456 → `256m`, 1.5 GiB → `1536m`. */
export function formatMemory(bytes: number): string {
  const unit = MEMORY_UNITS.find(([, size]) => bytes >= size && bytes % size === 0);
  return unit ? `${bytes / unit[1]}${unit[0]}` : String(bytes);
}

export interface RunCommandOptions {
  /** `docker run -d` (default) or a foreground `docker run`; moot when autoStart is false. */
  detach?: boolean;
  /** Print the com.dockermate.* labels (default true), so the result is a managed container. */
  includeManagedLabels?: boolean;
  /** The created-at label; unknown before the container exists, so printed only when given. */
  createdAt?: string;
}

/** Networks `docker run` joins anyway; naming them would only add noise. */
const DEFAULT_NETWORKS = new Set(["bridge", "default"]);

function flag(name: string, value: string): string {
  return `${name} ${shellArg(value)}`;
}

function labelFlags(spec: CreateSpec, opts: RunCommandOptions): string[] {
  const user = userLabels(spec);
  const ours = (opts.includeManagedLabels ?? true) ? dockermateLabels(spec, opts.createdAt) : {};
  const entries = [...Object.keys(user).sort().map((k) => [k, user[k]]), ...Object.entries(ours)];
  return entries.map(([k, v]) => flag("--label", `${k}=${v}`));
}

function containerFlags(spec: CreateSpec): string[] {
  const env = Object.keys(spec.env).sort();
  return [
    ...(spec.name ? [flag("--name", spec.name)] : []),
    // `no` is docker run's default.
    ...(spec.restartPolicy === "no" ? [] : [flag("--restart", spec.restartPolicy)]),
    ...spec.ports.map((p) => flag("-p", p)),
    ...spec.volumes.map((v) => flag("-v", v)),
    ...env.map((k) => flag("-e", `${k}=${spec.env[k]}`)),
  ];
}

function runtimeFlags(spec: CreateSpec): string[] {
  const network = spec.network && !DEFAULT_NETWORKS.has(spec.network) ? spec.network : undefined;
  return [
    ...(network ? [flag("--network", network)] : []),
    ...(spec.cpus ? [flag("--cpus", String(spec.cpus))] : []),
    ...(spec.memory ? [flag("--memory", formatMemory(spec.memory))] : []),
    // --entrypoint takes a single word; the rest of the entrypoint goes after the image.
    ...(spec.entrypoint ? [flag("--entrypoint", spec.entrypoint[0])] : []),
  ];
}

/**
 * The image and what follows it. The entrypoint's extra words lead, then the command: the
 * process argv is the same as with the API's Entrypoint + Cmd, since setting an entrypoint
 * drops the image's default command in both cases.
 */
function imageAndArgs(spec: CreateSpec): string[] {
  return [spec.image, ...(spec.entrypoint?.slice(1) ?? []), ...(spec.command ?? [])];
}

function commandHead(spec: CreateSpec, detach: boolean): string {
  // Without autoStart the container is created but not started: that is `docker create`.
  if (!spec.autoStart) return "docker create";
  return detach ? "docker run -d" : "docker run";
}

/** The `docker run` (or `docker create`) that makes the same container, one flag per line. */
export function dockerRunCommand(spec: CreateSpec, opts: RunCommandOptions = {}): string {
  const flags = [...containerFlags(spec), ...labelFlags(spec, opts), ...runtimeFlags(spec)];
  const lines = [
    commandHead(spec, opts.detach ?? true),
    ...flags.map((f) => `  ${f}`),
    `  ${shellJoin(imageAndArgs(spec))}`,
  ];
  return lines.join(" \\\n");
}

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

/**
 * Runs the Docker Compose v2 CLI: found once (compose-locate.ts), run with an argument array
 * (never a shell string) in the stack's folder, with `-p <name>` and DockerMate's own Docker
 * connection in its environment, so it talks to the same daemon. Its environment is otherwise
 * empty: a compose file cannot interpolate DockerMate's secrets (`${DATABASE_AUTH_TOKEN}`).
 */
import type { DockerConnection } from "../docker/client.ts";
import { lines } from "../docker/stream.ts";
import { AppError } from "../errors.ts";
import type { ComposeStatus } from "./model.ts";

/** What one compose command printed; `code` 0 is success. */
export type ComposeResult = { code: number; stdout: string; stderr: string };

export type ComposeCommand = {
  /** The folder it runs in (the project directory unless `projectDir` says otherwise). */
  cwd: string;
  /** `-p`: the project name (the stack name). */
  project?: string;
  /** `-f` files, when not the folder's own. */
  files?: string[];
  /** `--env-file`, when not the folder's `.env`. */
  envFile?: string;
  projectDir?: string;
  /** The subcommand and its options: `["up", "-d"]`. */
  args: string[];
  /** Each line of progress (compose prints it on stderr) as it comes. */
  onLine?: (line: string) => void;
};

const INSTALL_HINT =
  "Install Docker Compose v2: the docker-compose-plugin package (Docker's apt repository) or " +
  "docker-compose from Debian 13, or the docker-compose binary from " +
  "https://github.com/docker/compose/releases copied to /usr/local/lib/docker/cli-plugins/ " +
  "(chmod +x). Then restart DockerMate, or set DOCKER_COMPOSE to the binary's path.";

/** An unavailable Compose is asked again after this long (it may have been installed). */
const RETRY_MS = 30_000;

type Found = { status: ComposeStatus; at: number };

/** `2.26.1-4`, `v2.29.7` or `1.29.2` → its major version, or null. */
export function composeMajor(version: string): number | null {
  const m = /^v?(\d+)\.\d+/.exec(version.trim());
  return m ? Number(m[1]) : null;
}

export class ComposeRunner {
  #found: Promise<Found> | null = null;

  constructor(
    private readonly candidates: string[],
    private readonly connection: DockerConnection,
  ) {}

  /** Whether Compose v2 is there (and which), or why not and how to install it. */
  async status(): Promise<ComposeStatus> {
    const cached = this.#found && await this.#found;
    if (cached && (cached.status.available || Date.now() - cached.at < RETRY_MS)) {
      return cached.status;
    }
    this.#found = this.#probe().then((status) => ({ status, at: Date.now() }));
    return (await this.#found).status;
  }

  async #probe(): Promise<ComposeStatus> {
    const v1: string[] = [];
    for (const path of this.candidates) {
      let out: Deno.CommandOutput;
      try {
        out = await new Deno.Command(path, {
          args: ["version", "--short"],
          clearEnv: true,
          env: this.#env(),
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).output();
      } catch {
        // Not there, not executable, or not allowed to this process: try the next.
        continue;
      }
      const version = new TextDecoder().decode(out.stdout).trim();
      const major = out.success ? composeMajor(version) : null;
      if (major !== null && major >= 2) return { available: true, version, path };
      if (major === 1) v1.push(`${path} (${version})`);
    }
    const looked = this.candidates.join(", ");
    return {
      available: false,
      reason: v1.length > 0
        ? `Only Compose v1 was found (${v1.join(", ")}); stacks need Compose v2`
        : `Docker Compose v2 was not found (looked for ${looked || "nothing: PATH is empty"})`,
      install: INSTALL_HINT,
    };
  }

  /** The environment compose runs with: the daemon DockerMate uses, and nothing of its own. */
  #env(): Record<string, string> {
    const { host, tlsVerify, certPath } = this.connection;
    const env: Record<string, string> = {
      PATH: Deno.env.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
      DOCKER_HOST: host,
    };
    const home = Deno.env.get("HOME");
    if (home) env.HOME = home;
    // ssh:// hosts go through the ssh client, which may need the agent.
    const agent = Deno.env.get("SSH_AUTH_SOCK");
    if (agent && host.startsWith("ssh:")) env.SSH_AUTH_SOCK = agent;
    if (tlsVerify) env.DOCKER_TLS_VERIFY = "1";
    else if (certPath) env.DOCKER_TLS = "1";
    if (certPath) env.DOCKER_CERT_PATH = certPath;
    return env;
  }

  /** Runs one compose command to its end; a non-zero exit is a result, not a throw. */
  async run(cmd: ComposeCommand): Promise<ComposeResult> {
    const status = await this.status();
    if (!status.available) throw new ComposeMissing(status.reason);
    const args = [
      "--ansi",
      "never",
      "--progress",
      "plain",
      ...(cmd.project ? ["-p", cmd.project] : []),
      ...(cmd.files ?? []).flatMap((f) => ["-f", f]),
      ...(cmd.projectDir ? ["--project-directory", cmd.projectDir] : []),
      ...(cmd.envFile ? ["--env-file", cmd.envFile] : []),
      ...cmd.args,
    ];
    const child = new Deno.Command(status.path, {
      args,
      cwd: cmd.cwd,
      clearEnv: true,
      env: this.#env(),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr: string[] = [];
    const [stdout] = await Promise.all([
      new Response(child.stdout).text(),
      (async () => {
        for await (const line of lines(child.stderr)) {
          stderr.push(line);
          cmd.onLine?.(line);
        }
      })(),
    ]);
    const { code } = await child.status;
    return { code, stdout, stderr: stderr.join("\n") };
  }
}

/** Compose v2 is not installed (or only v1 is): the Stacks page shows it; an action gets 503. */
export class ComposeMissing extends AppError {
  constructor(reason: string) {
    super("ComposeUnavailable", 503, `${reason}. ${INSTALL_HINT}`);
  }
}

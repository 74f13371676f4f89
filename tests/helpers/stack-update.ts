/**
 * For stack update tests: Compose v2 from the test bed (for the server and for checks run in a
 * stack's folder), a two-service stack of per-run images, the project taken down afterwards, and
 * the stack update journal read from a test server's database.
 */
import { createClient } from "@libsql/client";
import { COMPOSE_V2_CONFIG, DOCKER_SOCKET, NAMESPACE, REGISTRY } from "../testbed/images.ts";
import { TEST_LABEL } from "./docker.ts";

/** The Compose v2 binary of the test bed (the CLI plugin, run directly). */
export const COMPOSE_BIN = `${COMPOSE_V2_CONFIG}/cli-plugins/docker-compose`;

/** The server's environment for stacks: Compose v2, and room for many changes a minute. */
export const STACK_ENV = { DOCKER_COMPOSE: COMPOSE_BIN, RATE_LIMIT_MUTATIONS: "1000" };

/** A per-run repository in the test registry (other runs never see its tags). */
export function runRepo(run: string, what: string): string {
  return `${REGISTRY}/${NAMESPACE}/${run}-${what}`;
}

/**
 * Two services of per-run images: `web` (no HEALTHCHECK: the gate waits the settle time) and
 * `db` (the healthy image's HEALTHCHECK), both `restart: unless-stopped`, labelled with the run
 * like their network. Their httpd, PID 1, ignores SIGTERM: a short grace period keeps each
 * recreate from waiting Docker's 10 s for it.
 */
export function twoServiceStack(run: string, webImage: string, dbImage: string): string {
  const labels = `labels: { ${TEST_LABEL}: "${run}" }`;
  return `services:
  web:
    image: ${webImage}
    restart: unless-stopped
    stop_grace_period: 1s
    ${labels}
  db:
    image: ${dbImage}
    restart: unless-stopped
    stop_grace_period: 1s
    ${labels}
networks:
  default:
    ${labels}
`;
}

/** `docker compose <args>` in `dir` against the daemon under test; never throws on exit codes. */
export async function composeAt(
  dir: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(COMPOSE_BIN, {
    args: ["--ansi", "never", ...args],
    cwd: dir,
    env: { DOCKER_HOST: `unix://${DOCKER_SOCKET}` },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** What `up -d --dry-run` in the folder would do to each container ("Running": nothing). */
export async function dryRunUp(dir: string): Promise<string[]> {
  const r = await composeAt(dir, ["up", "-d", "--dry-run"]);
  if (r.code !== 0) throw new Error(`compose up --dry-run in ${dir}: ${r.stderr}`);
  return `${r.stdout}\n${r.stderr}`.split("\n").filter((l) => /Container /.test(l))
    .map((l) => l.replace(/^.*DRY-RUN MODE -\s*/, "").trim());
}

/** Takes a project down with its volumes, by name (its folder may be gone). */
export async function downProject(project: string): Promise<void> {
  await composeAt("/tmp", ["-p", project, "down", "-v", "--remove-orphans"]);
}

export type StackJournalRow = { step: string; status: string; error: string | null };

/** Every stack update journal row of `stack` in a test server's database, oldest first. */
export async function stackJournal(dataDir: string, stack: string): Promise<StackJournalRow[]> {
  const client = createClient({ url: `file:${dataDir}/dockermate.db` });
  try {
    const rs = await client.execute({
      sql: "SELECT step, status, error FROM stack_update_journal WHERE stack_name = ? ORDER BY id",
      args: [stack],
    });
    return rs.rows.map((r) => ({
      step: String(r.step),
      status: String(r.status),
      error: r.error === null ? null : String(r.error),
    }));
  } finally {
    client.close();
  }
}

/**
 * For stack update tests (on top of ./compose.ts): the server's environment, per-run image
 * repositories, a two-service stack of them, what compose would still change, the project taken
 * down afterwards, and the stack update journal read from a test server's database.
 */
import { type JournalRow, readJournal } from "./journal.ts";
import { NAMESPACE, REGISTRY } from "../testbed/images.ts";
import { compose, composeEnv, runLabels } from "./compose.ts";

/** The server's environment for stacks: Compose v2, and room for many changes a minute. */
export const STACK_ENV = { ...composeEnv(), RATE_LIMIT_MUTATIONS: "1000" };

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
  return `services:
  web:
    image: ${webImage}
    restart: unless-stopped
    stop_grace_period: 1s
    ${runLabels(run)}
  db:
    image: ${dbImage}
    restart: unless-stopped
    stop_grace_period: 1s
    ${runLabels(run)}
networks:
  default:
    ${runLabels(run)}
`;
}

/** What `up -d --dry-run` in the folder would do to each container ("Running": nothing). */
export async function dryRunUp(dir: string): Promise<string[]> {
  const r = await compose(dir, ["up", "-d", "--dry-run"]);
  if (r.code !== 0) throw new Error(`compose up --dry-run in ${dir}: ${r.stderr}`);
  return `${r.stdout}\n${r.stderr}`.split("\n").filter((l) => /Container /.test(l))
    .map((l) => l.replace(/^.*DRY-RUN MODE -\s*/, "").trim());
}

/** Takes a project down with its volumes, by name (its folder may be gone). */
export async function downProject(project: string): Promise<void> {
  await compose("/tmp", ["-p", project, "down", "-v", "--remove-orphans"]);
}

/** Every stack update journal row of `stack` in a test server's database, oldest first. */
export function stackJournal(dataDir: string, stack: string): Promise<JournalRow[]> {
  return readJournal(dataDir, "stack-update", stack);
}

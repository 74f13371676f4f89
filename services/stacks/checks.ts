/**
 * Everything checked before a deploy touches anything: the YAML (line and column), what
 * `docker compose config` says about the file (mapped to the key), host ports other containers
 * publish already (409 naming the port and its holder), and the hardware profile's container
 * and resource limits (422).
 */
import { portHolder } from "../containers/port-clash.ts";
import { Conflict, LimitExceeded } from "../errors.ts";
import { resourceLimitProblem } from "../host/hardware.ts";
import { systemProfile } from "../host/profile.ts";
import {
  type ComposeConfig,
  composeConfigSchema,
  containerCounts,
  resourceRequests,
  wantedPorts,
} from "./compose-config.ts";
import type { ComposeResult } from "./compose-runner.ts";
import type { StackDeps } from "./deps.ts";
import type { ComposeProblem, StackInput } from "./model.ts";
import { composeErrorProblems, yamlProblems } from "./problems.ts";
import { COMPOSE_PROJECT_LABEL, projectContainers } from "./project-state.ts";

export type Resolved =
  | { problems: ComposeProblem[]; config: null }
  | { problems: []; config: ComposeConfig };

/**
 * Runs a compose command on files not yet deployed: they are written to a scratch folder first
 * (compose reads files). An existing stack's folder stays the project directory, so relative
 * paths resolve as they will at the deploy. The scratch folder's path is taken out of what
 * compose printed, so messages name `compose.yaml` and `.env` as the user knows them.
 */
export async function composeOnDraft(
  deps: StackDeps,
  name: string | undefined,
  input: StackInput,
  args: string[],
): Promise<ComposeResult> {
  const scratch = await deps.files.scratch(input);
  try {
    const existing = name !== undefined && await deps.files.exists(name);
    const projectDir = existing ? deps.files.dir(name) : scratch.dir;
    const r = await deps.runner.run({
      cwd: projectDir,
      project: name ?? "dockermate-check",
      files: [scratch.compose],
      envFile: scratch.env,
      projectDir,
      args,
    });
    const plain = (text: string) => text.replaceAll(`${scratch.dir}/`, "");
    return { ...r, stdout: plain(r.stdout), stderr: plain(r.stderr) };
  } finally {
    await scratch.cleanup();
  }
}

/** The input as compose resolves it (`docker compose config`), or its problems. */
export async function resolveInput(
  deps: StackDeps,
  name: string | undefined,
  input: StackInput,
): Promise<Resolved> {
  const syntax = await yamlProblems(input.compose);
  if (syntax.length > 0) return { problems: syntax, config: null };
  const r = await composeOnDraft(deps, name, input, ["config", "--format", "json"]);
  if (r.code !== 0) {
    return { problems: await composeErrorProblems(r.stderr, input.compose), config: null };
  }
  return { problems: [], config: composeConfigSchema.parse(JSON.parse(r.stdout)) };
}

/**
 * Host ports and limits for deploying `config` as project `name`: its own containers (a
 * redeploy replaces them) neither hold its ports nor count twice.
 */
export async function checkHost(
  deps: StackDeps,
  name: string,
  config: ComposeConfig,
): Promise<void> {
  await deps.store.ready();
  const all = deps.store.list();
  const others = all.filter((c) => c.Labels?.[COMPOSE_PROJECT_LABEL] !== name);
  for (const want of wantedPorts(config)) {
    const holder = portHolder(want, others);
    if (holder) {
      throw new Conflict(
        `host port ${want.hostPort}/${want.protocol} is already published by container "${holder}"`,
        want.key,
      );
    }
  }
  const own = projectContainers(all, name).length;
  const wanted = [...containerCounts(config).values()].reduce((a, b) => a + b, 0);
  const profile = await systemProfile(deps.db, deps.docker, all.length);
  const max = profile.limits.maxContainers;
  const after = all.length - own + wanted;
  if (wanted > own && after > max) {
    throw new LimitExceeded(
      `Container limit reached: the ${profile.limits.label} profile allows at most ${max} ` +
        `containers; ${all.length} exist and this stack would make it ${after}. To change the ` +
        `limit, use Settings → Hardware profile, or PUT /api/v1/system/profile with ` +
        `{"maxContainers": N}.`,
    );
  }
  for (const r of resourceRequests(config)) {
    const problem = resourceLimitProblem(r, profile.host);
    if (problem) throw new LimitExceeded(`${r.key}: ${problem}`);
  }
}

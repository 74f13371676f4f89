/**
 * Reading stacks: the folders in STACKS_DIR (managed) and the compose projects Docker runs that
 * have none there (external, by their `com.docker.compose.project` labels), each with its
 * services, containers, status, tags and whether an image update is known.
 */
import { listTags, tagsByStack } from "../containers/tags.ts";
import { tagColor } from "../containers/tag-colors.ts";
import type { ContainerSummary } from "../docker/types.ts";
import { NotFound } from "../errors.ts";
import type { StackDeps } from "./deps.ts";
import type { StackDetail, StackSummary, StackTag } from "./model.ts";
import { serviceNames } from "./problems.ts";
import {
  labelledConfigFile,
  projectContainers,
  projectsOf,
  servicesOf,
  stackStatus,
} from "./project-state.ts";
import { compareText } from "../text.ts";

type Context = {
  tags: Map<string, string[]>;
  colors: Map<string, StackTag["color"]>;
  updates: ReadonlySet<string>;
};

async function context(deps: StackDeps): Promise<Context> {
  const [tags, all] = await Promise.all([tagsByStack(deps.db), listTags(deps.db)]);
  return {
    tags,
    colors: new Map(all.map((t) => [t.name, tagColor(t.name, t.color)])),
    updates: deps.updates?.imagesWithUpdates() ?? new Set(),
  };
}

function summary(
  ctx: Context,
  name: string,
  containers: ContainerSummary[],
  fileServices: string[],
  managed: boolean,
  configFile: string | null,
): StackSummary {
  return {
    name,
    status: stackStatus(containers),
    managed,
    services: servicesOf(containers, fileServices),
    configFile,
    tags: (ctx.tags.get(name) ?? []).map((t) => ({ name: t, color: ctx.colors.get(t) ?? "slate" })),
    updateAvailable: containers.some((c) => ctx.updates.has(c.ImageID)),
  };
}

/** Managed stacks (folders) and external projects, by name. */
export async function listStacks(deps: StackDeps): Promise<StackSummary[]> {
  await deps.store.ready();
  const [names, ctx] = await Promise.all([deps.files.names(), context(deps)]);
  const projects = projectsOf(deps.store.list());
  const managed = await Promise.all(names.map(async (name) => {
    const folder = await deps.files.read(name);
    const services = folder ? await serviceNames(folder.compose) : [];
    return summary(ctx, name, projects.get(name) ?? [], services, true, folder?.configFile ?? null);
  }));
  const external = [...projects].filter(([name]) => !names.includes(name))
    .map(([name, containers]) =>
      summary(ctx, name, containers, [], false, labelledConfigFile(containers))
    );
  return [...managed, ...external].sort((a, b) => compareText(a.name, b.name));
}

/** One stack with its files (an external one's compose file when DockerMate may read it). */
export async function getStack(deps: StackDeps, name: string): Promise<StackDetail> {
  await deps.store.ready();
  const [folder, ctx] = await Promise.all([deps.files.read(name), context(deps)]);
  const containers = projectContainers(deps.store.list(), name);
  if (folder) {
    const services = await serviceNames(folder.compose);
    return {
      ...summary(ctx, name, containers, services, true, folder.configFile),
      compose: folder.compose,
      env: folder.env,
    };
  }
  if (containers.length === 0) throw new NotFound(`No stack "${name}"`);
  const configFile = labelledConfigFile(containers);
  const compose = configFile ? await Deno.readTextFile(configFile).catch(() => "") : "";
  return { ...summary(ctx, name, containers, [], false, configFile), compose, env: "" };
}

/**
 * Field-by-field comparison of two containers' `docker inspect`, for the faithfulness tests of
 * recreates (docker run, compose, the internal create, restore, edit).
 *
 * Compared: Config, HostConfig, the effective Mounts and, per network, Aliases, IPAMConfig,
 * Links and DriverOpts. Left out: ids, names, timestamps and state, and what Docker derives
 * from them. Each rule below says why it is not a difference:
 * - the short id Docker uses as default hostname and as an alias on user networks;
 * - the container's own name inside its legacy Links entries (`/db:/<name>/db`);
 * - the name and path of anonymous volumes (random);
 * - null, [], {} and "" are the same to Docker (the CLI sends [] where the API leaves null);
 * - RestartPolicy "" and "no" (the CLI sends "no", the API leaves "");
 * - the order of lists that the 20.10 CLI or compose 1.29 build from a map, and which Docker
 *   does not keep meaningful order in anyway: Config.Env (unique names), HostConfig.Binds,
 *   HostConfig.Mounts (sorted by target), HostConfig.Ulimits (by name) and the effective Mounts
 *   (by destination; Docker lists them in map order too).
 */

export type InspectLike = {
  Id: string;
  Name: string;
  Config: Record<string, unknown> & { Hostname?: string; Env?: string[] | null };
  HostConfig: Record<string, unknown> & {
    Binds?: string[] | null;
    Mounts?: { Target: string }[] | null;
    Ulimits?: { Name: string }[] | null;
    Links?: string[] | null;
    RestartPolicy?: { Name?: string; MaximumRetryCount?: number } | null;
  };
  Mounts?: { Type: string; Name?: string; Source?: string; Destination: string }[] | null;
  NetworkSettings?: {
    Networks?:
      | Record<string, {
        Aliases?: string[] | null;
        IPAMConfig?: unknown;
        Links?: string[] | null;
        DriverOpts?: unknown;
      }>
      | null;
  } | null;
};

const ANONYMOUS = /^[0-9a-f]{64}$/;

/** The parts of an inspect that a faithful recreate must reproduce, id- and name-free. */
export function comparable(i: InspectLike): Record<string, unknown> {
  const shortId = i.Id.slice(0, 12);
  const name = i.Name.replace(/^\//, "");
  const restart = i.HostConfig.RestartPolicy;
  return {
    Config: {
      ...i.Config,
      Hostname: i.Config.Hostname === shortId ? "<short id>" : i.Config.Hostname,
      Env: [...(i.Config.Env ?? [])].sort(),
    },
    HostConfig: {
      ...i.HostConfig,
      Binds: [...(i.HostConfig.Binds ?? [])].sort(),
      Mounts: [...(i.HostConfig.Mounts ?? [])].sort((a, b) => a.Target.localeCompare(b.Target)),
      Ulimits: [...(i.HostConfig.Ulimits ?? [])].sort((a, b) => a.Name.localeCompare(b.Name)),
      Links: (i.HostConfig.Links ?? []).map((l) => l.replace(`/${name}/`, "/<name>/")),
      RestartPolicy: {
        Name: restart?.Name || "no",
        MaximumRetryCount: restart?.MaximumRetryCount ?? 0,
      },
    },
    Mounts: (i.Mounts ?? [])
      .map((m) =>
        m.Type === "volume" && m.Name && ANONYMOUS.test(m.Name)
          ? { ...m, Name: "<anonymous>", Source: "<anonymous>" }
          : m
      )
      .sort((a, b) => a.Destination.localeCompare(b.Destination)),
    Networks: Object.fromEntries(
      Object.entries(i.NetworkSettings?.Networks ?? {}).map(([net, e]) => [net, {
        Aliases: (e.Aliases ?? []).filter((a) => a !== shortId),
        IPAMConfig: e.IPAMConfig,
        Links: e.Links,
        DriverOpts: e.DriverOpts,
      }]),
    ),
  };
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.keys(v as object).length === 0;
  return false;
}

/** Every path where `a` and `b` differ, with both values: `HostConfig.Memory: 1 ≠ 2`. */
export function diffValues(a: unknown, b: unknown, path = ""): string[] {
  if (isEmpty(a) && isEmpty(b)) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    return Array.from({ length: n }, (_, k) => diffValues(a[k], b[k], `${path}[${k}]`)).flat();
  }
  if (
    a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) =>
      diffValues(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        path ? `${path}.${k}` : k,
      )
    );
  }
  return JSON.stringify(a) === JSON.stringify(b)
    ? []
    : [`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`];
}

/** The differences between two containers, as readable lines (empty = the same container). */
export function inspectDiff(original: InspectLike, copy: InspectLike): string[] {
  return diffValues(comparable(original), comparable(copy));
}

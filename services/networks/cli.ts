/** The docker CLI of each network action, shown beside it (and returned by the API as `cli`). */
import { shellArg, shellJoin } from "../config/shell-words.ts";
import type { CreateNetworkInput } from "./schemas.ts";

/** What a create needs to be printed; a network read back from Docker has the same shape. */
export type CreateCliInput =
  & { driver: string }
  & Pick<
    CreateNetworkInput,
    | "name"
    | "subnet"
    | "gateway"
    | "ipRange"
    | "internal"
    | "attachable"
    | "parent"
    | "ipv6"
    | "ipv6Subnet"
    | "ipv6Gateway"
    | "labels"
  >;

/** `docker network create --driver bridge --subnet … name`: the flags in the CLI's own terms. */
export function createCli(n: CreateCliInput): string {
  const args = ["docker", "network", "create", "--driver", n.driver];
  const flag = (name: string, value: string | undefined) => value && args.push(name, value);
  flag("--subnet", n.subnet);
  flag("--gateway", n.gateway);
  flag("--ip-range", n.ipRange);
  if (n.ipv6) args.push("--ipv6");
  flag("--subnet", n.ipv6Subnet);
  flag("--gateway", n.ipv6Gateway);
  if (n.internal) args.push("--internal");
  if (n.attachable) args.push("--attachable");
  flag("-o", n.parent && `parent=${n.parent}`);
  for (const [k, v] of Object.entries(n.labels)) args.push("--label", `${k}=${v}`);
  args.push(n.name);
  return shellJoin(args);
}

export function removeCli(names: string[]): string {
  return shellJoin(["docker", "network", "rm", ...names]);
}

/** `docker network connect --ip … --alias … net ctr` (`--ip6` for an IPv6 address). */
export function connectCli(
  network: string,
  container: string,
  opts: { ip?: string; aliases?: string[] } = {},
): string {
  const args = ["docker", "network", "connect"];
  if (opts.ip) args.push(opts.ip.includes(":") ? "--ip6" : "--ip", opts.ip);
  for (const a of opts.aliases ?? []) args.push("--alias", a);
  return shellJoin([...args, network, container]);
}

export function disconnectCli(network: string, container: string, force = false): string {
  return shellJoin([
    "docker",
    "network",
    "disconnect",
    ...(force ? ["-f"] : []),
    network,
    container,
  ]);
}

/** The list, and how to see one network's containers and addresses. */
export const LS_CLI = "docker network ls";

export function inspectCli(name: string): string {
  return `docker network inspect ${shellArg(name)}`;
}

/**
 * What a network action takes, as zod schemas shared by the API and the form routes: names,
 * the create input with its addressing checked against itself (CIDR syntax, gateway and range
 * inside the subnet), connect and disconnect, and the create form's encoding. What needs the
 * daemon (a subnet another network has, an address in use) is checked by the service.
 */
import { z } from "zod";
import {
  type Cidr,
  contains,
  formatCidr,
  isCanonical,
  lastOf,
  networkOf,
  parseAddress,
  parseCidr,
} from "../ip.ts";
import { parseKeyValueLines } from "../config/field-parsers.ts";
import { AppError } from "../errors.ts";

/** Docker's rule for network names and aliases (and what a container ref may be). */
const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const NAME_RULE = "letters, digits, '_', '.' and '-', starting with a letter or digit";

export const networkNameSchema = z.string().trim().min(1, "is required").max(
  64,
  "is at most 64 characters",
).regex(NAME_RE, NAME_RULE);

/** A network as a path names it: its id, short id or name. */
export const networkRefSchema = z.string().min(1).max(128).regex(NAME_RE, NAME_RULE);

/** A container by id, short id or name. */
export const containerRefSchema = z.string().trim().min(1, "is required").max(128).regex(
  /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
  "a container's name or id",
);

/** A Linux interface name (at most 15 characters), VLAN sub-interfaces included (`eth0.10`). */
const interfaceSchema = z.string().trim().regex(
  /^[a-zA-Z0-9][a-zA-Z0-9_.:-]{0,14}$/,
  "an interface name of the host such as eth0 or eth0.10 (at most 15 characters)",
);

export const NETWORK_DRIVERS = ["bridge", "macvlan", "ipvlan"] as const;
export type NetworkDriver = (typeof NETWORK_DRIVERS)[number];

/** An optional text field: blank is absent. */
const optionalText = z.string().trim().max(100).optional().transform((v) => v || undefined);

const labelsSchema = z.record(
  z.string().min(1).max(256),
  z.string().max(4096),
).refine((l) => Object.keys(l).length <= 64, "at most 64 labels").default({});

const createFields = z.object({
  name: networkNameSchema,
  driver: z.enum(NETWORK_DRIVERS, "must be bridge, macvlan or ipvlan").default("bridge"),
  /** IPv4 block (`10.89.0.0/24`); Docker picks one when absent. */
  subnet: optionalText,
  gateway: optionalText,
  /** The part of the subnet Docker hands out addresses from (static ones may lie outside it). */
  ipRange: optionalText,
  /** No route out of the network. */
  internal: z.boolean().default(false),
  /** Containers can be connected by hand as well as at their creation (swarm's meaning too). */
  attachable: z.boolean().default(false),
  /** macvlan and ipvlan: the host interface the network sits on. */
  parent: optionalText.pipe(interfaceSchema.optional()),
  ipv6: z.boolean().default(false),
  ipv6Subnet: optionalText,
  ipv6Gateway: optionalText,
  labels: labelsSchema,
});

type Issue = { field: string; message: string };

/** A block of one family, written as its first address. */
function block(text: string, family: 4 | 6, field: string, issues: Issue[]): Cidr | null {
  const c = parseCidr(text);
  const example = family === 4 ? "10.89.0.0/24" : "fd12:3456:789a::/64";
  if (!c || !text.includes("/")) {
    issues.push({ field, message: `${text} is not a CIDR block such as ${example}` });
    return null;
  }
  if (c.family !== family) {
    const other = family === 4 ? "ipv6Subnet" : "subnet";
    issues.push({
      field,
      message: `must be an IPv${family} block such as ${example} (IPv${
        family === 4 ? 6 : 4
      } goes in ${other})`,
    });
    return null;
  }
  if (!isCanonical(c)) {
    issues.push({
      field,
      message: `${text} does not start at its block's first address: use ${formatCidr(c)}`,
    });
    return null;
  }
  return c;
}

/** The subnet's size leaves room for a gateway and containers. */
function roomy(c: Cidr, field: string, issues: Issue[]): boolean {
  const max = c.family === 4 ? 30 : 126;
  if (c.bits <= max) return true;
  issues.push({ field, message: `/${c.bits} is too small for a network: at most /${max}` });
  return false;
}

function checkGateway(
  subnet: Cidr | null,
  text: string | undefined,
  field: string,
  subnetField: string,
  issues: Issue[],
): void {
  if (!text) return;
  const a = parseAddress(text);
  if (!a || a.family !== (subnet?.family ?? a.family)) {
    issues.push({ field, message: `${text} is not an IPv${subnet?.family ?? ""} address` });
    return;
  }
  if (!subnet) {
    issues.push({ field, message: `needs a ${subnetField} to lie in` });
    return;
  }
  if (!contains(subnet, a)) {
    issues.push({ field, message: `${text} is outside the subnet ${subnet.text}` });
  } else if (a.value === networkOf(subnet)) {
    issues.push({ field, message: `${text} is the subnet's own address; use a host address` });
  } else if (subnet.family === 4 && a.value === lastOf(subnet)) {
    issues.push({ field, message: `${text} is the subnet's broadcast address` });
  }
}

function checkRange(subnet: Cidr | null, text: string | undefined, issues: Issue[]): void {
  if (!text) return;
  if (!subnet) {
    issues.push({ field: "ipRange", message: "needs a subnet to lie in" });
    return;
  }
  const range = block(text, 4, "ipRange", issues);
  if (range && (range.bits < subnet.bits || !contains(subnet, range))) {
    issues.push({ field: "ipRange", message: `${text} is not inside the subnet ${subnet.text}` });
  }
}

/** The addressing checked against itself; each problem names its field. */
function addressingIssues(v: z.output<typeof createFields>): Issue[] {
  const issues: Issue[] = [];
  const v4 = v.subnet ? block(v.subnet, 4, "subnet", issues) : null;
  if (v4 && !roomy(v4, "subnet", issues)) return issues;
  if (!v.subnet || v4) {
    checkGateway(v4, v.gateway, "gateway", "subnet", issues);
    checkRange(v4, v.ipRange, issues);
  }
  if (!v.ipv6 && (v.ipv6Subnet || v.ipv6Gateway)) {
    issues.push({
      field: v.ipv6Subnet ? "ipv6Subnet" : "ipv6Gateway",
      message: "is for an IPv6 network: set ipv6 too",
    });
  }
  if (v.ipv6 && !v.ipv6Subnet) {
    issues.push({
      field: "ipv6Subnet",
      message: "IPv6 needs a subnet, such as fd12:3456:789a::/64",
    });
  }
  const v6 = v.ipv6 && v.ipv6Subnet ? block(v.ipv6Subnet, 6, "ipv6Subnet", issues) : null;
  if (v6 && roomy(v6, "ipv6Subnet", issues)) {
    checkGateway(v6, v.ipv6Gateway, "ipv6Gateway", "ipv6Subnet", issues);
  }
  if (v.driver === "bridge" && v.parent) {
    issues.push({ field: "parent", message: "only macvlan and ipvlan networks have one" });
  }
  if (v.driver !== "bridge" && !v.parent) {
    issues.push({
      field: "parent",
      message: `a ${v.driver} network needs the host interface it sits on, such as eth0`,
    });
  }
  return issues;
}

/** `POST /networks` (and the create form, decoded): the network to create. */
export const createNetworkSchema = createFields.superRefine((v, ctx) => {
  for (const { field, message } of addressingIssues(v)) {
    ctx.addIssue({ code: "custom", path: [field], message });
  }
});
export type CreateNetworkInput = z.output<typeof createNetworkSchema>;

/** The create form's fields: what it posts, as text. */
export const CREATE_FORM_FIELDS = [
  "name",
  "driver",
  "subnet",
  "gateway",
  "ipRange",
  "internal",
  "attachable",
  "parent",
  "ipv6",
  "ipv6Subnet",
  "ipv6Gateway",
  "labels",
] as const;
export type CreateFormValues = Partial<Record<(typeof CREATE_FORM_FIELDS)[number], string>>;

const ticked = (v: string | undefined) => v === "on" || v === "true" || v === "1";

/**
 * The create form decoded: boxes ticked or not, labels as KEY=VALUE lines. The IPv6 fields
 * belong to the IPv6 box: with it clear they are not sent on (the form suggests a subnet there
 * whether or not it is wanted).
 */
export const createNetworkFormSchema = z.record(z.string(), z.string()).transform(
  (form: CreateFormValues, ctx): z.input<typeof createFields> => {
    let labels: Record<string, string> = {};
    try {
      labels = parseKeyValueLines(form.labels ?? "");
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      ctx.addIssue({ code: "custom", path: ["labels"], message: err.message });
    }
    const ipv6 = ticked(form.ipv6);
    return {
      name: form.name ?? "",
      driver: (form.driver || undefined) as NetworkDriver | undefined,
      subnet: form.subnet,
      gateway: form.gateway,
      ipRange: form.ipRange,
      internal: ticked(form.internal),
      attachable: ticked(form.attachable),
      parent: form.driver === "bridge" ? undefined : form.parent,
      ipv6,
      ipv6Subnet: ipv6 ? form.ipv6Subnet : undefined,
      ipv6Gateway: ipv6 ? form.ipv6Gateway : undefined,
      labels,
    };
  },
).pipe(createNetworkSchema);

const aliasSchema = z.string().trim().min(1).max(64, "is at most 64 characters").regex(
  NAME_RE,
  NAME_RULE,
);

/** `POST /networks/:id/connect`: the container, and its address and aliases on this network. */
export const connectSchema = z.object({
  container: containerRefSchema,
  ip: optionalText.refine((v) => v === undefined || parseAddress(v) !== null, {
    message: "is not an IPv4 or IPv6 address",
  }),
  aliases: z.array(aliasSchema).max(16, "at most 16 aliases").default([]),
});
export type ConnectInput = z.output<typeof connectSchema>;

/** The connect form: aliases typed into one field, separated by commas or spaces. */
export const connectFormSchema = z.record(z.string(), z.string()).transform((
  form,
): z.input<typeof connectSchema> => ({
  container: form.container ?? "",
  ip: form.ip,
  aliases: (form.aliases ?? "").split(/[\s,]+/).filter((a) => a !== ""),
})).pipe(connectSchema);

/** `POST /networks/:id/disconnect`: `force` also detaches a container Docker says is not running. */
export const disconnectSchema = z.object({
  container: containerRefSchema,
  force: z.boolean().default(false),
});
export type DisconnectInput = z.output<typeof disconnectSchema>;

/** Which networks a prune preview considers: all, or those with a label (`key` or `key=value`). */
export const pruneFilterSchema = z.object({
  label: z.string().trim().min(1).max(300).optional(),
});
export type PruneFilter = z.output<typeof pruneFilterSchema>;

/** A prune's confirmation: exactly the networks its preview listed. */
export const pruneSchema = z.object({
  ids: z.array(z.string().regex(/^[0-9a-f]{12,64}$/, "a network id")).min(
    1,
    "choose at least one network",
  ).max(500),
});

import type { AttachedContainer, NetworkRow } from "../../services/networks/model.ts";
import { containerHref, StateBadge } from "../containers/common.tsx";
import type { TopoContainer, TopoEdge, TopoNetwork } from "./topology.tsx";

/** A network's page (or one below it, given `suffix`), by its name. */
export function networkHref(name: string, suffix = ""): string {
  return `/networks/${encodeURIComponent(name)}${suffix}`;
}

/** Built-in, Unused, Internal, IPv6, and the owning stack. */
export function NetworkBadges({ row }: { row: NetworkRow }) {
  return (
    <span class="badges net-badges">
      {row.builtin && (
        <span class="net-badge net-builtin" title="Docker's own: it cannot be removed">
          built-in
        </span>
      )}
      {row.unused && !row.builtin && (
        <span class="net-badge net-unused" title="No container, running or stopped, is on it">
          unused
        </span>
      )}
      {row.internal && (
        <span class="net-badge net-internal" title="No route out of this network">internal</span>
      )}
      {row.ipv6 && <span class="net-badge net-ipv6">IPv6</span>}
      {row.stack && (
        <span class="net-badge net-stack" title="The compose project it belongs to">
          stack {row.stack}
        </span>
      )}
    </span>
  );
}

/** A container's addresses on a network (its static one marked), or why it has none. */
export function AddressText({ c }: { c: AttachedContainer }) {
  const addresses = [c.ipv4 ?? c.staticIpv4, c.ipv6 ?? c.staticIpv6].filter(Boolean);
  if (addresses.length === 0) return <span class="muted">no address while {c.state}</span>;
  const isStatic = Boolean(c.staticIpv4 || c.staticIpv6);
  return (
    <>
      {addresses.map((a) => <code class="addr">{a}</code>)}
      {isStatic && <span class="muted" title="Asked for with --ip">static</span>}
    </>
  );
}

/** The containers on a network, each linked, with its state and addresses. */
export function AttachedList({ containers }: { containers: AttachedContainer[] }) {
  if (containers.length === 0) return <span class="muted">no container</span>;
  return (
    <ul class="attached">
      {containers.map((c) => (
        <li>
          <a href={containerHref(c.name)}>{c.name}</a> <StateBadge state={c.state} />{" "}
          <AddressText c={c} />
        </li>
      ))}
    </ul>
  );
}

/** The subnets as text, with the gateway of each. */
export function SubnetText({ row }: { row: NetworkRow }) {
  if (row.ipam.length === 0) return <span class="muted">none</span>;
  return (
    <ul class="subnets">
      {row.ipam.map((b) => (
        <li>
          <code>{b.subnet}</code>
          {b.gateway && (
            <span
              class="muted after-space"
              title={b.gatewayInferred ? "Docker's choice (not reported)" : ""}
            >
              gw <code>{b.gateway}</code>
            </span>
          )}
          {b.ipRange && (
            <span class="muted after-space">
              range <code>{b.ipRange}</code>
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The networks and containers of `rows` as the topology picture takes them. */
export function topologyOf(
  rows: NetworkRow[],
  opts: { addresses?: boolean } = {},
): { networks: TopoNetwork[]; containers: TopoContainer[]; edges: TopoEdge[] } {
  const networks = rows.map((r) => ({
    id: r.id,
    name: r.name,
    href: networkHref(r.name),
    sub: opts.addresses ? r.ipam.map((b) => b.subnet).join(" ") || r.driver : undefined,
  }));
  const containers = new Map<string, TopoContainer>();
  const edges: TopoEdge[] = [];
  for (const r of rows) {
    for (const c of r.containers) {
      const sub = opts.addresses
        ? [c.ipv4 ?? c.staticIpv4, c.ipv6 ?? c.staticIpv6].filter(Boolean).join(" ")
        : undefined;
      containers.set(c.id, { id: c.id, name: c.name, state: c.state, sub: sub || undefined });
      edges.push({ network: r.id, container: c.id });
    }
  }
  return { networks, containers: [...containers.values()], edges };
}

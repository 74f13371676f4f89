import type { Child } from "hono/jsx";
import { LS_CLI } from "../../services/networks/cli.ts";
import type { NetworkRow } from "../../services/networks/model.ts";
import { DataTable } from "../table.tsx";
import { Alert, PageHead } from "../ui.tsx";
import { AttachedList, NetworkBadges, networkHref, SubnetText, topologyOf } from "./common.tsx";
import { PruneButton } from "./prune.tsx";
import { Topology } from "./topology.tsx";

function Row({ row }: { row: NetworkRow }) {
  return (
    <tr id={`network-${row.shortId}`} class="network-row" data-name={row.name}>
      <td class="col-net-name">
        <a href={networkHref(row.name)} class="name-link">{row.name}</a>
        <NetworkBadges row={row} />
      </td>
      <td class="col-driver" data-label="Driver">
        {row.driver}
        {row.parent && <span class="muted">on {row.parent}</span>}
        <span class="muted hide-sm">{row.scope}</span>
      </td>
      <td class="col-subnets" data-label="Subnets">
        <SubnetText row={row} />
      </td>
      <td class="col-attached" data-label="Containers">
        <AttachedList containers={row.containers} />
      </td>
      <td class="col-actions">
        {!row.builtin && (
          <a
            class="btn btn-small btn-danger"
            href={networkHref(row.name, "/remove")}
            title={`docker network rm ${row.name}`}
          >
            Remove…
          </a>
        )}
      </td>
    </tr>
  );
}

/** Networks ↔ containers: every network but Docker's host and none when nothing is on them. */
export function HostTopology({ rows }: { rows: NetworkRow[] }) {
  const shown = rows.filter((r) => !(r.builtin && r.unused));
  const topo = topologyOf(shown);
  return (
    <section class="card topology-card" aria-labelledby="topology-title">
      <h2 id="topology-title">Topology</h2>
      {topo.networks.length === 0 ? <p class="muted">No networks to show.</p> : (
        <Topology
          {...topo}
          label={`${topo.networks.length} networks and ${topo.containers.length} containers`}
        />
      )}
    </section>
  );
}

export function NetworksPage(
  { rows, unavailable, notice }: { rows: NetworkRow[]; unavailable?: string; notice?: Child },
) {
  const unused = rows.filter((r) => r.unused && !r.builtin).length;
  return (
    <>
      <PageHead title="Networks">
        <a class="btn btn-primary" href="/networks/new" id="create-network">Create network</a>
        <PruneButton />
      </PageHead>
      {notice}
      <div id="prune-panel"></div>
      {unavailable && <Alert kind="error">{unavailable}</Alert>}
      {!unavailable && (
        <>
          <div class="list-meta">
            <p class="muted" id="list-count">
              {rows.length} networks, {unused} unused
            </p>
            <pre class="cli-line" id="ls-cli"><code>{LS_CLI}</code></pre>
          </div>
          <DataTable
            class="networks"
            wrapClass="networks-wrap"
            id="networks-table"
            columns={["Network", "Driver", "Subnets", "Containers", { srOnly: "Actions" }]}
          >
            {rows.map((row) => <Row row={row} />)}
          </DataTable>
          <HostTopology rows={rows} />
        </>
      )}
    </>
  );
}

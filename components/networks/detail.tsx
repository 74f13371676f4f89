import type { Child } from "hono/jsx";
import type {
  AddressBlockView,
  AddressHolder,
  NetworkDetail,
} from "../../services/networks/model.ts";
import { inspectCli } from "../../services/networks/cli.ts";
import { containerHref, StateBadge, When } from "../containers/common.tsx";
import { SelectField, TextField } from "../form-fields.tsx";
import { DataTable } from "../table.tsx";
import { Alert, PageHead } from "../ui.tsx";
import { AddressText, NetworkBadges, networkHref, topologyOf } from "./common.tsx";
import { Topology } from "./topology.tsx";

export type ConnectForm = {
  values: Partial<Record<"container" | "ip" | "aliases", string>>;
  errors: Partial<Record<string, string>>;
};

const yes = (b: boolean) => (b ? "yes" : "no");

function Facts({ d }: { d: NetworkDetail }) {
  const labels = Object.entries(d.labels);
  return (
    <section class="card network-facts">
      <dl class="facts">
        <dt>Driver</dt>
        <dd>
          {d.driver} <span class="muted">({d.scope})</span>
        </dd>
        {d.parent && (
          <>
            <dt>Parent interface</dt>
            <dd>
              <code>{d.parent}</code>
            </dd>
          </>
        )}
        <dt>Id</dt>
        <dd>
          <code>{d.shortId}</code>
        </dd>
        <dt>Created</dt>
        <dd>
          <When iso={d.created} />
        </dd>
        <dt>Internal</dt>
        <dd>{yes(d.internal)}</dd>
        <dt>Attachable</dt>
        <dd>{yes(d.attachable)}</dd>
        <dt>IPv6</dt>
        <dd>{yes(d.ipv6)}</dd>
        {d.stack && (
          <>
            <dt>Stack</dt>
            <dd>
              {d.stack} <span class="muted">(compose project)</span>
            </dd>
          </>
        )}
        {labels.length > 0 && (
          <>
            <dt>Labels</dt>
            <dd>
              <ul class="labels">
                {labels.map(([k, v]) => (
                  <li>
                    <code>{k}={v}</code>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
      <details class="cli">
        <summary>Docker CLI</summary>
        <pre><code>{`${d.cli}\n${inspectCli(d.name)}`}</code></pre>
      </details>
    </section>
  );
}

function holderText(h: AddressHolder): Child {
  if (h.kind === "gateway") return <>gateway{h.inferred ? " (Docker's choice)" : ""}</>;
  if (h.kind === "auxiliary") return <>reserved: {h.name}</>;
  return (
    <>
      <a href={containerHref(h.name)}>{h.name}</a> <StateBadge state={h.state} />
      {h.static && <span class="muted">static</span>}
    </>
  );
}

/** Which address is whose in one subnet, and the runs of free ones. */
function AddressBlock({ block }: { block: AddressBlockView }) {
  return (
    <div class="address-block" data-subnet={block.subnet}>
      <h3>
        <code>{block.subnet}</code>
        {block.ipRange && (
          <span class="muted after-space">
            hands out <code>{block.ipRange}</code>
          </span>
        )}
      </h3>
      <DataTable class="addresses" columns={["Address", "Held by"]}>
        {block.entries.map((e) =>
          e.kind === "used"
            ? (
              <tr class="addr-used">
                <td>
                  <code>{e.address}</code>
                </td>
                <td>{holderText(e.holder)}</td>
              </tr>
            )
            : (
              <tr class="addr-free">
                <td>
                  <code>{e.from}</code>
                  {e.to !== e.from && (
                    <>
                      {" – "}
                      <code>{e.to}</code>
                    </>
                  )}
                </td>
                <td class="muted">free ({e.countText})</td>
              </tr>
            )
        )}
      </DataTable>
      <p class="muted addr-summary">
        {block.used.length} in use, {block.freeText} free to hand out.
      </p>
    </div>
  );
}

function DisconnectButton({ network, container }: { network: string; container: string }) {
  const action = networkHref(network, "/disconnect");
  return (
    <form
      method="post"
      action={action}
      hx-post={action}
      hx-target="#network-body"
      hx-swap="outerHTML"
      class="inline"
    >
      <input type="hidden" name="container" value={container} />
      <button
        type="submit"
        class="btn btn-small"
        title={`docker network disconnect ${network} ${container}`}
      >
        Disconnect
      </button>
    </form>
  );
}

function Containers({ d }: { d: NetworkDetail }) {
  if (d.containers.length === 0) {
    return <p class="muted" id="no-containers">No container is on this network.</p>;
  }
  return (
    <DataTable
      class="attached-table"
      id="attached-table"
      columns={["Container", "Address", "Aliases", "MAC", { srOnly: "Actions" }]}
    >
      {d.containers.map((c) => (
        <tr data-container={c.name}>
          <td>
            <a href={containerHref(c.name)} class="name-link">{c.name}</a>{" "}
            <StateBadge state={c.state} />
          </td>
          <td data-label="Address">
            <AddressText c={c} />
          </td>
          <td data-label="Aliases">
            {c.aliases.length ? c.aliases.join(", ") : <span class="muted">—</span>}
          </td>
          <td data-label="MAC">
            {c.mac ? <code>{c.mac}</code> : <span class="muted">—</span>}
          </td>
          <td class="col-actions">
            {!d.builtin || d.name === "bridge"
              ? <DisconnectButton network={d.name} container={c.name} />
              : null}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function ConnectCard({ d, form }: { d: NetworkDetail; form: ConnectForm }) {
  const action = networkHref(d.name, "/connect");
  const firstFree = d.addresses.find((b) => b.family === 4)?.free[0]?.from;
  const options = [
    { value: "", label: "Choose a container…" },
    ...d.candidates.map((c) => ({ value: c.name, label: `${c.name} (${c.state})` })),
  ];
  const field = { prefix: "connect-", values: form.values, errors: form.errors };
  return (
    <section class="card connect-card" id="connect-card" aria-labelledby="connect-title">
      <h2 id="connect-title">Connect a container</h2>
      {d.candidates.length === 0
        ? <p class="muted">Every container is on this network already.</p>
        : (
          <form
            method="post"
            action={action}
            hx-post={action}
            hx-target="#network-body"
            hx-swap="outerHTML"
            id="connect-form"
            novalidate
          >
            {form.errors.form && <Alert kind="error">{form.errors.form}</Alert>}
            <div class="form-grid">
              <SelectField {...field} name="container" label="Container" options={options} />
              <TextField
                {...field}
                name="ip"
                label="Static address"
                placeholder={firstFree ?? "(Docker picks one)"}
                hint={d.builtin
                  ? "Docker's own networks take no static address."
                  : "Optional; in the subnet and not in use (see Addresses)."}
              />
              <TextField
                {...field}
                name="aliases"
                label="Aliases"
                placeholder="db database"
                hint="Optional: more names other containers on this network can use for it."
              />
            </div>
            <div class="button-row">
              <button type="submit" class="btn btn-primary" id="connect-submit">Connect</button>
            </div>
          </form>
        )}
    </section>
  );
}

/** What connect and disconnect change: swapped as one piece, with their notice. */
export function NetworkBody(
  { d, notice, connect }: { d: NetworkDetail; notice?: Child; connect?: ConnectForm },
) {
  const topo = topologyOf([d], { addresses: true });
  return (
    <div id="network-body">
      <p class="net-head-badges">
        <NetworkBadges row={d} />
      </p>
      {notice}
      <Facts d={d} />
      <section class="card" aria-labelledby="containers-title">
        <h2 id="containers-title">Containers</h2>
        <Containers d={d} />
        {d.containers.length > 0 && (
          <Topology
            {...topo}
            label={`${d.name} and its ${d.containers.length} containers`}
          />
        )}
      </section>
      <ConnectCard d={d} form={connect ?? { values: {}, errors: {} }} />
      <section class="card" aria-labelledby="addresses-title" id="addresses">
        <h2 id="addresses-title">Addresses</h2>
        {d.addresses.length === 0
          ? <p class="muted">This network hands out no addresses ({d.driver}).</p>
          : d.addresses.map((b) => <AddressBlock block={b} />)}
      </section>
    </div>
  );
}

export function NetworkDetailPage(
  { d, notice, connect }: { d: NetworkDetail; notice?: Child; connect?: ConnectForm },
) {
  return (
    <>
      <PageHead title={d.name} titleClass="network-title">
        <a class="btn" href="/networks">All networks</a>
        {!d.builtin && (
          <a class="btn btn-danger" href={networkHref(d.name, "/remove")} id="remove-network">
            Remove…
          </a>
        )}
      </PageHead>
      <NetworkBody d={d} notice={notice} connect={connect} />
    </>
  );
}

/**
 * Networks through the API against the real daemon: create with a suggested subnet and the
 * refusals of bad addressing (each naming its field, an overlap naming the other network),
 * connect with an alias and a static address (outside the subnet 400, taken 409), the address
 * view, removal refused while in use (running or stopped) and for built-ins, and a prune that
 * removes exactly what its preview listed. Every network and container carries the run label.
 */
import assert from "node:assert/strict";
import { withApp } from "../helpers/app.ts";
import type { Client } from "../helpers/client.ts";
import { docker, dockerApi, runLabeled, TEST_LABEL } from "../helpers/docker.ts";
import { images } from "../testbed/images.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

type ErrorBody = { error: string; message: string; code: number };
type Created = { id: string; name: string; cli: string };
type Attached = {
  name: string;
  state: string;
  ipv4: string | null;
  staticIpv4: string | null;
  aliases: string[];
};
type Detail = {
  name: string;
  ipam: { subnet: string; gateway: string | null; gatewayInferred: boolean }[];
  containers: Attached[];
  addresses: {
    subnet: string;
    used: { address: string; holder: { kind: string; name?: string } }[];
    free: { from: string; to: string; count: number }[];
  }[];
  cli: string;
};
type NetworkInspect = {
  Id: string;
  EnableIPv6: boolean;
  Internal: boolean;
  IPAM: { Config: { Subnet: string; Gateway?: string; IPRange?: string }[] };
  Labels: Record<string, string>;
};

/** A free /24 from the server's suggestion, split into the parts a test uses. */
async function freeSubnet(client: Client) {
  const r = await client.json<{ subnet: string; ipv6Subnet: string }>(
    "GET",
    "/api/v1/networks/suggest",
  );
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const prefix = r.body.subnet.replace(/\.0\/24$/, "");
  return { subnet: r.body.subnet, prefix, ipv6Subnet: r.body.ipv6Subnet };
}

function createNetwork(client: Client, run: string, body: Record<string, unknown>) {
  return client.json<Created & ErrorBody>("POST", "/api/v1/networks", {
    labels: { [TEST_LABEL]: run },
    ...body,
  });
}

const inspectNetwork = (ref: string) =>
  dockerApi<NetworkInspect>(`/networks/${encodeURIComponent(ref)}`);

Deno.test(
  "networks: create validates addressing and names the field or the other network",
  opts,
  () =>
    withApp(async ({ client, run }) => {
      const { subnet, prefix } = await freeSubnet(client);
      const name = `${run}-front`;
      const created = await createNetwork(client, run, {
        name,
        subnet,
        gateway: `${prefix}.1`,
        ipRange: `${prefix}.128/25`,
        attachable: true,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(
        created.body.cli,
        `docker network create --driver bridge --subnet ${subnet} --gateway ${prefix}.1 ` +
          `--ip-range ${prefix}.128/25 --attachable --label ${TEST_LABEL}=${run} ${name}`,
      );
      const net = await inspectNetwork(name);
      assert.equal(net.Id, created.body.id);
      assert.deepEqual(net.IPAM.Config, [
        { Subnet: subnet, Gateway: `${prefix}.1`, IPRange: `${prefix}.128/25` },
      ]);

      const again = await createNetwork(client, run, { name });
      assert.equal(again.status, 409, "the name is taken");
      assert.match(again.body.message, new RegExp(`^name: .*${name}`));

      const overlap = await createNetwork(client, run, { name: `${run}-b`, subnet });
      assert.equal(overlap.status, 409, JSON.stringify(overlap.body));
      assert.match(overlap.body.message, /^subnet: /);
      assert.match(overlap.body.message, new RegExp(`network ${name}\\b`), "names the network");

      const refusals: [Record<string, unknown>, RegExp][] = [
        [{ subnet: "10.89.300.0/24" }, /^subnet: 10\.89\.300\.0\/24 is not a CIDR block/],
        [{ subnet: "192.0.2.7/24" }, /^subnet: .* use 192\.0\.2\.0\/24/],
        [{ subnet: "192.0.2.0/24", gateway: "192.0.3.1" }, /^gateway: 192\.0\.3\.1 is outside/],
        [{ subnet: "192.0.2.0/24", ipRange: "192.0.3.0/25" }, /^ipRange: .* not inside/],
        [{ gateway: "192.0.2.1" }, /^gateway: needs a subnet/],
        [{ driver: "macvlan" }, /^parent: a macvlan network needs/],
        [{ parent: "eth0" }, /^parent: only macvlan and ipvlan/],
        [{ ipv6: true }, /^ipv6Subnet: IPv6 needs a subnet/],
        [{ name: "-bad" }, /^name: /],
        // Refused by Docker itself (no such interface): the message still names the field.
        [{ driver: "macvlan", parent: "dmnosuch0" }, /^parent: /],
      ];
      for (const [body, message] of refusals) {
        const r = await createNetwork(client, run, { name: `${run}-bad`, ...body });
        assert.equal(r.status, 400, `${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.message, message, JSON.stringify(body));
      }
      const bad = await dockerApi<unknown[]>(
        `/networks?filters=${encodeURIComponent(JSON.stringify({ name: [`${run}-b`] }))}`,
      );
      assert.deepEqual(bad, [], "no refused network was made");
    }),
);

Deno.test(
  "networks: IPv6, internal, macvlan and ipvlan, and the list's fields",
  opts,
  () =>
    withApp(async ({ client, run }) => {
      const { subnet, prefix, ipv6Subnet } = await freeSubnet(client);
      const name = `${run}-dual`;
      const created = await createNetwork(client, run, {
        name,
        subnet,
        internal: true,
        ipv6: true,
        ipv6Subnet,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.match(
        created.body.cli,
        new RegExp(`--ipv6 --subnet ${ipv6Subnet.replace(/\./g, "\\.")}`),
      );
      const net = await inspectNetwork(name);
      assert.equal(net.EnableIPv6, true);
      assert.equal(net.Internal, true);
      assert.ok(net.IPAM.Config.some((c) => c.Subnet === ipv6Subnet), JSON.stringify(net.IPAM));

      const list = await client.json<Record<string, unknown>[]>("GET", "/api/v1/networks");
      assert.equal(list.status, 200);
      const row = list.body.find((n) => n.name === name)!;
      assert.ok(row, "the new network is listed");
      for (const key of ["id", "name", "driver", "subnets", "containers", "builtin", "unused"]) {
        assert.ok(key in row, `list item has ${key}`);
      }
      assert.deepEqual(row.subnets, [subnet, ipv6Subnet]);
      assert.equal(row.builtin, false);
      assert.equal(row.unused, true);
      assert.equal(row.internal, true);
      assert.deepEqual(row.gateways, [`${prefix}.1`, ipv6Subnet.replace(/\/64$/, "1")]);
      const bridge = list.body.find((n) => n.name === "bridge")!;
      assert.equal(bridge.builtin, true);

      // macvlan and ipvlan on a parent interface: the daemon's docker0 exists wherever it runs,
      // and no link is made until a container joins, so nothing changes on the host.
      for (const driver of ["macvlan", "ipvlan"]) {
        const lan = `${run}-${driver}`;
        const made = await createNetwork(client, run, { name: lan, driver, parent: "docker0" });
        assert.equal(made.status, 201, JSON.stringify(made.body));
        assert.match(made.body.cli, new RegExp(`--driver ${driver} .*-o parent=docker0`));
        const inspected = await dockerApi<{ Driver: string; Options: Record<string, string> }>(
          `/networks/${lan}`,
        );
        assert.equal(inspected.Driver, driver);
        assert.equal(inspected.Options.parent, "docker0");
        const one = await client.json<{ parent: string; driver: string }>(
          "GET",
          `/api/v1/networks/${lan}`,
        );
        assert.equal(one.body.parent, "docker0");
        assert.equal((await client.json("DELETE", `/api/v1/networks/${lan}`)).status, 200);
      }
    }),
);

Deno.test(
  "networks: connect with an alias and a static address; the address view; disconnect",
  opts,
  () =>
    withApp(async ({ client, run }) => {
      const { subnet, prefix } = await freeSubnet(client);
      const name = `${run}-app`;
      const created = await createNetwork(client, run, { name, subnet });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const db = `${run}-db`;
      const other = `${run}-other`;
      await runLabeled(run, db, [images.web]);
      await runLabeled(run, other, [images.web]);

      const connect = (body: Record<string, unknown>) =>
        client.json<ErrorBody & { cli: string }>("POST", `/api/v1/networks/${name}/connect`, body);

      const outside = await connect({ container: db, ip: "192.0.2.10" });
      assert.equal(outside.status, 400, JSON.stringify(outside.body));
      assert.match(
        outside.body.message,
        new RegExp(`^ip: 192\\.0\\.2\\.10 is outside the subnet ${subnet}`),
      );
      const gateway = await connect({ container: db, ip: `${prefix}.1` });
      assert.equal(gateway.status, 409, JSON.stringify(gateway.body));
      assert.match(gateway.body.message, /^ip: .* taken by the gateway/);

      const ok = await connect({ container: db, ip: `${prefix}.20`, aliases: ["database"] });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(
        ok.body.cli,
        `docker network connect --ip ${prefix}.20 --alias database ${name} ${db}`,
      );
      const inspect = await dockerApi<{
        NetworkSettings: {
          Networks: Record<string, { IPAddress: string; Aliases: string[]; IPAMConfig: unknown }>;
        };
      }>(`/containers/${db}/json`);
      const ep = inspect.NetworkSettings.Networks[name];
      assert.equal(ep.IPAddress, `${prefix}.20`);
      assert.ok(ep.Aliases.includes("database"), JSON.stringify(ep.Aliases));
      const resolved = await docker(["exec", db, "nslookup", "database"]);
      assert.match(resolved, new RegExp(`${prefix.replace(/\./g, "\\.")}\\.20`), resolved);

      const taken = await connect({ container: other, ip: `${prefix}.20` });
      assert.equal(taken.status, 409, JSON.stringify(taken.body));
      assert.match(taken.body.message, new RegExp(`^ip: .* taken by ${db}`));
      const twice = await connect({ container: db });
      assert.equal(twice.status, 409);
      assert.match(twice.body.message, /^container: .* already connected/);
      const auto = await connect({ container: other });
      assert.equal(auto.status, 200, JSON.stringify(auto.body));

      const detail = await client.json<Detail>("GET", `/api/v1/networks/${name}`);
      assert.equal(detail.status, 200);
      const dbRow = detail.body.containers.find((c) => c.name === db)!;
      assert.equal(dbRow.ipv4, `${prefix}.20`);
      assert.equal(dbRow.staticIpv4, `${prefix}.20`);
      assert.deepEqual(dbRow.aliases, ["database"]);
      assert.deepEqual(detail.body.ipam, [{
        family: 4,
        subnet,
        gateway: `${prefix}.1`,
        gatewayInferred: detail.body.ipam[0].gatewayInferred,
        ipRange: null,
        auxiliary: {},
      }]);
      const view = detail.body.addresses[0];
      const holders = Object.fromEntries(
        view.used.map((
          u,
        ) => [u.address, u.holder.kind === "container" ? u.holder.name : u.holder.kind]),
      );
      assert.equal(holders[`${prefix}.1`], "gateway");
      assert.equal(holders[`${prefix}.20`], db);
      const otherIp = detail.body.containers.find((c) => c.name === other)!.ipv4!;
      assert.equal(holders[otherIp], other);
      const freeCount = view.free.reduce((n, s) => n + s.count, 0);
      assert.equal(freeCount, 254 - 3, "a /24 gives 254 addresses; the gateway and two are used");
      assert.ok(view.free.some((s) => s.from === `${prefix}.21`), JSON.stringify(view.free));

      // Docker gives static addresses only on a subnet the user chose, not one from its pool.
      const pooled = `${run}-pooled`;
      assert.equal((await createNetwork(client, run, { name: pooled })).status, 201);
      const pooledGateway = (await client.json<Detail>("GET", `/api/v1/networks/${pooled}`)).body
        .ipam[0].gateway!;
      const refusedByDocker = await client.json<ErrorBody>(
        "POST",
        `/api/v1/networks/${pooled}/connect`,
        { container: other, ip: pooledGateway.replace(/\.1$/, ".9") },
      );
      assert.equal(refusedByDocker.status, 400, JSON.stringify(refusedByDocker.body));
      assert.match(refusedByDocker.body.message, /^ip: /);

      const off = await client.json<{ cli: string }>(
        "POST",
        `/api/v1/networks/${name}/disconnect`,
        {
          container: other,
        },
      );
      assert.equal(off.status, 200, JSON.stringify(off.body));
      assert.equal(off.body.cli, `docker network disconnect ${name} ${other}`);
      const after = await dockerApi<{ NetworkSettings: { Networks: Record<string, unknown> } }>(
        `/containers/${other}/json`,
      );
      assert.ok(!(name in after.NetworkSettings.Networks), "Docker says it is disconnected");
      const notOn = await client.json<ErrorBody>("POST", `/api/v1/networks/${name}/disconnect`, {
        container: other,
      });
      assert.equal(notOn.status, 409);
      assert.match(notOn.body.message, /^container: .* not connected/);

      const audit = await client.json<{ action: string }[]>("GET", "/api/v1/audit?limit=50");
      const actions = audit.body.map((a) => a.action);
      for (const a of ["network.create", "network.connect", "network.disconnect"]) {
        assert.ok(actions.includes(a), `${a} is audited`);
      }
    }),
);

Deno.test(
  "networks: removal refused for built-ins and while in use, running or stopped",
  opts,
  () =>
    withApp(async ({ client, run }) => {
      for (const builtin of ["bridge", "host", "none"]) {
        const r = await client.json<ErrorBody>("DELETE", `/api/v1/networks/${builtin}`);
        assert.equal(r.status, 409, builtin);
        assert.match(r.body.message, /built-in/);
      }
      const name = `${run}-used`;
      assert.equal((await createNetwork(client, run, { name })).status, 201);
      const user = `${run}-user`;
      await runLabeled(run, user, ["--network", name, images.web]);

      const refused = await client.json<ErrorBody & { usedBy: { name: string }[] }>(
        "DELETE",
        `/api/v1/networks/${name}`,
      );
      assert.equal(refused.status, 409);
      assert.match(refused.body.message, new RegExp(`in use by ${user}\\b`));
      assert.deepEqual(refused.body.usedBy.map((u) => u.name), [user]);

      // Docker itself would remove it now, leaving the stopped container unable to start.
      await docker(["stop", "-t", "1", user]);
      const stopped = await client.json<ErrorBody>("DELETE", `/api/v1/networks/${name}`);
      assert.equal(stopped.status, 409);
      assert.match(stopped.body.message, new RegExp(`${user} \\(exited\\)`));

      await docker(["rm", user]);
      const removed = await client.json<{ cli: string }>("DELETE", `/api/v1/networks/${name}`);
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.equal(removed.body.cli, `docker network rm ${name}`);
      const gone = await fetchStatus(`/networks/${name}`);
      assert.equal(gone, 404);
    }),
);

async function fetchStatus(path: string): Promise<number> {
  try {
    await dockerApi(path);
    return 200;
  } catch (err) {
    return Number(/: (\d{3}) /.exec((err as Error).message)?.[1]);
  }
}

Deno.test(
  "networks: prune removes exactly the unused networks its preview listed",
  opts,
  () =>
    withApp(async ({ client, run }) => {
      const unused = `${run}-idle`;
      const used = `${run}-busy`;
      assert.equal((await createNetwork(client, run, { name: unused })).status, 201);
      assert.equal((await createNetwork(client, run, { name: used })).status, 201);
      // A stopped container is enough to keep a network (Docker's own prune would take it).
      await docker([
        "create",
        "--name",
        `${run}-sleeper`,
        "--label",
        `${TEST_LABEL}=${run}`,
        "--network",
        used,
        images.web,
      ]);

      type Plan = { candidates: { id: string; name: string }[]; cli: string };
      const label = encodeURIComponent(`${TEST_LABEL}=${run}`);
      const plan = await client.json<Plan>("GET", `/api/v1/networks/prune?label=${label}`);
      assert.equal(plan.status, 200);
      assert.deepEqual(plan.body.candidates.map((c) => c.name), [unused]);
      assert.equal(plan.body.cli, `docker network rm ${unused}`);

      const all = await client.json<Plan>("GET", "/api/v1/networks/prune");
      const names = all.body.candidates.map((c) => c.name);
      assert.ok(names.includes(unused));
      assert.ok(!names.includes(used) && !names.includes("bridge"), names.join(", "));

      // The page's preview (as htmx asks for it) lists the same; its confirmation sends ids.
      const page = await client.text("GET", "/networks/prune", {
        headers: { "hx-request": "true" },
      });
      assert.equal(page.status, 200);
      assert.match(page.body, new RegExp(`<strong>${unused}</strong>`));
      assert.doesNotMatch(page.body, new RegExp(`<strong>${used}</strong>`));
      assert.match(page.body, new RegExp(`name="ids" value="${plan.body.candidates[0].id}"`));

      const busyId = (await inspectNetwork(used)).Id;
      const result = await client.json<{
        removed: { name: string }[];
        skipped: { id: string; reason: string }[];
        cli: string;
      }>("POST", "/api/v1/networks/prune", { ids: [plan.body.candidates[0].id, busyId] });
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.deepEqual(result.body.removed.map((r) => r.name), [unused]);
      assert.equal(result.body.skipped.length, 1);
      assert.match(result.body.skipped[0].reason, new RegExp(`now used by ${run}-sleeper`));
      assert.equal(await fetchStatus(`/networks/${unused}`), 404);
      assert.equal(await fetchStatus(`/networks/${used}`), 200);
    }),
);

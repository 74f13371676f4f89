/**
 * The pure parts of networks: addresses and blocks (services/ip.ts), the create input's
 * addressing rules, a network read from Docker's lists, the address map, static addresses,
 * the suggested subnets and the CLI lines.
 */
import assert from "node:assert/strict";
import type { ContainerSummary, NetworkInspect } from "../../services/docker/types.ts";
import { Conflict, InvalidInput } from "../../services/errors.ts";
import { contains, formatCidr, overlaps, parseAddress, parseCidr } from "../../services/ip.ts";
import {
  addressView,
  checkOverlap,
  checkStaticAddress,
  suggestIpv6Subnet,
  suggestSubnet,
} from "../../services/networks/addresses.ts";
import { connectCli, createCli, disconnectCli } from "../../services/networks/cli.ts";
import { networkRow, networkRows } from "../../services/networks/model.ts";
import { createNetworkFormSchema, createNetworkSchema } from "../../services/networks/schemas.ts";
import { describeIssues } from "../../routes/http/validate.ts";

const cidr = (t: string) => parseCidr(t)!;

Deno.test("ip: strict literals, blocks that contain and overlap, canonical notation", () => {
  assert.equal(parseAddress("10.1"), null, "no shorthand IPv4");
  assert.equal(parseAddress("10.0.0.256"), null);
  assert.equal(parseAddress("fe80::1%eth0"), null, "no zone");
  assert.equal(parseAddress("fd00::1")?.family, 6);
  assert.ok(contains(cidr("10.89.0.0/24"), parseAddress("10.89.0.255")!));
  assert.ok(!contains(cidr("10.89.0.0/24"), parseAddress("10.89.1.0")!));
  assert.ok(!contains(cidr("10.89.0.0/24"), parseAddress("::ffff:10.89.0.1")!), "families differ");
  assert.ok(overlaps(cidr("10.89.0.0/16"), cidr("10.89.7.0/24")));
  assert.ok(!overlaps(cidr("10.89.0.0/24"), cidr("10.89.1.0/24")));
  assert.equal(formatCidr(cidr("10.1.2.3/24")), "10.1.2.0/24");
  assert.equal(formatCidr(cidr("fd00:0:0:0:0:0:0:1/64")), "fd00::/64");
});

function issues(input: Record<string, unknown>): string {
  const r = createNetworkSchema.safeParse({ name: "n", ...input });
  return r.success ? "" : describeIssues(r.error.issues);
}

Deno.test("create input: each addressing problem names its field", () => {
  assert.equal(
    issues({ subnet: "10.89.0.0/24", gateway: "10.89.0.1", ipRange: "10.89.0.128/25" }),
    "",
  );
  assert.match(issues({ subnet: "10.89.0.0" }), /^subnet: 10\.89\.0\.0 is not a CIDR block/);
  assert.match(issues({ subnet: "fd00::/64" }), /^subnet: must be an IPv4 block .*ipv6Subnet/);
  assert.match(issues({ subnet: "10.89.0.5/24" }), /^subnet: .* use 10\.89\.0\.0\/24$/);
  assert.match(issues({ subnet: "10.89.0.0/31" }), /^subnet: \/31 is too small/);
  assert.match(issues({ subnet: "10.89.0.0/24", gateway: "10.89.0.0" }), /^gateway: .*own address/);
  assert.match(issues({ subnet: "10.89.0.0/24", gateway: "10.89.0.255" }), /^gateway: .*broadcast/);
  assert.match(issues({ subnet: "10.89.0.0/24", gateway: "fd00::1" }), /^gateway: .*not an IPv4/);
  assert.match(
    issues({ subnet: "10.89.0.0/24", ipRange: "10.89.0.0/23" }),
    /^ipRange: .*not inside/,
  );
  assert.match(issues({ ipRange: "10.89.0.0/25" }), /^ipRange: needs a subnet/);
  assert.match(issues({ ipv6Subnet: "fd00::/64" }), /^ipv6Subnet: is for an IPv6 network/);
  assert.match(
    issues({ ipv6: true, ipv6Subnet: "fd00::/64", ipv6Gateway: "fd01::1" }),
    /^ipv6Gateway: fd01::1 is outside the subnet fd00::\/64/,
  );
  assert.match(issues({ driver: "ipvlan", parent: "eth0 ; rm" }), /^parent: an interface name/);
  assert.equal(issues({ driver: "ipvlan", parent: "eth0.10" }), "");
  assert.match(issues({ driver: "overlay" }), /^driver: /);
});

Deno.test("create form: boxes, labels as lines, IPv6 fields only with the IPv6 box", () => {
  const form = {
    name: "web",
    driver: "bridge",
    subnet: "10.89.3.0/24",
    ipv6Subnet: "fd12::/64",
    internal: "on",
    labels: "a=1\nb = two words\n",
  };
  const off = createNetworkFormSchema.parse(form);
  assert.equal(off.ipv6, false);
  assert.equal(off.ipv6Subnet, undefined, "a suggestion left in the field is not sent");
  assert.equal(off.internal, true);
  assert.deepEqual(off.labels, { a: "1", b: "two words" });
  const on = createNetworkFormSchema.parse({ ...form, ipv6: "on" });
  assert.equal(on.ipv6Subnet, "fd12::/64");
  const bad = createNetworkFormSchema.safeParse({ ...form, labels: "novalue" });
  assert.ok(!bad.success);
  assert.match(describeIssues(bad.error.issues), /^labels: line 1 is not KEY=VALUE/);
});

function net(over: Partial<NetworkInspect> = {}): NetworkInspect {
  return {
    Name: "app",
    Id: "a".repeat(64),
    Created: "2026-01-01T00:00:00Z",
    Scope: "local",
    Driver: "bridge",
    EnableIPv6: false,
    IPAM: { Driver: "default", Config: [{ Subnet: "10.89.5.0/24", IPRange: "10.89.5.128/25" }] },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigOnly: false,
    Containers: {},
    Options: {},
    Labels: { "com.docker.compose.project": "shop" },
    ...over,
  };
}

function ctr(
  name: string,
  state: string,
  networks: Record<string, Record<string, unknown>>,
): ContainerSummary {
  return {
    Id: `${name.padEnd(12, "0")}${"f".repeat(52)}`,
    Names: [`/${name}`],
    State: state,
    NetworkSettings: { Networks: networks },
  } as unknown as ContainerSummary;
}

const endpoint = (over: Record<string, unknown>) => ({
  NetworkID: "a".repeat(64),
  IPAddress: "",
  GlobalIPv6Address: "",
  MacAddress: "",
  Gateway: "",
  IPv6Gateway: "",
  IPAMConfig: null,
  ...over,
});

Deno.test("model: containers by network id or (never started) name; gateway; stack; built-in", () => {
  const containers = [
    ctr("web", "running", { app: endpoint({ IPAddress: "10.89.5.129", MacAddress: "02:42" }) }),
    ctr("db", "created", {
      app: endpoint({ NetworkID: "", IPAMConfig: { IPv4Address: "10.89.5.10" } }),
    }),
    ctr("elsewhere", "running", { other: endpoint({ NetworkID: "b".repeat(64) }) }),
  ];
  const row = networkRow(net(), containers);
  assert.deepEqual(row.containers.map((c) => c.name), ["db", "web"], "by address");
  assert.equal(row.containers[0].staticIpv4, "10.89.5.10");
  assert.equal(row.containers[0].ipv4, null);
  assert.equal(row.stack, "shop");
  assert.equal(row.unused, false);
  assert.deepEqual(row.ipam[0], {
    family: 4,
    subnet: "10.89.5.0/24",
    gateway: "10.89.5.128",
    gatewayInferred: true,
    ipRange: "10.89.5.128/25",
    auxiliary: {},
  }, "Docker takes the range's first address and does not say so");
  const reported = networkRow(net(), [
    ctr("web", "running", { app: endpoint({ IPAddress: "10.89.5.129", Gateway: "10.89.5.200" }) }),
  ]);
  assert.equal(reported.ipam[0].gateway, "10.89.5.200");
  assert.equal(reported.ipam[0].gatewayInferred, false);

  const rows = networkRows(
    [net({ Name: "host", Driver: "host", IPAM: { Config: [] } }), net()],
    [],
  );
  assert.deepEqual(rows.map((r) => [r.name, r.builtin, r.unused]), [
    ["app", false, true],
    ["host", true, true],
  ]);
});

Deno.test("address map: who holds what, free runs in order; static addresses checked", () => {
  const row = networkRow(net({ IPAM: { Config: [{ Subnet: "10.89.5.0/29" }] } }), [
    ctr("web", "running", { app: endpoint({ IPAddress: "10.89.5.3" }) }),
    ctr("db", "exited", { app: endpoint({ IPAMConfig: { IPv4Address: "10.89.5.5" } }) }),
  ]);
  const [view] = addressView(row);
  assert.deepEqual(
    view.entries.map((e) => (e.kind === "used" ? e.address : `${e.from}-${e.to}`)),
    [
      "10.89.5.1",
      "10.89.5.2-10.89.5.2",
      "10.89.5.3",
      "10.89.5.4-10.89.5.4",
      "10.89.5.5",
      "10.89.5.6-10.89.5.6",
    ],
  );
  assert.equal(view.freeText, "3");

  const refuse = (ip: string, id = "x") => {
    try {
      checkStaticAddress(row, ip, id);
      return null;
    } catch (err) {
      return err as Error;
    }
  };
  assert.ok(refuse("10.89.6.1") instanceof InvalidInput);
  assert.match(
    refuse("10.89.6.1")!.message,
    /^ip: 10\.89\.6\.1 is outside the subnet 10\.89\.5\.0\/29/,
  );
  assert.ok(refuse("10.89.5.7") instanceof InvalidInput, "broadcast");
  assert.ok(refuse("fd00::5") instanceof InvalidInput, "no IPv6 subnet");
  const stopped = refuse("10.89.5.5");
  assert.ok(stopped instanceof Conflict, "a stopped container keeps its static address");
  assert.match(stopped.message, /^ip: 10\.89\.5\.5 is taken by db/);
  assert.match(refuse("10.89.5.1")!.message, /taken by the gateway/);
  assert.equal(refuse("10.89.5.5", row.containers.find((c) => c.name === "db")!.id), null);
  assert.equal(refuse("10.89.5.6"), null);
});

Deno.test("subnets: overlaps name the network; suggestions avoid every taken block", () => {
  const rows = [
    networkRow(net({ Name: "lan", IPAM: { Config: [{ Subnet: "10.89.0.0/23" }] } }), []),
  ];
  assert.throws(() => checkOverlap("10.89.1.0/24", "subnet", rows), (err: Error) => {
    assert.ok(err instanceof Conflict);
    assert.equal(err.message, "subnet: 10.89.1.0/24 overlaps 10.89.0.0/23 of network lan");
    return true;
  });
  checkOverlap("10.89.2.0/24", "subnet", rows);
  assert.equal(suggestSubnet([cidr("10.89.0.0/23")]), "10.89.2.0/24");
  assert.equal(suggestSubnet([]), "10.89.0.0/24");
  assert.equal(suggestSubnet([cidr("10.0.0.0/8")]), null);
  let n = 0;
  const fixed = (b: Uint8Array) => b.fill(n++ === 0 ? 0x12 : 0x34);
  assert.equal(suggestIpv6Subnet([cidr("fd12:1212:1212::/48")], fixed), "fd34:3434:3434::/64");
});

Deno.test("cli: create, connect and disconnect in the docker CLI's own terms, quoted", () => {
  assert.equal(
    createCli({
      name: "lan",
      driver: "macvlan",
      subnet: "192.168.1.0/24",
      gateway: "192.168.1.1",
      ipRange: "192.168.1.192/27",
      internal: false,
      attachable: true,
      parent: "eth0.10",
      ipv6: true,
      ipv6Subnet: "fd12::/64",
      ipv6Gateway: undefined,
      labels: { note: "two words" },
    }),
    "docker network create --driver macvlan --subnet 192.168.1.0/24 --gateway 192.168.1.1 " +
      "--ip-range 192.168.1.192/27 --ipv6 --subnet fd12::/64 --attachable -o parent=eth0.10 " +
      "--label 'note=two words' lan",
  );
  assert.equal(
    connectCli("app", "web", { ip: "fd12::5", aliases: ["a", "b"] }),
    "docker network connect --ip6 fd12::5 --alias a --alias b app web",
  );
  assert.equal(disconnectCli("app", "web", true), "docker network disconnect -f app web");
});

import assert from "node:assert/strict";
import {
  clientKey,
  forwardedClient,
  isIpLiteral,
  LOOPBACK_CIDRS,
  parseCidr,
} from "../../services/auth/client-ip.ts";
import { hostName } from "../../services/auth/host-policy.ts";
import { watchIdentity } from "../../services/auth/identity-ends.ts";
import { ConfigError, parseConfig } from "../../config.ts";

const cidrs = (...list: string[]) => list.map((c) => parseCidr(c)!);

Deno.test("client key: an IPv4 address as is, an IPv6 address by its /64", () => {
  assert.equal(clientKey("203.0.113.7"), "203.0.113.7");
  assert.equal(clientKey("::ffff:203.0.113.7"), "203.0.113.7", "IPv4-mapped is IPv4");
  assert.equal(clientKey("2001:db8:1:2::a"), "2001:db8:1:2::/64");
  assert.equal(clientKey("2001:0db8:0001:0002:ffff:1:2:3"), "2001:db8:1:2::/64");
  assert.notEqual(clientKey("2001:db8:1:3::a"), clientKey("2001:db8:1:2::a"));
  assert.equal(clientKey("[::1]"), "0:0:0:0::/64");
  assert.equal(clientKey("unknown"), "unknown");
});

Deno.test("CIDRs: IPv4 and IPv6 blocks, single addresses, bad input", () => {
  const [ten, v6, one] = cidrs("10.0.0.0/8", "fd00::/8", "192.168.1.5");
  assert.ok(ten && v6 && one);
  assert.equal(parseCidr("10.0.0.0/33"), null);
  assert.equal(parseCidr("proxy.lan"), null);
  assert.equal(parseCidr("1.2.3.4/8/2"), null);
  assert.equal(isIpLiteral("[2001:db8::1]"), true);
  assert.equal(isIpLiteral("localhost"), false);
  assert.equal(isIpLiteral("1.2.3"), false);
});

Deno.test("forwarded client: only a trusted peer's X-Forwarded-For counts, read from the right", () => {
  const loop = cidrs(...LOOPBACK_CIDRS);
  assert.equal(
    forwardedClient("203.0.113.9", "198.51.100.1", loop),
    "203.0.113.9",
    "untrusted peer",
  );
  assert.equal(forwardedClient("127.0.0.1", "198.51.100.1", loop), "198.51.100.1");
  assert.equal(
    forwardedClient("127.0.0.1", "6.6.6.6, 198.51.100.1", loop),
    "198.51.100.1",
    "what the client wrote itself (left of the proxy's hop) is ignored",
  );
  const chain = cidrs("127.0.0.0/8", "10.0.0.0/8");
  assert.equal(
    forwardedClient("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.1.1.1", chain),
    "198.51.100.1",
    "hops added by trusted proxies are skipped",
  );
  assert.equal(forwardedClient("127.0.0.1", undefined, loop), "127.0.0.1");
  assert.equal(forwardedClient("127.0.0.1", "junk", loop), "127.0.0.1");
});

Deno.test("TRUST_PROXY: false, true (loopback) or a list of CIDRs; a bad entry is named", () => {
  assert.deepEqual(parseConfig({ TRUST_PROXY: "false" }).TRUST_PROXY, []);
  assert.deepEqual(
    parseConfig({ TRUST_PROXY: "10.0.0.0/8, fd00::/8" }).TRUST_PROXY.map((c) => c.text),
    ["10.0.0.0/8", "fd00::/8"],
  );
  assert.throws(() => parseConfig({ TRUST_PROXY: "10.0.0.0/8,proxy.lan" }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /TRUST_PROXY: .*"proxy\.lan" is not one/);
    return true;
  });
  assert.throws(
    () => parseConfig({ DOCKERMATE_ALLOWED_HOSTS: "dm.lan:5000" }),
    /DOCKERMATE_ALLOWED_HOSTS: /,
  );
});

Deno.test("host names: the port is dropped, IPv6 brackets kept", () => {
  assert.equal(hostName("DM.lan:5000"), "dm.lan");
  assert.equal(hostName("[::1]:5000"), "[::1]");
  assert.equal(hostName("dm.lan."), "dm.lan");
});

Deno.test("identity watch: aborts when the periodic check finds the identity gone", async () => {
  let alive = true;
  const watch = watchIdentity({ kind: "token", id: "x" }, () => Promise.resolve(alive), 20);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(watch.signal.aborted, false);
  alive = false;
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(watch.signal.aborted, true, "an expired token ends its streams");
  watch.close();
});

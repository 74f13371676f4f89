import assert from "node:assert/strict";
import {
  DockerClient,
  MAX_API_VERSION,
  negotiateApiVersion,
} from "../../services/docker/client.ts";

Deno.test("API version: the daemon's when older, ours when it is newer, none when it names none", () => {
  assert.equal(negotiateApiVersion("1.41"), "1.41");
  assert.equal(negotiateApiVersion("1.45"), MAX_API_VERSION);
  assert.equal(negotiateApiVersion("1.52"), MAX_API_VERSION);
  assert.equal(negotiateApiVersion("2.0"), MAX_API_VERSION);
  assert.equal(negotiateApiVersion("1.9"), "1.9");
  assert.equal(negotiateApiVersion(null), null);
  assert.equal(negotiateApiVersion("latest"), null);
});

/** A fake daemon on a unix socket that names `version` and records the paths it is asked. */
async function fakeDaemon(version: string | null) {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-fake-docker-" });
  const paths: string[] = [];
  const server = Deno.serve({ path: `${dir}/docker.sock`, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    paths.push(path);
    const ping = path === "/_ping";
    const headers: Record<string, string> = {
      "content-type": ping ? "text/plain" : "application/json",
    };
    if (version) headers["api-version"] = version;
    return new Response(ping ? "OK" : "[]", { headers });
  });
  return {
    paths,
    client: new DockerClient({ host: `unix://${dir}/docker.sock`, tlsVerify: false }),
    close: async () => {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("API version: requests name the negotiated version, pings none", async () => {
  for (
    const [daemon, prefix] of [["1.52", `/v${MAX_API_VERSION}`], ["1.41", "/v1.41"], [null, ""]]
  ) {
    const fake = await fakeDaemon(daemon);
    try {
      // No ping first: the first call negotiates by itself.
      await fake.client.engine({ path: "/containers/json" });
      await fake.client.ping();
      await fake.client.engine({ path: "/images/json" });
      assert.deepEqual(fake.paths, [
        "/_ping",
        `${prefix}/containers/json`,
        "/_ping",
        `${prefix}/images/json`,
      ], `daemon ${daemon}`);
    } finally {
      await fake.close();
    }
  }
});

import assert from "node:assert/strict";
import {
  dockerodeOptions,
  isUnreachable,
  mapDockerError,
  unreachableReason,
} from "../../services/docker/client.ts";
import { Conflict, DockerUnavailable, InvalidInput, NotFound } from "../../services/errors.ts";

const host = "unix:///var/run/docker.sock";

function err(props: Record<string, unknown>, message = "boom"): Error {
  return Object.assign(new Error(message), props);
}

Deno.test("docker errors: connection failures are 'unreachable' with a reason a user can act on", () => {
  assert.match(
    unreachableReason(err({ code: "EACCES" }), host),
    /Permission denied on unix:\/\/\/var\/run\/docker\.sock/,
  );
  assert.match(unreachableReason(err({ code: "ENOENT" }), host), /socket does not exist/);
  assert.match(unreachableReason(err({ code: "ECONNREFUSED" }), host), /refused the connection/);
  const notCapable = Object.assign(new Error("Requires net access"), { name: "NotCapable" });
  assert.match(unreachableReason(notCapable, host), /without permission/);
  for (const code of ["EACCES", "ENOENT", "ECONNREFUSED", "ECONNRESET"]) {
    assert.equal(isUnreachable(err({ code })), true, code);
    assert.ok(mapDockerError(err({ code }), host) instanceof DockerUnavailable, code);
  }
});

Deno.test("docker errors: daemon answers map to typed errors", () => {
  const e404 = mapDockerError(
    err({ statusCode: 404, json: { message: "No such container: web" } }),
    host,
  );
  assert.ok(e404 instanceof NotFound);
  assert.equal((e404 as NotFound).message, "No such container: web");
  assert.ok(mapDockerError(err({ statusCode: 409 }), host) instanceof Conflict);
  assert.ok(mapDockerError(err({ statusCode: 400 }), host) instanceof InvalidInput);
  const other = err({ statusCode: 500 });
  assert.equal(mapDockerError(other, host), other);
  assert.equal(isUnreachable(err({ statusCode: 500 })), false);
});

Deno.test("DOCKER_HOST becomes dockerode options", async () => {
  assert.deepEqual(
    await dockerodeOptions({ host: "unix:///run/user/1000/docker.sock", tlsVerify: false }),
    {
      socketPath: "/run/user/1000/docker.sock",
    },
  );
  assert.deepEqual(await dockerodeOptions({ host: "tcp://10.0.0.5:2375", tlsVerify: false }), {
    protocol: "http",
    host: "10.0.0.5",
    port: 2375,
  });
  assert.deepEqual(await dockerodeOptions({ host: "ssh://pi@raspberry:2222", tlsVerify: false }), {
    protocol: "ssh",
    host: "raspberry",
    port: 2222,
    username: "pi",
  });
  const dir = await Deno.makeTempDir();
  for (const f of ["ca", "cert", "key"]) await Deno.writeTextFile(`${dir}/${f}.pem`, `${f}-data`);
  const tls = await dockerodeOptions({ host: "tcp://nas:2376", tlsVerify: true, certPath: dir });
  assert.equal(tls.protocol, "https");
  assert.equal(tls.ca, "ca-data");
  assert.equal(tls.cert, "cert-data");
  assert.equal(tls.key, "key-data");
  await Deno.remove(dir, { recursive: true });
});

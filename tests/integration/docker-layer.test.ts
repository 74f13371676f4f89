/**
 * The typed Docker layer against the real daemon: networks, volumes and exec, which no page
 * uses yet. Everything made here carries the test label (the leak check looks for it) and is
 * removed in `finally`.
 */
import assert from "node:assert/strict";
import { DOCKER_SOCKET, removeLabeled, runId, TEST_LABEL } from "../helpers/docker.ts";
import { waitFor } from "../helpers/server.ts";
import { images } from "../testbed/images.ts";
import { DockerClient } from "../../services/docker/client.ts";
import {
  createContainer,
  inspectContainer,
  startContainer,
} from "../../services/docker/containers.ts";
import {
  connectNetwork,
  createNetwork,
  disconnectNetwork,
  inspectNetwork,
  inspectNetworkOrNull,
  listNetworks,
  pruneNetworks,
  removeNetwork,
} from "../../services/docker/networks.ts";
import {
  createVolume,
  inspectVolume,
  inspectVolumeOrNull,
  listVolumes,
  pruneVolumes,
  removeVolume,
} from "../../services/docker/volumes.ts";
import { createExec, inspectExec, resizeExec, startExec } from "../../services/docker/exec.ts";
import { demux } from "../../services/logs/format.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

function client(): DockerClient {
  return new DockerClient({ host: `unix://${DOCKER_SOCKET}`, tlsVerify: false });
}

/** A running `web` container of this run. */
async function runningWeb(docker: DockerClient, run: string): Promise<string> {
  const body = { Image: images.web, Labels: { [TEST_LABEL]: run } };
  const { Id } = await createContainer(docker, body, `${run}-web`);
  await startContainer(docker, Id);
  return Id;
}

Deno.test(
  "docker layer: networks are made, listed, attached, detached, pruned and removed",
  opts,
  async () => {
    const docker = client();
    const run = runId();
    const labels = { [TEST_LABEL]: run };
    const name = `${run}-net`;
    const spare = `${run}-spare`;
    try {
      const { Id } = await createNetwork(docker, { Name: name, Labels: labels });
      const net = await inspectNetwork(docker, name);
      assert.equal(net.Id, Id);
      assert.equal(net.Labels?.[TEST_LABEL], run);
      const listed = await listNetworks(docker, { label: [`${TEST_LABEL}=${run}`] });
      assert.deepEqual(listed.map((n) => n.Name), [name]);

      const web = await runningWeb(docker, run);
      await connectNetwork(docker, name, web, { Aliases: ["site"] });
      const attached = await inspectNetwork(docker, Id);
      assert.ok(attached.Containers?.[web], "the container is on the network");
      const endpoint = (await inspectContainer(docker, web)).NetworkSettings.Networks[name];
      assert.ok(endpoint.Aliases?.includes("site"), "with its alias");
      await assert.rejects(
        removeNetwork(docker, name),
        /active endpoints/,
        "refused while attached",
      );
      await disconnectNetwork(docker, name, web);
      assert.deepEqual((await inspectNetwork(docker, Id)).Containers ?? {}, {});

      await createNetwork(docker, { Name: spare, Labels: labels });
      const pruned = await pruneNetworks(docker, { label: [`${TEST_LABEL}=${run}`] });
      assert.deepEqual([...(pruned.NetworksDeleted ?? [])].sort(), [name, spare].sort());
      assert.equal(await inspectNetworkOrNull(docker, name), null);
    } finally {
      await removeLabeled(run);
      for (const n of [name, spare]) await removeNetwork(docker, n).catch(() => {});
    }
  },
);

Deno.test(
  "docker layer: volumes are made, listed, inspected, pruned and removed",
  opts,
  async () => {
    const docker = client();
    const run = runId();
    const labels = { [TEST_LABEL]: run };
    const name = `${run}-data`;
    const spare = `${run}-spare`;
    try {
      const made = await createVolume(docker, { Name: name, Labels: labels });
      assert.equal(made.Name, name);
      assert.equal((await inspectVolume(docker, name)).Labels[TEST_LABEL], run);
      const listed = await listVolumes(docker, { label: [`${TEST_LABEL}=${run}`] });
      assert.deepEqual(listed.map((v) => v.Name), [name]);
      await removeVolume(docker, name);
      assert.equal(await inspectVolumeOrNull(docker, name), null);

      // Named, so only `all` prunes it on a daemon from API 1.42 on; older ones always do.
      await createVolume(docker, { Name: spare, Labels: labels });
      const pruned = await pruneVolumes(docker, {
        all: true,
        filters: { label: [`${TEST_LABEL}=${run}`] },
      });
      assert.deepEqual(pruned.VolumesDeleted, [spare]);
      assert.equal(await inspectVolumeOrNull(docker, spare), null);
    } finally {
      await removeLabeled(run);
    }
  },
);

Deno.test("docker layer: an exec's output, exit code, and the size of its TTY", opts, async () => {
  const docker = client();
  const run = runId();
  try {
    const web = await runningWeb(docker, run);
    const id = await createExec(docker, web, {
      Cmd: ["sh", "-c", "echo hello; echo oops >&2; exit 3"],
    });
    const res = await startExec(docker, id);
    const output = demux(new Uint8Array(await res.arrayBuffer()), false);
    assert.deepEqual(output.filter((l) => l.stream === "stdout").map((l) => l.text), ["hello"]);
    assert.deepEqual(output.filter((l) => l.stream === "stderr").map((l) => l.text), ["oops"]);
    let ended = await inspectExec(docker, id);
    await waitFor("the exec to end", async () => !(ended = await inspectExec(docker, id)).Running);
    assert.equal(ended.ExitCode, 3);

    const tty = await createExec(docker, web, {
      Tty: true,
      Cmd: ["sh", "-c", "sleep 1; stty size"],
    });
    const shown = await startExec(docker, tty, { tty: true });
    await resizeExec(docker, tty, { rows: 30, columns: 100 });
    assert.equal((await shown.text()).trim(), "30 100");
  } finally {
    await removeLabeled(run);
  }
});

import assert from "node:assert/strict";
import { type ContainerConfig, containerConfigSchema } from "../../services/config/model.ts";
import { applyEdit, editableOf, editFormSchema, editSchema } from "../../services/config/edit.ts";
import { InvalidInput } from "../../services/errors.ts";

function config(extra: Record<string, unknown> = {}): ContainerConfig {
  return containerConfigSchema.parse({ name: "web", image: "nginx:1.27", ...extra });
}

Deno.test("edit: a field left out keeps its value; the rest of the config is untouched", () => {
  const before = config({
    env: ["A=1", "B=2"],
    capDrop: ["NET_RAW"],
    tmpfs: { "/cache": "size=1m" },
    resources: { memory: 64 * 1024 * 1024, memorySwap: 128 * 1024 * 1024 },
  });
  const after = applyEdit(before, editSchema.parse({ env: { A: "1", B: "3" } }));
  assert.deepEqual(after.env, ["A=1", "B=3"]);
  assert.deepEqual({ ...after, env: before.env }, before);
  assert.deepEqual(before.env, ["A=1", "B=2"], "the input is not mutated");
});

Deno.test("edit: ports and binds Docker recorded stay verbatim, new ones are checked", () => {
  const before = config({
    ports: [{ containerPort: 53, protocol: "udp", hostIp: "::1", hostPort: "5353" }],
    binds: ["/srv:/srv:ro,rslave"],
  });
  const current = editableOf(before);
  const after = applyEdit(
    before,
    editSchema.parse({
      ports: [...current.ports, "8080:80"],
      volumes: [...current.volumes, "data:/data"],
    }),
  );
  assert.deepEqual(after.ports, [
    before.ports[0],
    { containerPort: 80, protocol: "tcp", hostIp: "", hostPort: "8080" },
  ]);
  assert.deepEqual(after.binds, ["/srv:/srv:ro,rslave", "data:/data"]);
  assert.throws(
    () => applyEdit(before, editSchema.parse({ ports: ["8080:80", "8080:81"] })),
    (e: unknown) => e instanceof InvalidInput && e.field === "ports[1]",
  );
  assert.throws(
    () => applyEdit(before, editSchema.parse({ volumes: ["relative/path:/x"] })),
    (e: unknown) => e instanceof InvalidInput && e.field === "volumes[0]",
  );
});

Deno.test("edit: labels keep their order and DockerMate's own; networks only when changed", () => {
  const before = config({
    labels: { "a.first": "1", "com.dockermate.managed": "true", "z.last": "2" },
  });
  const after = applyEdit(before, editSchema.parse({ labels: { "z.last": "3", "a.first": "1" } }));
  assert.deepEqual(Object.entries(after.labels), [
    ["a.first", "1"],
    ["com.dockermate.managed", "true"],
    ["z.last", "3"],
  ]);
  const onBridge = config({
    networks: [{ network: "bridge" }],
  });
  assert.equal(
    applyEdit(onBridge, editSchema.parse({ networks: ["bridge"] })).networkMode,
    undefined,
  );
  const moved = applyEdit(onBridge, editSchema.parse({ networks: ["backend", "bridge"] }));
  assert.equal(moved.networkMode, "backend");
  assert.deepEqual(moved.networks.map((n) => n.network), ["backend", "bridge"]);
  assert.throws(
    () => applyEdit(config({ networkMode: "host" }), editSchema.parse({ networks: ["bridge"] })),
    /networks: it uses network mode host/,
  );
});

Deno.test("edit: removing the memory limit drops a swap limit Docker would refuse alone", () => {
  const before = config({ resources: { memory: 64 * 1024 * 1024, memorySwap: 128 * 1024 * 1024 } });
  const after = applyEdit(before, editSchema.parse({ memory: null, cpus: 0.5 }));
  assert.equal(after.resources.memory, undefined);
  assert.equal(after.resources.memorySwap, undefined);
  assert.equal(after.resources.cpus, 0.5);
});

Deno.test("edit form: strings map onto the edit; empty limits mean none; errors name the field", () => {
  const edit = editFormSchema.parse({
    image: " nginx:1.28 ",
    env: "A=1\nB=two words",
    ports: "8080:80\n\n",
    volumes: "",
    restartPolicy: "always",
    labels: "x=y",
    memory: "",
    cpus: "",
    networksShown: "1",
    "network.bridge": "on",
  });
  assert.deepEqual(edit, {
    image: "nginx:1.28",
    env: { A: "1", B: "two words" },
    ports: ["8080:80"],
    volumes: [],
    restartPolicy: "always",
    labels: { x: "y" },
    memory: null,
    cpus: null,
    networks: ["bridge"],
  });
  const noNetworks = editFormSchema.parse({ image: "nginx", restartPolicy: "no" });
  assert.equal(noNetworks.networks, undefined, "no checkboxes shown: networks unchanged");
  const bad = editFormSchema.safeParse({ image: "nginx", memory: "lots", cpus: "x" });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error?.issues.map((i) => i.path[0]), ["memory"]);
  const badCpus = editFormSchema.safeParse({ image: "nginx", cpus: "x" });
  assert.deepEqual(badCpus.error?.issues.map((i) => i.path[0]), ["cpus"]);
});

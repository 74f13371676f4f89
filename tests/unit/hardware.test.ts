import assert from "node:assert/strict";
import {
  capacity,
  classifyHost,
  effectiveProfile,
  hardwareOverrideSchema,
  type HostFacts,
  limitExceededMessage,
  readDeviceModel,
  resourceLimitProblem,
} from "../../services/host/hardware.ts";
import { PROFILE_NAMES, PROFILES } from "../../services/host/profile-limits.ts";

const GIB = 1024 ** 3;

function host(cpus: number, memoryGib: number, extra: Partial<HostFacts> = {}): HostFacts {
  return {
    cpus,
    memoryBytes: Math.round(memoryGib * GIB),
    model: null,
    architecture: "x86_64",
    operatingSystem: "Ubuntu 24.04 LTS",
    ...extra,
  };
}

Deno.test("profiles: container limits grow with the tier", () => {
  assert.deepEqual(PROFILE_NAMES.map((n) => PROFILES[n].maxContainers), [15, 20, 50, 100, 200]);
  assert.equal(PROFILES["raspberry-pi"].label, "Raspberry Pi");
  assert.deepEqual(
    PROFILE_NAMES.map((n) => [PROFILES[n].warnPercent, PROFILES[n].criticalPercent]),
    [[75, 90], [75, 90], [75, 90], [80, 95], [85, 95]],
  );
});

Deno.test("classify: a Raspberry Pi by device model or by OS", () => {
  assert.equal(
    classifyHost(
      host(4, 7.6, { model: "Raspberry Pi 4 Model B Rev 1.4", architecture: "aarch64" }),
    ),
    "raspberry-pi",
  );
  assert.equal(
    classifyHost(host(4, 3.7, { operatingSystem: "Raspbian GNU/Linux 11" })),
    "raspberry-pi",
  );
  assert.equal(
    classifyHost(host(4, 7.6, { operatingSystem: "Raspberry Pi OS (64-bit)" })),
    "raspberry-pi",
  );
  assert.equal(classifyHost(host(4, 7.6, { model: "Pine64 RockPro64" })), "low-end");
});

Deno.test("classify: low-end up to 4 cores and 16 GB", () => {
  assert.equal(classifyHost(host(1, 1)), "low-end");
  assert.equal(classifyHost(host(4, 16)), "low-end");
  assert.equal(classifyHost(host(4, 15.6)), "low-end", "a 16 GB machine as the kernel reports it");
  assert.equal(classifyHost(host(4, 16.5)), "low-end", "within the tolerance");
  assert.equal(classifyHost(host(4, 16.6)), "medium", "past the tolerance");
  assert.equal(classifyHost(host(5, 8)), "medium");
});

Deno.test("classify: both cores and memory must fit a tier", () => {
  assert.equal(classifyHost(host(8, 8)), "medium");
  assert.equal(classifyHost(host(2, 32)), "medium");
  assert.equal(classifyHost(host(2, 200)), "enterprise");
  assert.equal(classifyHost(host(64, 4)), "enterprise");
});

Deno.test("classify: medium, high-end and enterprise boundaries", () => {
  assert.equal(classifyHost(host(16, 64)), "medium");
  assert.equal(classifyHost(host(16, 62.8)), "medium");
  assert.equal(classifyHost(host(16, 64.5)), "medium");
  assert.equal(classifyHost(host(16, 64.6)), "high-end");
  assert.equal(classifyHost(host(17, 32)), "high-end");
  assert.equal(classifyHost(host(32, 128)), "high-end");
  assert.equal(classifyHost(host(32, 128.5)), "high-end");
  assert.equal(classifyHost(host(32, 128.6)), "enterprise");
  assert.equal(classifyHost(host(33, 64)), "enterprise");
});

Deno.test("device model: read from the device tree, NUL stripped", async () => {
  const calls: string[] = [];
  const model = await readDeviceModel((path) => {
    calls.push(path);
    return Promise.resolve("Raspberry Pi 5 Model B Rev 1.0\0");
  });
  assert.equal(model, "Raspberry Pi 5 Model B Rev 1.0");
  assert.deepEqual(calls, ["/proc/device-tree/model"]);
});

Deno.test("device model: falls back to /sys, null when neither exists", async () => {
  const files: Record<string, string> = {
    "/sys/firmware/devicetree/base/model": "Raspberry Pi 4 Model B Rev 1.4\0",
  };
  const fake = (path: string) =>
    path in files ? Promise.resolve(files[path]) : Promise.reject(new Deno.errors.NotFound(path));
  assert.equal(await readDeviceModel(fake), "Raspberry Pi 4 Model B Rev 1.4");
  assert.equal(
    await readDeviceModel(() => Promise.reject(new Deno.errors.PermissionDenied("no"))),
    null,
  );
});

Deno.test("override: schema accepts nulls and bounds maxContainers", () => {
  assert.deepEqual(hardwareOverrideSchema.parse({ profile: null, maxContainers: null }), {
    profile: null,
    maxContainers: null,
  });
  assert.equal(
    hardwareOverrideSchema.safeParse({ profile: "medium", maxContainers: 40 }).success,
    true,
  );
  assert.equal(
    hardwareOverrideSchema.safeParse({ profile: "huge", maxContainers: null }).success,
    false,
  );
  assert.equal(
    hardwareOverrideSchema.safeParse({ profile: null, maxContainers: 0 }).success,
    false,
  );
  assert.equal(
    hardwareOverrideSchema.safeParse({ profile: null, maxContainers: 1001 }).success,
    false,
  );
  assert.equal(
    hardwareOverrideSchema.safeParse({ profile: null, maxContainers: 2.5 }).success,
    false,
  );
});

Deno.test("override: none keeps the detected profile", () => {
  const p = effectiveProfile("medium", null);
  assert.deepEqual(p, {
    name: "medium",
    detected: "medium",
    overridden: false,
    limits: PROFILES.medium,
  });
  assert.equal(
    effectiveProfile("medium", { profile: null, maxContainers: null }).overridden,
    false,
  );
});

Deno.test("override: a higher limit than the hardware suggests warns", () => {
  const p = effectiveProfile("raspberry-pi", { profile: null, maxContainers: 40 });
  assert.equal(p.name, "raspberry-pi");
  assert.equal(p.overridden, true);
  assert.equal(p.limits.maxContainers, 40);
  assert.equal(p.limits.statsIntervalSeconds, PROFILES["raspberry-pi"].statsIntervalSeconds);
  assert.equal(
    p.warning,
    "The detected hardware (Raspberry Pi) suggests at most 15 containers; 40 may overload it.",
  );
  assert.equal(PROFILES["raspberry-pi"].maxContainers, 15, "the table is not mutated");
});

Deno.test("override: choosing a bigger profile warns too; a lower limit does not", () => {
  const bigger = effectiveProfile("low-end", { profile: "enterprise", maxContainers: null });
  assert.equal(bigger.name, "enterprise");
  assert.equal(bigger.detected, "low-end");
  assert.equal(bigger.limits.maxContainers, 200);
  assert.match(bigger.warning ?? "", /Low-end\) suggests at most 20 containers; 200 may/);

  const smaller = effectiveProfile("high-end", { profile: "medium", maxContainers: 10 });
  assert.equal(smaller.overridden, true);
  assert.equal(smaller.limits.maxContainers, 10);
  assert.equal(smaller.limits.label, "Medium");
  assert.equal(smaller.warning, undefined);
  assert.equal("warning" in smaller, false);

  const equal = effectiveProfile("medium", { profile: null, maxContainers: 50 });
  assert.equal(equal.warning, undefined);
});

Deno.test("capacity: levels at the thresholds", () => {
  const medium = PROFILES.medium; // 50 containers, warn 75 %, critical 90 %
  assert.deepEqual(capacity(0, medium), { used: 0, max: 50, percent: 0, level: "ok" });
  assert.equal(capacity(37, medium).level, "ok"); // 74 %
  assert.deepEqual(capacity(38, medium), { used: 38, max: 50, percent: 76, level: "warn" });
  assert.equal(capacity(44, medium).level, "warn"); // 88 %
  assert.equal(capacity(45, medium).level, "critical"); // 90 %
  assert.equal(capacity(49, medium).level, "critical");
  assert.deepEqual(capacity(50, medium), { used: 50, max: 50, percent: 100, level: "full" });
  assert.deepEqual(capacity(60, medium), { used: 60, max: 50, percent: 120, level: "full" });

  const enterprise = PROFILES.enterprise; // 200, warn 85 %, critical 95 %
  assert.equal(capacity(168, enterprise).level, "ok"); // 84 %
  // 84.5 % shows as 85 %, and the level agrees with the percent the user sees.
  assert.deepEqual(capacity(169, enterprise), { used: 169, max: 200, percent: 85, level: "warn" });
  assert.equal(capacity(170, enterprise).level, "warn");
  assert.equal(capacity(190, enterprise).level, "critical");
});

Deno.test("capacity: percent is rounded to an integer", () => {
  const pi = PROFILES["raspberry-pi"]; // 15
  assert.equal(capacity(1, pi).percent, 7);
  assert.equal(capacity(2, pi).percent, 13);
  assert.equal(capacity(11, pi).level, "ok"); // 73 %
  assert.equal(capacity(12, pi).level, "warn"); // 80 %
  assert.equal(capacity(14, pi).level, "critical"); // 93 %
});

Deno.test("limit message: states limit, count and how to change it", () => {
  const msg = limitExceededMessage(15, PROFILES["raspberry-pi"], "Raspberry Pi");
  assert.match(msg, /Raspberry Pi/);
  assert.match(msg, /at most 15 containers/);
  assert.match(msg, /15 already exist/);
  assert.ok(msg.includes("Settings → Hardware profile"));
  assert.ok(msg.includes('PUT /api/v1/system/profile with {"maxContainers": N}'));
});

Deno.test("resource limits: within the host is fine", () => {
  const h = host(4, 7.6);
  assert.equal(resourceLimitProblem({}, h), null);
  assert.equal(resourceLimitProblem({ cpus: 4, memoryBytes: h.memoryBytes }, h), null);
  assert.equal(resourceLimitProblem({ cpus: 0.5, memoryBytes: 512 * 1024 ** 2 }, h), null);
});

Deno.test("resource limits: above the host names the field", () => {
  const h = host(4, 7.6);
  assert.equal(resourceLimitProblem({ cpus: 6 }, h), "cpus: 6 exceeds the host's 4 CPUs");
  assert.equal(resourceLimitProblem({ cpus: 4.5 }, h), "cpus: 4.5 exceeds the host's 4 CPUs");
  assert.equal(resourceLimitProblem({ cpus: 2 }, host(1, 1)), "cpus: 2 exceeds the host's 1 CPU");
  assert.equal(
    resourceLimitProblem({ memoryBytes: 32 * GIB }, h),
    "memory: 32g exceeds the host's 7.6 GiB",
  );
  assert.equal(
    resourceLimitProblem({ memoryBytes: 9728 * 1024 ** 2 }, h),
    "memory: 9728m exceeds the host's 7.6 GiB",
  );
  assert.equal(
    resourceLimitProblem({ memoryBytes: 9 * GIB }, host(4, 8)),
    "memory: 9g exceeds the host's 8 GiB",
  );
  assert.match(resourceLimitProblem({ cpus: 6, memoryBytes: 32 * GIB }, h) ?? "", /^cpus: /);
});

/**
 * A guard for the suite itself: every host program or folder that the test bed, the tests, the
 * bench and the scripts name by absolute path must come from what a fresh machine has after the
 * README's test command: Debian's base system or a package that tests/testbed installs. A path
 * that exists only where someone installed a thing by hand (a global `/usr/bin/deno`, anything in
 * `/usr/local` or a home folder) passes on that machine and fails for every new user.
 */
import assert from "node:assert/strict";
import { ROOT } from "../helpers/server.ts";

/** Where a fresh machine's software lives; paths elsewhere (/tmp, /proc, /var/run) are state. */
const HOST_PATH =
  /(?<![\w.:$}\]\/-])(\/(?:usr\/local|usr\/bin|usr\/sbin|usr\/lib\w*|bin|sbin|lib\w*|opt|home|root|snap)\b(?:\/[\w.+@-]+)*)/g;

/** Named on purpose although no package holds them; each says why. */
const NOT_FROM_A_PACKAGE: Record<string, string> = {
  "/usr/sbin/policy-rc.d": "written (and removed) by up.sh around apt-get",
};

/** Folders that run on the host or drive it; tests/unit holds container paths as plain data. */
const SCANNED = [
  "tests/integration",
  "tests/e2e",
  "tests/helpers",
  "tests/testbed",
  "bench",
  "scripts",
  ".ci",
];

async function* files(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* files(path);
    else if (entry.isFile) yield path;
  }
}

/** Lines that are code, not comments (comments may say where a thing is not). */
function codeLines(text: string): string[] {
  return text.split("\n").filter((line) => !/^\s*(\/\/|\*|\/\*|#)/.test(line));
}

async function namedPaths(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const dir of SCANNED) {
    for await (const file of files(`${ROOT}/${dir}`)) {
      for (const line of codeLines(await Deno.readTextFile(file))) {
        for (const m of line.matchAll(HOST_PATH)) {
          if (!found.has(m[1])) found.set(m[1], file.slice(ROOT.length + 1));
        }
      }
    }
  }
  return found;
}

async function run(cmd: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
  return { ok: r.success, out: new TextDecoder().decode(r.stdout) };
}

/** Every package named in a `PACKAGES=(…)` list of the test bed's scripts. */
async function testbedPackages(): Promise<Set<string>> {
  const names = new Set<string>();
  for await (const file of files(`${ROOT}/tests/testbed`)) {
    if (!file.endsWith(".sh")) continue;
    for (const m of (await Deno.readTextFile(file)).matchAll(/^\s*PACKAGES=\(([^)]*)\)/gm)) {
      for (const name of m[1].split(/\s+/).filter(Boolean)) names.add(name);
    }
  }
  return names;
}

/** The same path under merged /usr (Debian 12 lists `/lib64`, not `/usr/lib64`). */
function spellings(path: string): string[] {
  if (path.startsWith("/usr/")) return [path, path.slice(4)];
  if (/^\/(bin|sbin|lib\w*)\b/.test(path)) return [path, `/usr${path}`];
  return [path];
}

/** The Debian packages that hold a path (`dpkg -S`), `[]` for none. */
async function owners(path: string): Promise<string[]> {
  for (const spelling of spellings(path)) {
    const r = await run("dpkg", ["-S", spelling]);
    if (!r.ok) continue;
    return r.out.split("\n").filter(Boolean).flatMap((line) =>
      line.slice(0, line.lastIndexOf(": ")).split(", ").map((p) => p.split(":")[0])
    );
  }
  return [];
}

/**
 * What a fresh machine has: the base system (Essential, or of priority required or important),
 * the test bed's packages, and everything those depend on, as installed here.
 */
async function freshMachinePackages(testbed: Set<string>): Promise<Set<string>> {
  const r = await run("dpkg-query", [
    "-W",
    "-f",
    "${Package}\t${Essential}\t${Priority}\t${Pre-Depends}, ${Depends}\n",
  ]);
  const deps = new Map<string, string[]>();
  const have = new Set(testbed);
  for (const line of r.out.split("\n").filter(Boolean)) {
    const [pkg, essential, priority, depends] = line.split("\t");
    // "libc6 (>= 2.34), a | b, c:any" → libc6, a, b, c
    deps.set(pkg, depends.split(/[,|]/).map((d) => d.trim().split(/[\s:(]/)[0]).filter(Boolean));
    if (essential === "yes" || priority === "required" || priority === "important") have.add(pkg);
  }
  const queue = [...have];
  while (queue.length) {
    for (const dep of deps.get(queue.pop()!) ?? []) {
      if (have.has(dep)) continue;
      have.add(dep);
      queue.push(dep);
    }
  }
  return have;
}

Deno.test("the test tree names no host path that a fresh machine lacks", async () => {
  const testbed = await testbedPackages();
  assert.ok(testbed.has("docker.io"), "the PACKAGES list of tests/testbed/up.sh was not found");
  const fresh = await freshMachinePackages(testbed);
  const problems: string[] = [];
  for (const [path, file] of await namedPaths()) {
    if (NOT_FROM_A_PACKAGE[path]) continue;
    const pkgs = await owners(path);
    if (pkgs.length === 0) {
      problems.push(`${file}: ${path} belongs to no Debian package (installed by hand?)`);
      continue;
    }
    if (!pkgs.some((p) => fresh.has(p))) {
      problems.push(
        `${file}: ${path} comes from ${pkgs.join(", ")}, which tests/testbed does not install`,
      );
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("the guard sees a hand-installed path", () => {
  const line = 'const child = new Deno.Command("/usr/bin/deno", { args: ["-v", `${a}:/usr/x`] });';
  assert.deepEqual([...line.matchAll(HOST_PATH)].map((m) => m[1]), ["/usr/bin/deno"]);
  assert.deepEqual([...'Target: "/opts"'.matchAll(HOST_PATH)], []);
  assert.deepEqual(codeLines("  // see /usr/local/bin/docker\nx"), ["x"]);
});

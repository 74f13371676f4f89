/**
 * What is wrong with a compose file, where a user can find it: YAML syntax errors at their line
 * and column (the `yaml` library, loaded on first use), and the errors `docker compose config`
 * prints mapped to the compose key they are about, with that key's line when the file has it.
 * The messages matched are Compose 2.26's (see shared/TESTBED.md).
 */
import type { Document, LineCounter, YAMLMap } from "yaml";
import { InvalidInput } from "../errors.ts";
import type { ComposeProblem } from "./model.ts";

type Parsed = { doc: Document.Parsed; lines: LineCounter; isMap: (n: unknown) => n is YAMLMap };

async function parse(text: string): Promise<Parsed> {
  const { parseDocument, LineCounter, isMap } = await import("yaml");
  const lines = new LineCounter();
  // Merge keys (`<<: *defaults`) are common in compose files; compose reads them.
  const doc = parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: false });
  return { doc, lines, isMap };
}

/** A map key's text (`web` for `web:`), whatever node holds it. */
function keyText(key: unknown): string {
  return String((key as { value?: unknown } | null)?.value ?? key);
}

/** YAML syntax errors (with line and column); empty when the text parses. */
export async function yamlProblems(text: string): Promise<ComposeProblem[]> {
  const { doc, lines, isMap } = await parse(text);
  const problems: ComposeProblem[] = doc.errors.map((e) => {
    const { line, col } = lines.linePos(e.pos[0]);
    return { message: e.message.split("\n")[0], line, column: col };
  });
  if (problems.length === 0 && doc.contents !== null && !isMap(doc.contents)) {
    problems.push({ message: "a compose file is a mapping (services: …)", line: 1, column: 1 });
  }
  return problems;
}

/** The names under `services:`, in file order; empty when the file does not parse. */
export async function serviceNames(text: string): Promise<string[]> {
  const { doc, isMap } = await parse(text);
  if (doc.errors.length > 0) return [];
  const services = doc.get("services", true);
  if (!isMap(services)) return [];
  return services.items.map((p) => keyText(p.key));
}

/** `services[web].ports.[]` or `services.web.ports.0` → `["services", "web", "ports", 0]`. */
function keyPath(key: string): (string | number)[] {
  return key.replace(/\[([^\]]*)\]/g, ".$1").split(".").filter((s) => s !== "")
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Line and column of a compose key (the key itself, or the nearest parent the file has). */
async function locate(text: string, key: string): Promise<{ line?: number; column?: number }> {
  const { doc, lines, isMap } = await parse(text);
  if (doc.errors.length > 0) return {};
  const path = keyPath(key);
  for (let n = path.length; n > 0; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
    const last = path[n - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => keyText(p.key) === String(last));
      const range = (pair?.key as { range?: [number, number] } | undefined)?.range;
      if (range) {
        const { line, col } = lines.linePos(range[0]);
        return { line, column: col };
      }
    } else {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number] } | undefined;
      if (node?.range) {
        const { line, col } = lines.linePos(node.range[0]);
        return { line, column: col };
      }
    }
  }
  return {};
}

/** One compose error line → the key it is about (null when it names none) and its words. */
export function composeErrorKey(line: string): { key: string | null; message: string } {
  let m = /^validating [^:]+: (\S+) Additional property (\S+) is not allowed/.exec(line);
  if (m) {
    const parent = m[1] === "(root)" ? "" : `${m[1]}.`;
    return { key: `${parent}${m[2]}`, message: `unknown key "${m[2]}" (not in the compose spec)` };
  }
  m = /^validating [^:]+: (\S+) (.+)$/.exec(line);
  if (m) return { key: m[1] === "(root)" ? null : m[1], message: m[2] };
  m = /^error while interpolating ([^:]+): (.+)$/.exec(line);
  if (m) return { key: m[1].replace(/\.\[\]/g, ""), message: m[2] };
  m = /^error decoding '([^']+)': (.+)$/.exec(line);
  if (m) return { key: keyPath(m[1]).join("."), message: m[2] };
  m = /^service "([^"]+)" depends on undefined service "?([^":]+)"?/.exec(line);
  if (m) {
    return {
      key: `services.${m[1]}.depends_on`,
      message: `depends on undefined service "${m[2]}"`,
    };
  }
  m = /^service "([^"]+)" refers to undefined (network|volume|config|secret) "?([^":]+)"?/.exec(
    line,
  );
  if (m) {
    return { key: `services.${m[1]}.${m[2]}s`, message: `refers to undefined ${m[2]} "${m[3]}"` };
  }
  m = /^service "([^"]+)" (.+?)(?:: invalid compose project)?$/.exec(line);
  if (m) return { key: `services.${m[1]}`, message: m[2] };
  m = /^yaml: line (\d+): (.+)$/.exec(line);
  if (m) return { key: null, message: `line ${m[1]}: ${m[2]}` };
  return { key: null, message: line.replace(/: invalid compose project$/, "") };
}

/** What `docker compose config` printed on failure, as problems located in the file. */
export async function composeErrorProblems(
  stderr: string,
  compose: string,
): Promise<ComposeProblem[]> {
  const relevant = stderr.split("\n").map((l) => l.trim())
    .filter((l) => l && !/^decoding failed due to the following error/.test(l));
  const problems: ComposeProblem[] = [];
  for (const line of relevant.length > 0 ? relevant : ["docker compose config failed"]) {
    const { key, message } = composeErrorKey(line);
    const yamlLine = /^yaml: line (\d+):/.exec(line);
    if (yamlLine) {
      problems.push({ message, line: Number(yamlLine[1]) });
      continue;
    }
    const env = /^failed to read \.env: line (\d+): (.+)$/.exec(line);
    if (env) {
      problems.push({ message: env[2], line: Number(env[1]), file: "env" });
      continue;
    }
    problems.push(key ? { message, key, ...await locate(compose, key) } : { message });
  }
  return problems;
}

/** A compose file (or `.env`) that cannot be deployed: a 400 whose message names line or key. */
export class ComposeInvalid extends InvalidInput {
  constructor(readonly problems: ComposeProblem[]) {
    const first = problems[0];
    super(describeProblem(first), first?.file === "env" ? "env" : "compose");
  }
}

/** `line 4, column 5: …`, `services.web.bogus_key (line 4): …`, or the bare message. */
export function describeProblem(p: ComposeProblem | undefined): string {
  if (!p) return "is not a valid compose file";
  const where = p.line !== undefined
    ? `line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ""}`
    : "";
  if (p.key) return `${p.key}${where ? ` (${where})` : ""}: ${p.message}`;
  return where && !p.message.startsWith("line ") ? `${where}: ${p.message}` : p.message;
}

/** What every stack page shows alike: links, status badges, ports, tags, problems. */
import type { PortView } from "../../services/containers/model.ts";
import type {
  ComposeProblem,
  StackServiceInfo,
  StackStatus,
  StackSummary,
  StackTag,
} from "../../services/stacks/model.ts";
import { PortList } from "../containers/common.tsx";
import { TagBadge } from "../tags.tsx";

/** A stack's page (or one below it, given `suffix`). */
export function stackHref(name: string, suffix = ""): string {
  return `/stacks/${encodeURIComponent(name)}${suffix}`;
}

const STATUS_LABEL: Record<StackStatus, string> = {
  running: "running",
  partial: "partly running",
  stopped: "stopped",
  "not-deployed": "not deployed",
};

/** A stack's (or service's) status as a badge, in the container states' colours. */
export function StackStatusBadge({ status }: { status: string }) {
  const label = STATUS_LABEL[status as StackStatus] ?? status;
  return <span class={`state stack-${status.replace(/[^a-z-]/g, "")}`}>{label}</span>;
}

/** How many of a stack's containers run, of all it has. */
export function runningCount(services: StackServiceInfo[]): { running: number; total: number } {
  const containers = services.flatMap((s) => s.containers);
  return {
    running: containers.filter((c) => c.state === "running").length,
    total: containers.length,
  };
}

/** `[ip:]host->container/proto` (as `docker ps` prints it) as a port the page links to. */
export function parsePort(text: string): PortView | null {
  const m = /^(?:(.*):)?(\d+)->(\d+)(?:\/(\w+))?$/.exec(text.trim());
  if (!m) return null;
  return {
    hostIp: (m[1] ?? "").replace(/^\[|\]$/g, ""),
    hostPort: Number(m[2]),
    containerPort: Number(m[3]),
    protocol: m[4] ?? "tcp",
  };
}

/** A container's published ports: links where they can be, as written otherwise. */
export function StackPorts({ ports, host }: { ports: string[]; host: string }) {
  const parsed = ports.map(parsePort);
  if (parsed.every((p) => p !== null)) return <PortList ports={parsed} host={host} />;
  return <span class="port-list">{ports.map((p) => <code class="port">{p}</code>)}</span>;
}

export function StackTags({ tags }: { tags: StackTag[] }) {
  if (tags.length === 0) return null;
  return (
    <span class="tag-list">
      {tags.map((t) => <TagBadge name={t.name} color={t.color} />)}
    </span>
  );
}

/** "external" beside a stack DockerMate did not deploy (no folder in STACKS_DIR). */
export function ExternalBadge({ stack }: { stack: StackSummary }) {
  if (stack.managed) return null;
  return (
    <span class="badge badge-external" title="Started outside DockerMate; not in STACKS_DIR">
      external
    </span>
  );
}

/** The YAML parser ends its messages with the place, which the list shows before them. */
function messageOf(p: ComposeProblem): string {
  return p.message.replace(/ at line \d+, column \d+:?$/, "");
}

/** Where a problem is: `line 4, column 5`, `services.web.ports`, or nothing. */
function problemPlace(p: ComposeProblem): string {
  const at = p.line === undefined
    ? ""
    : `line ${p.line}${p.column === undefined ? "" : `, column ${p.column}`}`;
  const file = p.file === "env" ? ".env" : "";
  return [file, at, p.key ?? ""].filter(Boolean).join(" · ");
}

/**
 * The problems a check found. Each one with a line carries it in data attributes, so the editor
 * (static/js/stack-editor.js) marks that line, and a click moves the editor's cursor there.
 */
export function ProblemList({ problems }: { problems: ComposeProblem[] }) {
  return (
    <div class="alert alert-error problems" role="alert" id="problem-list">
      <p>
        <strong>
          {problems.length === 1 ? "1 problem" : `${problems.length} problems`}
        </strong>{" "}
        to fix before it can deploy:
      </p>
      <ul>
        {problems.map((p) => {
          const place = problemPlace(p);
          const file = p.file ?? "compose";
          return (
            <li
              class="problem"
              data-problem-line={p.line === undefined ? undefined : String(p.line)}
              data-problem-column={p.column === undefined ? undefined : String(p.column)}
              data-problem-file={file}
              data-problem-message={messageOf(p)}
            >
              {place && p.line !== undefined
                ? (
                  <a
                    href={`#${file}-text`}
                    class="problem-place"
                    data-jump-line={String(p.line)}
                    data-jump-file={file}
                  >
                    {place}
                  </a>
                )
                : place && <span class="problem-place">{place}</span>}
              {place && ": "}
              {messageOf(p)}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

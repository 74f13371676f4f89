import type { DiffLine } from "../../services/containers/history.ts";
import type { PortView } from "../../services/containers/model.ts";
import type { ContainerFilter } from "../../services/containers/service.ts";
import { shortId } from "../../services/images/prune-plan.ts";
import { timeAgo } from "../format.ts";

/** A container's page (or one below it, given `suffix`), by its name. */
export function containerHref(name: string, suffix = ""): string {
  return `/containers/${encodeURIComponent(name)}${suffix}`;
}

/** The badge class of a container state: green running, grey exited, amber paused, red dead. */
export function StateBadge({ state }: { state: string }) {
  return <span class={`state state-${state.replace(/[^a-z]/g, "")}`}>{state}</span>;
}

export function HealthBadge({ health }: { health: string | null }) {
  if (!health) return null;
  return <span class={`health health-${health}`}>{health}</span>;
}

/** `Up 5 minutes (healthy)` without the health part, which has its own badge. */
export function uptimeText(status: string): string {
  return status.replace(/\s*\((?:healthy|unhealthy|health: starting)\)\s*$/, "");
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
const ANY = new Set(["", "0.0.0.0", "::"]);

function bracket(ip: string): string {
  return ip.includes(":") && !ip.startsWith("[") ? `[${ip}]` : ip;
}

/**
 * A published port: a link to `http://<host the browser used>:<port>` when it listens on every
 * interface (or on a given address), plain text when only the Docker host itself can reach it.
 */
export function PortLink({ port, host }: { port: PortView; host: string }) {
  const label = `${port.hostPort}→${port.containerPort}${port.protocol === "udp" ? "/udp" : ""}`;
  if (LOOPBACK.has(port.hostIp) || port.protocol !== "tcp") {
    const where = port.hostIp ? `${bracket(port.hostIp)}:` : "";
    return (
      <span class="port port-local" title="Reachable only from the Docker host">
        {where}
        {label}
      </span>
    );
  }
  const target = ANY.has(port.hostIp) ? host : bracket(port.hostIp);
  return (
    <a
      class="port"
      href={`http://${target}:${port.hostPort}/`}
      target="_blank"
      rel="noopener noreferrer"
    >
      {label}
    </a>
  );
}

export function PortList({ ports, host }: { ports: PortView[]; host: string }) {
  if (ports.length === 0) return <span class="muted">—</span>;
  return (
    <span class="port-list">
      {ports.map((p) => <PortLink port={p} host={host} />)}
    </span>
  );
}

/** The list's URL query for a filter, defaults left out, so URLs stay short and bookmarkable. */
export function filterQuery(f: ContainerFilter, change: Partial<ContainerFilter> = {}): string {
  const v = { ...f, ...change };
  const params = new URLSearchParams();
  if (v.all) params.set("all", "1");
  if (v.q) params.set("q", v.q);
  if (v.status) params.set("status", v.status);
  if (v.tag) params.set("tag", v.tag);
  if (v.image) params.set("image", v.image);
  if (v.sort && v.sort !== "name") params.set("sort", v.sort);
  if (v.dir && v.dir !== "asc") params.set("dir", v.dir);
  const qs = params.toString();
  return qs ? `?${qs}` : "";
}

/** A time as "5 min ago" with the exact time on hover; "never" for Docker's zero time. */
export function When({ iso }: { iso: string }) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1971) {
    return <span class="muted">never</span>;
  }
  return <time datetime={d.toISOString()} title={d.toISOString()}>{timeAgo(d)}</time>;
}

/**
 * An image reference without its registry host, which is the same on every row and pushes the
 * telling part (name and tag) out of a narrow column; the full reference goes in a tooltip.
 */
export function shortImage(image: string): string {
  const slash = image.indexOf("/");
  if (slash < 0) return image;
  const first = image.slice(0, slash);
  const isHost = first.includes(".") || first.includes(":") || first === "localhost";
  return isHost ? image.slice(slash + 1) : image;
}

/** An image by its short ID, and the reference it came from unless that was the ID too. */
export function ImageName({ imageId, image }: { imageId: string; image: string }) {
  return (
    <>
      <code title={imageId}>{shortId(imageId)}</code>
      {!image.startsWith("sha256:") && (
        <>
          {" "}(<code>{image}</code>)
        </>
      )}
    </>
  );
}

/** The lines of a diff, removed in red and added in green, unchanged ones dimmed. */
export function DiffView({ lines }: { lines: DiffLine[] }) {
  const changed = lines.some((l) => l.kind !== "same");
  return (
    <div class="diff-view">
      {!changed && <p class="muted">No difference.</p>}
      <pre class="diff" aria-label="Differences">
        {lines.map((l) => (
          <span class={`diff-line diff-${l.kind}`}>
            {l.kind === "added" ? "+ " : l.kind === "removed" ? "- " : "  "}
            {l.text}
            {"\n"}
          </span>
        ))}
      </pre>
    </div>
  );
}

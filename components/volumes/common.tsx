/** What the volume pages share: links, the list's URL query, badges, the users of a volume. */
import type { VolumeFilter, VolumeRow, VolumeUser } from "../../services/volumes/list.ts";
import { StateBadge } from "../containers/common.tsx";

/** A volume's page; `path` opens a folder of it. */
export function volumeHref(name: string, suffix = "", path?: string): string {
  const base = `/volumes/${encodeURIComponent(name)}${suffix}`;
  return path && path !== "/" ? `${base}?path=${encodeURIComponent(path)}` : base;
}

/** A download of a file or folder in the volume. */
export function downloadHref(name: string, path: string): string {
  return `/volumes/${encodeURIComponent(name)}/download?path=${encodeURIComponent(path)}`;
}

/** The list's URL query for a filter, empty values left out. */
export function volumeFilterQuery(f: Partial<VolumeFilter>): string {
  const params = new URLSearchParams();
  if (f.q) params.set("q", f.q);
  if (f.unused) params.set("unused", "1");
  const qs = params.toString();
  return qs ? `?${qs}` : "";
}

/** Unused, anonymous, the owning stack. */
export function VolumeBadges({ row }: { row: VolumeRow }) {
  return (
    <span class="badges volume-badges">
      {row.unused && <span class="img-badge img-unused">Unused</span>}
      {row.anonymous && (
        <span
          class="img-badge"
          title="Docker made it for one container (-v /path, an image's VOLUME)"
        >
          anonymous
        </span>
      )}
      {row.stack && (
        <span class="img-badge vol-stack" title="com.docker.compose.project">
          stack {row.stack}
        </span>
      )}
    </span>
  );
}

/** The containers that mount a volume: name (linked), state, where, read-only. */
export function VolumeUsers({ users, at }: { users: VolumeUser[]; at?: boolean }) {
  if (users.length === 0) return <span class="muted">no container</span>;
  return (
    <ul class="used-by">
      {users.map((u) => (
        <li>
          <a href={`/containers/${encodeURIComponent(u.name)}`}>{u.name}</a>{" "}
          <StateBadge state={u.state} />
          {!u.managed && <span class="badge badge-external">external</span>}
          {at && (
            <>
              {" "}at <code>{u.at}</code>
              {u.readOnly ? " (read-only)" : ""}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

import type { ImageFilter, ImageRow, ImageUser } from "../../services/images/list.ts";
import { StateBadge } from "../containers/common.tsx";

/** Where an image's page is: by its full id, which stays right after a tag moves. */
export function imageHref(row: Pick<ImageRow, "id">, suffix = ""): string {
  return `/images/${row.id.replace(/^sha256:/, "")}${suffix}`;
}

/** How an image is named on a page: its first tag, else `<none>` and its short id. */
export function imageTitle(row: Pick<ImageRow, "tags" | "shortId">): string {
  return row.tags[0] ?? `<none> ${row.shortId}`;
}

/** The list's URL query for a filter, empty values left out so URLs stay short. */
export function imageFilterQuery(f: Partial<ImageFilter>): string {
  const params = new URLSearchParams();
  if (f.q) params.set("q", f.q);
  if (f.dangling) params.set("dangling", "1");
  if (f.unused) params.set("unused", "1");
  if (f.update) params.set("update", "1");
  const qs = params.toString();
  return qs ? `?${qs}` : "";
}

/** Unused, Dangling (with what it was), Update available, kept for rollback. */
export function ImageBadges({ row }: { row: ImageRow }) {
  return (
    <span class="badges image-badges">
      {row.dangling && (
        <span class="img-badge img-dangling" title="No tag: docker images shows it as <none>">
          {row.drift ? <>dangling — was {row.drift.was}</> : "Dangling"}
        </span>
      )}
      {row.drift?.also.map((t) => (
        <span class="img-badge img-also" title="The registry still serves this digest as">
          also {t}
        </span>
      ))}
      {row.unused && <span class="img-badge img-unused">Unused</span>}
      {row.updateAvailable && (
        <span class="img-badge img-update" title="The registry has a newer image for this tag">
          Update available
        </span>
      )}
      {row.protected && (
        <span class="img-badge img-protected" title="A container's history can roll back to it">
          kept for rollback
        </span>
      )}
    </span>
  );
}

/** The containers using an image: name (linked), state, and "external" when not managed. */
export function UsedBy({ users }: { users: ImageUser[] }) {
  if (users.length === 0) return <span class="muted">no container</span>;
  return (
    <ul class="used-by">
      {users.map((u) => (
        <li>
          <a href={`/containers/${encodeURIComponent(u.name)}`}>{u.name}</a>{" "}
          <StateBadge state={u.state} />
          {!u.managed && <span class="badge badge-external">external</span>}
        </li>
      ))}
    </ul>
  );
}

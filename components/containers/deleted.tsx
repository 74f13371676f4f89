import type { Child } from "hono/jsx";
import { DataTable } from "../table.tsx";
import type { DeletedRecord } from "../../services/containers/deleted.ts";
import { timeAgo } from "../format.ts";
import { type TagColors, TagList } from "../tags.tsx";
import { shortImage, When } from "./common.tsx";
import { PageHead } from "../ui.tsx";

export type DeletedPageProps = {
  records: DeletedRecord[];
  retentionDays: number;
  lastPrune: { ranAt: string; removed: number } | null;
  colors: TagColors;
  notice?: Child;
};

export function DeletedPage(
  { records, retentionDays, lastPrune, colors, notice }: DeletedPageProps,
) {
  return (
    <>
      <PageHead title="Deleted containers">
        <a class="btn" href="/containers/deleted/export.json" download>Export JSON</a>
        <a class="btn" href="/containers/deleted/export.csv" download>Export CSV</a>
        <a class="btn btn-ghost" href="/containers">All containers</a>
      </PageHead>
      {notice}
      <p class="muted" id="retention">
        Records are kept for <strong>{retentionDays} days</strong>, then pruned. {lastPrune
          ? (
            <>
              Last prune <When iso={lastPrune.ranAt} />, removed {lastPrune.removed}.
            </>
          )
          : "The prune job has not run yet."} <code>deno task prune-deleted</code> runs it now.
      </p>
      {records.length === 0
        ? (
          <div class="card empty-state">
            <p>Nothing here: removed containers appear here and can be restored.</p>
          </div>
        )
        : (
          <DataTable
            class="deleted"
            wrapClass="card flush"
            columns={[
              "Name",
              { label: "Image", class: "hide-sm" },
              { label: "Deleted", class: "hide-sm" },
              { srOnly: "Actions" },
            ]}
          >
            {records.map((r) => (
              <tr id={`deleted-${r.id}`}>
                <td class="col-name">
                  <strong class="deleted-name">{r.name}</strong>
                  {!r.managed && <span class="badge badge-external">external</span>}
                  {r.tags.length > 0 && (
                    <span class="row-tags">
                      <TagList tags={r.tags} colors={colors} />
                    </span>
                  )}
                  <span class="uptime show-sm">removed {timeAgo(new Date(r.deletedAt))}</span>
                </td>
                <td class="hide-sm">
                  <span class="image-ref" title={r.image}>{shortImage(r.image)}</span>
                </td>
                <td class="hide-sm">
                  <time datetime={r.deletedAt} title={r.deletedAt}>
                    {timeAgo(new Date(r.deletedAt))}
                  </time>
                </td>
                <td class="col-actions">
                  <div class="row-actions">
                    <form
                      method="post"
                      action={`/containers/deleted/${r.id}/restore`}
                      class="inline"
                    >
                      <button
                        type="submit"
                        class="btn btn-small"
                        hx-post={`/containers/deleted/${r.id}/restore`}
                        title={`Recreate ${r.name} from its stored config`}
                      >
                        Restore
                      </button>
                    </form>
                    <a
                      class="btn btn-small btn-danger"
                      href={`/containers/deleted/${r.id}/purge`}
                    >
                      Purge
                    </a>
                  </div>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
    </>
  );
}

export function PurgeConfirm({ record }: { record: DeletedRecord }) {
  return (
    <section class="card confirm" id="confirm-purge">
      <h1>Purge {record.name}?</h1>
      <p>
        The stored config, tags and log lines of <strong>{record.name}</strong>{" "}
        ({record.image}), removed{" "}
        {timeAgo(new Date(record.deletedAt))}, are deleted for good. It can no longer be restored.
      </p>
      <form method="post" action={`/containers/deleted/${record.id}/purge`}>
        <div class="button-row">
          <button type="submit" class="btn btn-danger-solid" id="confirm-purge-button">
            Purge for good
          </button>
          <a class="btn btn-ghost" href="/containers/deleted">Cancel</a>
        </div>
      </form>
    </section>
  );
}

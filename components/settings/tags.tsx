import { TAG_COLORS } from "../../services/containers/tag-colors.ts";
import type { TagUsage } from "../../services/containers/tags.ts";
import { plural } from "../format.ts";
import { TagBadge } from "../tags.tsx";
import { DataTable } from "../table.tsx";
import { hx, option } from "./form.tsx";

export type TagError = {
  tag: string;
  /** Which of the row's forms the message belongs next to. */
  field: "name" | "into" | "color" | "form";
  message: string;
  /** A rename hit this existing tag: offer to merge into it instead. */
  mergeInto?: string;
};
export type TagsView = {
  tags: TagUsage[];
  error?: TagError;
  /** The tag whose deletion awaits confirmation. */
  confirmDelete?: string;
  notice?: string;
  /** The name typed into a rename that was refused. */
  attempted?: string;
};

function RowError({ id, error }: { id: string; error?: TagError }) {
  if (!error) return null;
  return (
    <div class="tag-error" id={id}>
      <p class="field-error" role="alert">{error.message}</p>
      {error.mergeInto && (
        <form
          method="post"
          action={`/settings/tags/${error.tag}/merge`}
          class="inline"
          {...hx(`/settings/tags/${error.tag}/merge`, "#tags-panel")}
        >
          <input type="hidden" name="into" value={error.mergeInto} />
          <button type="submit" class="btn btn-small">
            Merge {error.tag} into {error.mergeInto}
          </button>
        </form>
      )}
    </div>
  );
}

function TagRowView({ tag, view }: { tag: TagUsage; view: TagsView }) {
  const n = tag.name;
  const base = `/settings/tags/${n}`;
  const error = view.error?.tag === n ? view.error : undefined;
  const errorFor = (field: TagError["field"]) => error?.field === field ? error : undefined;
  const others = view.tags.filter((t) => t.name !== n);
  const confirming = view.confirmDelete === n;
  return (
    <>
      <tr id={`tag-${n}`} class={error ? "tag-row has-error" : "tag-row"}>
        <td class="tag-name">
          <TagBadge name={n} color={tag.color} />
          <RowError id={`tag-${n}-error`} error={errorFor("form")} />
        </td>
        <td data-label="Containers" class="tag-count" data-count={tag.containers}>
          {tag.containers}
          <span class="count-unit">{tag.containers === 1 ? " container" : " containers"}</span>
        </td>
        <td data-label="Color" class="tag-color">
          <form
            method="post"
            action={`${base}/color`}
            class="tag-form"
            {...hx(`${base}/color`, "#tags-panel")}
          >
            <label class="sr-only" for={`tag-${n}-color`}>Color of {n}</label>
            <select id={`tag-${n}-color`} name="color">
              {TAG_COLORS.map((c) => option(c, c, c === tag.color))}
            </select>
            <button type="submit" class="btn btn-small">
              Set<span class="sr-only">{` the color of ${n}`}</span>
            </button>
          </form>
          <RowError id={`tag-${n}-color-error`} error={errorFor("color")} />
        </td>
        <td data-label="Rename" class="tag-rename">
          <form
            method="post"
            action={`${base}/rename`}
            class="tag-form"
            {...hx(`${base}/rename`, "#tags-panel")}
          >
            <label class="sr-only" for={`tag-${n}-name`}>New name for {n}</label>
            <input
              type="text"
              id={`tag-${n}-name`}
              name="name"
              required
              maxlength={32}
              autocapitalize="none"
              autocomplete="off"
              spellcheck={false}
              value={errorFor("name") ? view.attempted ?? n : n}
              aria-invalid={errorFor("name") ? "true" : undefined}
              aria-describedby={errorFor("name") ? `tag-${n}-name-error` : undefined}
            />
            <button type="submit" class="btn btn-small">
              Rename<span class="sr-only">{` ${n}`}</span>
            </button>
          </form>
          <RowError id={`tag-${n}-name-error`} error={errorFor("name")} />
        </td>
        <td data-label="Merge into" class="tag-merge">
          {others.length === 0 ? <span class="muted">no other tag</span> : (
            <form
              method="post"
              action={`${base}/merge`}
              class="tag-form"
              {...hx(`${base}/merge`, "#tags-panel")}
            >
              <label class="sr-only" for={`tag-${n}-into`}>Merge {n} into</label>
              <select
                id={`tag-${n}-into`}
                name="into"
                required
                aria-invalid={errorFor("into") ? "true" : undefined}
              >
                <option value="">into…</option>
                {others.map((t) => option(t.name, t.name))}
              </select>
              <button type="submit" class="btn btn-small">
                Merge<span class="sr-only">{` ${n}`}</span>
              </button>
            </form>
          )}
          <RowError id={`tag-${n}-into-error`} error={errorFor("into")} />
        </td>
        <td class="tag-delete">
          {!confirming && (
            <form
              method="post"
              action={`${base}/delete`}
              class="inline"
              {...hx(`${base}/delete`, "#tags-panel")}
            >
              <button type="submit" class="btn btn-small btn-danger">
                Delete<span class="sr-only">{` ${n}`}</span>
              </button>
            </form>
          )}
        </td>
      </tr>
      {confirming && (
        <tr class="tag-confirm" id={`tag-${n}-confirm`}>
          <td colspan={6}>
            <div class="alert alert-warn" role="alert">
              <p>
                {tag.containers > 0
                  ? (
                    <>
                      Remove the tag <strong>{n}</strong> from{" "}
                      {plural(tag.containers, "container")}?
                    </>
                  )
                  : (
                    <>
                      Delete the tag <strong>{n}</strong>? No container carries it.
                    </>
                  )}
              </p>
              <form
                method="post"
                action={`${base}/delete`}
                class="confirm-actions"
                {...hx(`${base}/delete`, "#tags-panel")}
              >
                <input type="hidden" name="confirm" value="yes" />
                <button type="submit" class="btn btn-small btn-danger">Delete tag {n}</button>
                <a
                  href="/settings#tags"
                  class="btn btn-small"
                  hx-get="/settings/tags"
                  hx-target="#tags-panel"
                  hx-swap="outerHTML"
                >
                  Cancel
                </a>
              </form>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

export function TagsPanel({ view }: { view: TagsView }) {
  return (
    <div id="tags-panel">
      {view.notice && <p class="alert alert-ok" role="status" id="tags-notice">{view.notice}</p>}
      {view.error && !view.tags.some((t) => t.name === view.error?.tag) && (
        // The tag is gone (deleted in another tab, say): there is no row to show it on.
        <p class="alert alert-error" role="alert" id="tags-error">{view.error.message}</p>
      )}
      {view.tags.length === 0
        ? <p class="muted">No tags yet. Tags are added to containers from their pages.</p>
        : (
          <DataTable
            class="tags-table"
            columns={["Tag", "Containers", "Color", "Rename", "Merge into", { srOnly: "Delete" }]}
          >
            {view.tags.map((tag) => TagRowView({ tag, view }))}
          </DataTable>
        )}
      <p class="cli-note">
        Same as <code>PATCH /api/v1/tags/:name</code>, <code>POST /api/v1/tags/:name/merge</code>
        {" "}
        and <code>DELETE /api/v1/tags/:name</code>.
      </p>
    </div>
  );
}

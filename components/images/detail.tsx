import type { Child } from "hono/jsx";
import { DataTable } from "../table.tsx";
import type { ImageDetail } from "../../services/images/detail.ts";
import type { ImageUser } from "../../services/images/list.ts";
import { When } from "../containers/common.tsx";
import { formatBytes } from "../format.ts";
import { Alert, FieldError, PageHead } from "../ui.tsx";
import { ImageBadges, imageHref, imageTitle, UsedBy } from "./common.tsx";

function KvTable({ rows }: { rows: [string, string][] }) {
  if (rows.length === 0) return <p class="muted">None.</p>;
  return (
    <div class="table-wrap">
      <table class="table kv">
        <tbody>
          {rows.map(([k, v]) => (
            <tr>
              <th scope="row">
                <code>{k}</code>
              </th>
              <td>
                <code class="env-value">{v}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Words({ words }: { words: string[] | null }) {
  if (!words || words.length === 0) return <span class="muted">none</span>;
  return <code>{JSON.stringify(words)}</code>;
}

function envRows(env: string[]): [string, string][] {
  return env.map((line) => {
    const eq = line.indexOf("=");
    return eq < 0 ? [line, ""] : [line.slice(0, eq), line.slice(eq + 1)];
  });
}

function UpdateLine({ d }: { d: ImageDetail }) {
  if (d.updates.length === 0) {
    return <span class="muted">not checked yet</span>;
  }
  return (
    <ul class="plain">
      {d.updates.map((u) => (
        <li>
          <code>{u.tag}</code>: {u.error
            ? <span class="text-danger">check failed: {u.error}</span>
            : u.skipped
            ? <span class="muted">not checked: {u.skipped}</span>
            : u.updateAvailable
            ? <strong>update available</strong>
            : "up to date"} <span class="muted">(checked</span> <When iso={u.checkedAt} />
          <span class="muted">)</span>
        </li>
      ))}
    </ul>
  );
}

/** Adds a tag; a tag that pointed elsewhere moves here (the other image may become dangling). */
export function TagPanel(
  { d, error, done, values }: {
    d: ImageDetail;
    error?: { field: "repo" | "tag" | "form"; message: string };
    done?: { target: string; replaced: string | null; cli: string };
    values?: { repo?: string; tag?: string };
  },
) {
  const repo = values?.repo ?? d.tags[0]?.replace(/:[^:/]+$/, "") ?? "";
  return (
    <section class="card" id="tag">
      <h2>Tag</h2>
      {done && (
        <Alert kind="ok">
          Tagged <strong>{done.target}</strong>
          {done.replaced && <>; it pointed to {done.replaced.slice(7, 19)} before</>} —{" "}
          <code>{done.cli}</code>
        </Alert>
      )}
      {error?.field === "form" && <Alert kind="error">{error.message}</Alert>}
      <form
        method="post"
        action={imageHref(d, "/tag")}
        hx-post={imageHref(d, "/tag")}
        hx-target="#tag"
        hx-swap="outerHTML"
        class="tag-image-form"
      >
        <div class="row">
          <div class="field grow">
            <label for="tag-repo">Repository</label>
            <input
              type="text"
              id="tag-repo"
              name="repo"
              value={repo}
              placeholder="host:5000/team/app"
              required
              autocomplete="off"
              spellcheck={false}
              aria-invalid={error?.field === "repo" ? "true" : undefined}
            />
            <FieldError
              id="tag-repo-error"
              message={error?.field === "repo" ? error.message : undefined}
            />
          </div>
          <div class="field">
            <label for="tag-tag">Tag</label>
            <input
              type="text"
              id="tag-tag"
              name="tag"
              value={values?.tag ?? ""}
              placeholder="v2"
              required
              autocomplete="off"
              spellcheck={false}
              aria-invalid={error?.field === "tag" ? "true" : undefined}
            />
            <FieldError
              id="tag-tag-error"
              message={error?.field === "tag" ? error.message : undefined}
            />
          </div>
        </div>
        <button type="submit" class="btn" id="tag-submit">Add tag</button>
      </form>
      <p class="cli-mini">
        <code>{d.cli.tag}</code>
      </p>
    </section>
  );
}

export function ImageDetailPage(
  { d, notice, tagPanel }: { d: ImageDetail; notice?: Child; tagPanel?: Child },
) {
  const cfg = d.config;
  const hc = cfg.healthcheck;
  return (
    <>
      <PageHead title={imageTitle(d)} titleClass="detail-title image-title">
        <a class="btn btn-danger" href={imageHref(d, "/remove")} id="remove-image">Remove…</a>
        <a class="btn" href="/images">All images</a>
      </PageHead>
      {notice}
      <div class="grid-2">
        <section class="card" id="image-summary">
          <h2>Image</h2>
          <p>
            <ImageBadges row={d} />
          </p>
          <dl class="facts">
            <dt>Id</dt>
            <dd>
              <code class="break">{d.id}</code>
            </dd>
            <dt>Tags</dt>
            <dd>
              {d.tags.length
                ? (
                  <ul class="plain">
                    {d.tags.map((t) => (
                      <li>
                        <code>{t}</code>
                      </li>
                    ))}
                  </ul>
                )
                : (
                  <span class="muted">
                    none{d.drift ? ` (was ${d.drift.was}, seen ` : ""}
                    {d.drift && (
                      <>
                        <When iso={d.drift.seenAt} />)
                      </>
                    )}
                  </span>
                )}
            </dd>
            <dt>Digests</dt>
            <dd>
              {d.digests.length
                ? (
                  <ul class="plain">
                    {d.digests.map((x) => (
                      <li>
                        <code class="break">{x}</code>
                      </li>
                    ))}
                  </ul>
                )
                : <span class="muted">none (built or loaded here, never pushed or pulled)</span>}
            </dd>
            <dt>Size</dt>
            <dd>{formatBytes(d.size)}</dd>
            <dt>Created</dt>
            <dd>
              <When iso={d.created} />
            </dd>
            <dt>Platform</dt>
            <dd>{d.os}/{d.architecture}</dd>
            <dt>Updates</dt>
            <dd>
              <UpdateLine d={d} />
            </dd>
            <dt>Used by</dt>
            <dd>
              <UsedBy users={d.usedBy} />
            </dd>
          </dl>
        </section>
        {tagPanel ?? <TagPanel d={d} />}
      </div>
      <section class="card" id="image-config">
        <h2>Config</h2>
        <dl class="facts">
          <dt>Entrypoint</dt>
          <dd>
            <Words words={cfg.entrypoint} />
          </dd>
          <dt>Command</dt>
          <dd>
            <Words words={cfg.cmd} />
          </dd>
          <dt>User</dt>
          <dd>{cfg.user ? <code>{cfg.user}</code> : <span class="muted">root (default)</span>}</dd>
          <dt>Working dir</dt>
          <dd>{cfg.workdir ? <code>{cfg.workdir}</code> : <span class="muted">/</span>}</dd>
          <dt>Exposed ports</dt>
          <dd>
            {cfg.exposedPorts.length
              ? <code>{cfg.exposedPorts.join(" ")}</code>
              : <span class="muted">none</span>}
          </dd>
          <dt>Volumes</dt>
          <dd>
            {cfg.volumes.length
              ? <code>{cfg.volumes.join(" ")}</code>
              : <span class="muted">none</span>}
          </dd>
          <dt>Healthcheck</dt>
          <dd>
            {hc
              ? (
                <>
                  <code>{hc.test.slice(1).join(" ")}</code>
                  <span class="muted">
                    {" "}
                    {[
                      hc.intervalSeconds ? `every ${hc.intervalSeconds}s` : "",
                      hc.timeoutSeconds ? `timeout ${hc.timeoutSeconds}s` : "",
                      hc.retries ? `${hc.retries} retries` : "",
                      hc.startPeriodSeconds ? `start period ${hc.startPeriodSeconds}s` : "",
                    ].filter(Boolean).join(", ")}
                  </span>
                </>
              )
              : <span class="muted">none</span>}
          </dd>
          {cfg.stopSignal && (
            <>
              <dt>Stop signal</dt>
              <dd>
                <code>{cfg.stopSignal}</code>
              </dd>
            </>
          )}
        </dl>
      </section>
      <div class="grid-2">
        <section class="card" id="image-env">
          <h2>Environment</h2>
          <KvTable rows={envRows(cfg.env)} />
        </section>
        <section class="card" id="image-labels">
          <h2>Labels</h2>
          <KvTable rows={Object.keys(cfg.labels).sort().map((k) => [k, cfg.labels[k]])} />
        </section>
      </div>
      <section class="card" id="image-layers">
        <h2>Layers</h2>
        <DataTable
          class="layers-table"
          columns={["Step", "Size", { label: "Created", class: "hide-sm" }]}
        >
          {d.history.map((h) => (
            <tr>
              <td class="layer-step">
                <code>{h.createdBy.replace(/^\/bin\/sh -c #\(nop\)\s+/, "")}</code>
                {h.comment && <span class="muted">{h.comment}</span>}
              </td>
              <td class="layer-size">{h.size ? formatBytes(h.size) : "—"}</td>
              <td class="hide-sm">
                <When iso={h.created} />
              </td>
            </tr>
          ))}
        </DataTable>
      </section>
      <section class="card">
        <h2>Docker CLI</h2>
        <details class="cli" open>
          <summary>The same from a shell</summary>
          <pre><code>{[d.cli.pull, d.cli.inspect, d.cli.history, d.cli.tag, d.cli.rmi].filter(Boolean).join("\n")}</code></pre>
        </details>
      </section>
    </>
  );
}

/** The server-rendered confirmation before removing an image; lists the containers using it. */
export function RemoveImageConfirm(
  { d, refused }: { d: ImageDetail; refused?: { message: string; usedBy: ImageUser[] } },
) {
  const used = d.usedBy.length > 0;
  const running = d.usedBy.some((u) => u.state === "running");
  return (
    <section class="card confirm" id="confirm-remove-image">
      <h1>Remove {imageTitle(d)}?</h1>
      {refused && <Alert kind="error">{refused.message}</Alert>}
      <p>
        {d.tags.length
          ? <>Its tags ({d.tags.join(", ")}) are removed, then the image and its own layers.</>
          : <>The image and its own layers are removed.</>}{" "}
        It can be pulled again from its registry if it was pushed there
        {d.digests.length ? "" : " (this one never was: a build or load here is gone for good)"}.
      </p>
      {used
        ? (
          <div class="image-users">
            <p>
              <strong>
                In use by {d.usedBy.length} container{d.usedBy.length === 1 ? "" : "s"}:
              </strong>
            </p>
            <UsedBy users={d.usedBy} />
            <p class="hint">
              Docker refuses to remove an image a container uses. Force removes it anyway for
              stopped containers (they cannot start again until it is back); an image a running
              container uses cannot be removed at all.
            </p>
          </div>
        )
        : null}
      <form method="post" action={imageHref(d, "/remove")} class="stack">
        {used && (
          <label class="check">
            <input type="checkbox" name="force" value="on" disabled={running} />
            <span>
              Force (<code>-f</code>){running ? ": not possible while a container runs it" : ""}
            </span>
          </label>
        )}
        <div class="button-row">
          <button type="submit" class="btn btn-danger-solid" id="confirm-remove-image-button">
            Remove {imageTitle(d)}
          </button>
          <a class="btn btn-ghost" href={imageHref(d)}>Cancel</a>
        </div>
      </form>
      <pre class="cli-line"><code>{d.cli.rmi}</code></pre>
    </section>
  );
}

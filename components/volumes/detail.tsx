/** A volume's page: its facts and users, its files, backup and restore; and the remove page. */
import type { Child } from "hono/jsx";
import type { VolumeRow, VolumeUser } from "../../services/volumes/list.ts";
import { formatBytes, timeAgo } from "../format.ts";
import { Alert, PageHead } from "../ui.tsx";
import { VolumeBadges, volumeHref, VolumeUsers } from "./common.tsx";
import { RestoreForm } from "./forms.tsx";

function Pairs({ pairs }: { pairs: Record<string, string> }) {
  const entries = Object.entries(pairs);
  if (entries.length === 0) return <span class="muted">none</span>;
  return (
    <ul class="pairs">
      {entries.map(([k, v]) => (
        <li>
          <code>{v ? `${k}=${v}` : k}</code>
        </li>
      ))}
    </ul>
  );
}

function Facts({ row, cli }: { row: VolumeRow; cli: string }) {
  return (
    <section class="card" id="volume-facts">
      <h2>Volume</h2>
      <dl class="facts">
        <dt>Driver</dt>
        <dd>{row.driver}</dd>
        <dt>Size</dt>
        <dd id="volume-size">
          {row.size === null ? <span class="muted">not measured yet</span> : formatBytes(row.size)}
        </dd>
        <dt>Created</dt>
        <dd>
          {row.created
            ? (
              <time datetime={row.created} title={row.created}>
                {timeAgo(new Date(row.created))}
              </time>
            )
            : <span class="muted">—</span>}
        </dd>
        <dt>Stack</dt>
        <dd>{row.stack ?? <span class="muted">none</span>}</dd>
        <dt>Mountpoint</dt>
        <dd>
          <code class="wrap">{row.mountpoint}</code>
        </dd>
        <dt>Labels</dt>
        <dd>
          <Pairs pairs={row.labels} />
        </dd>
        <dt>Options</dt>
        <dd>
          <Pairs pairs={row.options} />
        </dd>
      </dl>
      <pre class="cli-line"><code>{cli}</code></pre>
    </section>
  );
}

function Users({ users }: { users: VolumeUser[] }) {
  return (
    <section class="card" id="volume-users">
      <h2>Used by</h2>
      <VolumeUsers users={users} at />
      {users.length === 0 && (
        <p class="hint">
          No container mounts it, running or stopped: a prune of all may remove it.
        </p>
      )}
    </section>
  );
}

function Backup({ name, cli }: { name: string; cli: string }) {
  return (
    <section class="card" id="backup-card">
      <h2>Back up</h2>
      <p>
        Downloads the whole volume as a{" "}
        <code>.tar.gz</code>: files with their modes and owners, folders, links. Restore it into a
        new or empty volume from the volume list.
      </p>
      <div class="button-row">
        <a class="btn" id="backup" href={volumeHref(name, "/backup")} download>
          Download a backup (.tar.gz)
        </a>
      </div>
      <pre class="cli-line"><code>{cli}</code></pre>
    </section>
  );
}

export type VolumePageProps = {
  row: VolumeRow;
  inspectCli: string;
  backupCli: string;
  /** The files panel (components/volumes/files.tsx). */
  files: Child;
  /** The volume holds nothing: it can take a restore. */
  empty: boolean;
  notice?: Child;
};

export function VolumePage(p: VolumePageProps) {
  return (
    <>
      <PageHead title={p.row.name} titleClass="wrap">
        <a class="btn btn-danger" href={volumeHref(p.row.name, "/remove")} id="remove-volume">
          Remove…
        </a>
      </PageHead>
      <VolumeBadges row={p.row} />
      {p.notice}
      <div class="grid-2">
        <Facts row={p.row} cli={p.inspectCli} />
        <Users users={p.row.usedBy} />
      </div>
      {p.files}
      <div class="grid-2">
        <Backup name={p.row.name} cli={p.backupCli} />
        {p.empty && <RestoreForm into={p.row.name} />}
      </div>
    </>
  );
}

export function RemoveVolumeConfirm(
  { row, cli, refused }: { row: VolumeRow; cli: string; refused?: string },
) {
  const used = row.usedBy.length > 0;
  return (
    <section class="card confirm" id="confirm-remove-volume">
      <h1 class="wrap">Remove volume {row.name}?</h1>
      {refused && <Alert kind="error">{refused}</Alert>}
      <p>
        Its files ({row.size === null ? "size not measured yet" : formatBytes(row.size)}) are
        deleted for good. Download a backup first if you may need them.
      </p>
      {used && (
        <div class="image-users">
          <p>
            <strong>
              In use by {row.usedBy.length} container{row.usedBy.length === 1 ? "" : "s"}:
            </strong>
          </p>
          <VolumeUsers users={row.usedBy} at />
          <p class="hint">
            Docker refuses to remove a volume a container uses, running or stopped: remove the
            container first.
          </p>
        </div>
      )}
      <form method="post" action={volumeHref(row.name, "/remove")} class="stack">
        <div class="button-row">
          <button
            type="submit"
            class="btn btn-danger-solid"
            id="confirm-remove-volume-button"
            disabled={used}
          >
            Remove {row.name}
          </button>
          <a class="btn btn-ghost" href={volumeHref(row.name)}>Cancel</a>
        </div>
      </form>
      <pre class="cli-line"><code>{cli}</code></pre>
    </section>
  );
}

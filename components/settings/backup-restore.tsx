/**
 * Restoring an uploaded backup: the preview (what would be created, changed and skipped, and
 * why) with the button that confirms it, and then what was done.
 */
import type { RestorePlan, RestoreResult } from "../../services/backup/model.ts";
import type { UploadPreview } from "../../services/backup/service.ts";
import { plural } from "../format.ts";
import { Alert, CliHint, PageHead } from "../ui.tsx";

const TITLES = {
  create: "Created",
  change: "Changed",
  skip: "Skipped",
  failed: "Failed",
} as const;

const WOULD = {
  create: "Would create",
  change: "Would change",
  skip: "Would skip",
} as const;

function Entries(
  { kind, title, entries }: { kind: string; title: string; entries: RestorePlan["create"] },
) {
  return (
    <section
      class="card restore-list"
      id={`restore-${kind}`}
      aria-labelledby={`restore-${kind}-title`}
    >
      <h2 id={`restore-${kind}-title`}>
        {title} <span class="badge">{entries.length}</span>
      </h2>
      {entries.length === 0 ? <p class="muted">Nothing.</p> : (
        <ul class="restore-entries">
          {entries.map((e) => (
            <li>
              <span class="badge">{e.section}</span> <strong>{e.what}</strong>
              <span class="muted restore-why">{e.why}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function RestorePreviewPage({ preview }: { preview: UploadPreview }) {
  const { about, plan, id } = preview;
  const changes = plan.create.length + plan.change.length;
  return (
    <>
      <PageHead title="Restore a backup">
        <a class="btn" href="/settings#backup">Cancel</a>
      </PageHead>
      <p id="restore-about">
        Made {about.createdAt} on <strong>{about.host}</strong>; secrets {about.secrets === "sealed"
          ? "sealed (they open only on the instance that made it)"
          : about.secrets === "omitted"
          ? "left out"
          : "in plain text (an older format)"}. Nothing has changed yet.
      </p>
      <Entries kind="create" title={WOULD.create} entries={plan.create} />
      <Entries kind="change" title={WOULD.change} entries={plan.change} />
      <Entries kind="skip" title={WOULD.skip} entries={plan.skip} />
      <form method="post" action="/settings/backup/restore" id="restore-confirm" class="button-row">
        <input type="hidden" name="id" value={id} />
        <button type="submit" class="btn btn-primary" id="restore-submit" disabled={changes === 0}>
          {changes === 0 ? "Nothing to restore" : `Restore: ${plural(changes, "change")}`}
        </button>
      </form>
      <CliHint command="deno task restore backup.json --dry-run   # this preview
deno task restore backup.json             # the restore" />
    </>
  );
}

export function RestoreDonePage({ result }: { result: RestoreResult }) {
  return (
    <>
      <PageHead title="Backup restored">
        <a class="btn" href="/settings#backup">Back to Settings</a>
      </PageHead>
      {result.failed.length > 0
        ? (
          <Alert kind="error">
            {plural(result.failed.length, "step")} failed; the others were done.
          </Alert>
        )
        : <Alert kind="ok">Restored: every planned step was done.</Alert>}
      {result.failed.length > 0 && (
        <Entries kind="failed" title={TITLES.failed} entries={result.failed} />
      )}
      <Entries kind="create" title={TITLES.create} entries={result.create} />
      <Entries kind="change" title={TITLES.change} entries={result.change} />
      <Entries kind="skip" title={TITLES.skip} entries={result.skip} />
    </>
  );
}

export function RestoreRefusedPage({ message }: { message: string }) {
  return (
    <>
      <PageHead title="Restore a backup">
        <a class="btn" href="/settings#backup">Back to Settings</a>
      </PageHead>
      <Alert kind="error">
        <span id="restore-error">Not restored: {message}</span> Nothing was changed.
      </Alert>
    </>
  );
}

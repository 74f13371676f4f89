/** What a restore answers in the page (static/js/volumes.js puts it under the form). */
import type { RestoreResult } from "../../services/volumes/model.ts";
import { formatBytes, plural } from "../format.ts";
import { Alert } from "../ui.tsx";
import { volumeHref } from "./common.tsx";

export function RestoreResultView({ r }: { r: RestoreResult }) {
  return (
    <Alert kind="ok">
      <span id="restore-done">
        Restored {plural(r.entries, "entry", "entries")} ({formatBytes(r.bytes)} in files) into
        {r.created ? " the new volume " : " "}
        <a href={volumeHref(r.name)} id="restore-open">{r.name}</a>.
      </span>
      <pre class="cli-line"><code>{r.cli}</code></pre>
    </Alert>
  );
}

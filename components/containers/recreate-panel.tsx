import type { RecreateCommands } from "../../services/config/service.ts";
import { StackDraftForm } from "../convert/stack-draft.tsx";
import { Alert } from "../ui.tsx";

/** One generated text with its Copy button (static/js/copy.js; it selects the text where the
 * clipboard is out of reach, as on a plain-http LAN address). */
export function CopyBlock({ id, title, text }: { id: string; title: string; text: string }) {
  return (
    <div class="copy-block">
      <div class="copy-head">
        <h3>{title}</h3>
        <button type="button" class="btn btn-small copy-button" data-copy={id} id={`${id}-copy`}>
          Copy
        </button>
        <span class="copy-status muted" id={`${id}-status`} role="status" aria-live="polite">
        </span>
      </div>
      <pre class="copy-text" id={id}><code>{text}</code></pre>
    </div>
  );
}

/**
 * "How to recreate": the `docker run` and compose file that make this container again, read
 * from its live config. Shown for every container, managed or not.
 */
export function RecreatePanel(
  { commands, error, name }: { commands: RecreateCommands | null; error?: string; name?: string },
) {
  return (
    <section class="card recreate-panel" id="recreate">
      <h2>How to recreate</h2>
      {commands
        ? (
          <>
            <p class="hint">
              Generated from the container's live config: only what differs from its image and from
              Docker's defaults. Run it once this container is removed or renamed; its networks and
              named volumes must exist.
            </p>
            <CopyBlock id="recreate-run" title="docker run" text={commands.run} />
            <CopyBlock id="recreate-compose" title="Compose" text={commands.compose} />
            <div class="button-row">
              <StackDraftForm id="recreate-stack" compose={commands.stackDraft} name={name} />
              {name && (
                <a
                  class="btn btn-ghost"
                  href={`/templates/new?container=${encodeURIComponent(name)}`}
                >
                  Save as template
                </a>
              )}
            </div>
          </>
        )
        : <Alert kind="info">The config could not be read: {error ?? "unknown error"}</Alert>}
      <script src="/static/js/copy.js" defer></script>
    </section>
  );
}

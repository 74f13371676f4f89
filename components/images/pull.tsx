import type { OperationEvent } from "../../services/operations.ts";
import { Alert, FieldError, OperationStream, ProgressMessage } from "../ui.tsx";

export type LayerBytes = Record<string, { current: number; total: number }>;

/** The pull form; its progress and outcome go to `#pull-result` below it. */
export function PullForm(
  { value, error, oob }: { value?: string; error?: string; oob?: boolean },
) {
  return (
    <section class="card pull-card" id="pull-card" hx-swap-oob={oob ? "true" : undefined}>
      <h2>Pull an image</h2>
      <form
        id="pull-form"
        method="post"
        action="/images/pull"
        hx-post="/images/pull"
        hx-target="#pull-result"
        hx-swap="innerHTML"
      >
        <div class="field">
          <label for="pull-image">Image</label>
          <div class="input-row">
            <input
              type="text"
              id="pull-image"
              name="image"
              value={value ?? ""}
              placeholder="nginx:1.27 or host:5000/team/app:tag"
              required
              autocomplete="off"
              spellcheck={false}
              aria-invalid={error ? "true" : undefined}
              aria-describedby={error ? "pull-image-hint pull-image-error" : "pull-image-hint"}
            />
            <button type="submit" class="btn btn-primary" id="pull-submit">Pull</button>
          </div>
          <p class="hint" id="pull-image-hint">
            Any reference: a Docker Hub name, a registry with a port, a tag or an{" "}
            <code>@sha256:</code> digest. Without a tag, <code>latest</code>.
          </p>
          <FieldError id="pull-image-error" message={error} />
        </div>
      </form>
      <div id="pull-result"></div>
    </section>
  );
}

/** A pull that runs: its progress streams in over SSE (see routes/live-images.tsx). */
export function PullOperation(
  { opId, image, cli }: { opId: string; image: string; cli: string },
) {
  return (
    <div class="operation pull-op" id="pull-op" data-image={image}>
      <OperationStream id="pull-stream" url={`/live/images/operations/${opId}`} />
      <pre class="cli-line"><code>{cli}</code></pre>
    </div>
  );
}

/** One line per layer: its state and, while bytes move, a bar. */
function LayerList({ layers, bytes }: { layers: Record<string, string>; bytes?: LayerBytes }) {
  const entries = Object.entries(layers);
  if (entries.length === 0) return null;
  return (
    <ul class="layers pull-layers">
      {entries.map(([id, line]) => {
        const done = /^(Pull complete|Already exists|Download complete)/.test(line);
        const b = bytes?.[id];
        return (
          <li class={`layer${done ? " layer-done" : ""}`} data-layer={id}>
            <code>{id}</code> <span class="layer-line">{line}</span>
            {done
              ? <progress max={1} value={1} aria-label={`layer ${id}`}></progress>
              : b && b.total > 0 && (
                <progress
                  max={b.total}
                  value={Math.min(b.current, b.total)}
                  aria-label={`layer ${id}`}
                >
                </progress>
              )}
          </li>
        );
      })}
    </ul>
  );
}

export function PullProgressView(
  { message, layers, bytes }: {
    message: string;
    layers?: Record<string, string>;
    bytes?: LayerBytes;
  },
) {
  return (
    <div class="op-progress">
      <ProgressMessage message={message} />
      <LayerList layers={layers ?? {}} bytes={bytes} />
    </div>
  );
}

/** How a pull ended (the list shows the new image over its live stream). */
export function PullFinal(
  { event, layers }: {
    event: Extract<OperationEvent, { kind: "done" | "error" }>;
    layers?: Record<string, string>;
  },
) {
  if (event.kind === "error") {
    return (
      <div class="op-final op-error" data-outcome="error">
        <Alert kind="error">
          <strong>Not pulled:</strong> {event.message}
        </Alert>
        <LayerList layers={layers ?? {}} />
      </div>
    );
  }
  return (
    <div class="op-final op-done" data-outcome="done">
      <Alert kind="ok">
        {event.message}
        {event.location && (
          <>
            {" — "}
            <a href={event.location} id="pull-open">open the image</a>
          </>
        )}
      </Alert>
      <LayerList layers={layers ?? {}} />
    </div>
  );
}

/**
 * A stack's history beyond its page: the diff between two versions (compose file and .env),
 * the confirmation before restoring one, and the one before `down`.
 */
import type { StackVersion } from "../../services/stacks/model.ts";
import { When } from "../containers/common.tsx";
import { Alert, PageHead } from "../ui.tsx";
import { stackHref } from "./common.tsx";
import { VERSION_KIND_LABEL } from "./detail.tsx";

/** A version as a choice of the diff's two sides. */
function versionLabel(v: StackVersion): string {
  return `#${v.id} ${VERSION_KIND_LABEL[v.kind] ?? v.kind} (${
    v.at.slice(0, 16).replace("T", " ")
  })`;
}

type PatchLine = { kind: "file" | "hunk" | "added" | "removed" | "same"; text: string };

/** A unified diff's lines by what they are; the `===` and `\ No newline` lines left out. */
function patchLines(patch: string): PatchLine[] {
  return patch.split("\n").flatMap((text): PatchLine[] => {
    if (text === "" || text.startsWith("=") || text.startsWith("\\")) return [];
    if (text.startsWith("Index: ") || text.startsWith("--- ") || text.startsWith("+++ ")) {
      return text.startsWith("+++ ") || text.startsWith("Index: ") ? [] : [{
        kind: "file",
        text: text.slice(4).split("\t")[0],
      }];
    }
    if (text.startsWith("@@")) return [{ kind: "hunk", text }];
    if (text.startsWith("+")) return [{ kind: "added", text: text.slice(1) }];
    if (text.startsWith("-")) return [{ kind: "removed", text: text.slice(1) }];
    return [{ kind: "same", text: text.slice(1) }];
  });
}

/**
 * A unified diff (the stack service's, both files) as the container history shows diffs:
 * removed lines red, added green, context dimmed; each file and hunk headed.
 */
export function PatchView({ patch }: { patch: string }) {
  const lines = patchLines(patch);
  if (!lines.some((l) => l.kind === "added" || l.kind === "removed")) {
    return <p class="muted" id="diff-none">No difference.</p>;
  }
  return (
    <div class="diff-view">
      <pre class="diff" aria-label="Differences">
        {lines.map((l) => (
          <span class={`diff-line diff-${l.kind}`}>
            {l.kind === "added" ? "+ " : l.kind === "removed" ? "- " : l.kind === "same" ? "  " : ""}
            {l.text}
            {"\n"}
          </span>
        ))}
      </pre>
    </div>
  );
}

/** Two versions side by side: pick them, see the line diff of both files. */
export function StackDiffPage(
  { name, versions, from, to, patch }: {
    name: string;
    versions: StackVersion[];
    from: number;
    to: number;
    patch: string;
  },
) {
  const base = stackHref(name, "/history");
  return (
    <>
      <PageHead title={<>History of {name}</>}>
        <a class="btn btn-ghost" href={stackHref(name)}>Back to the stack</a>
      </PageHead>
      <section class="card" id="stack-diff">
        <h2>Compare two versions</h2>
        <form method="get" action={base} class="inline-form">
          <label>
            From{" "}
            <select name="from">
              {versions.map((v) => (
                <option value={String(v.id)} selected={v.id === from}>{versionLabel(v)}</option>
              ))}
            </select>
          </label>
          <label>
            To{" "}
            <select name="to">
              {versions.map((v) => (
                <option value={String(v.id)} selected={v.id === to}>{versionLabel(v)}</option>
              ))}
            </select>
          </label>
          <button type="submit" class="btn btn-small">Compare</button>
        </form>
        <PatchView patch={patch} />
      </section>
    </>
  );
}

/** Before a restore: what the files go back to, then a redeploy of them. */
export function StackRestoreConfirm(
  { name, version, patch }: { name: string; version: StackVersion; patch: string },
) {
  const url = stackHref(name, `/history/${version.id}/restore`);
  return (
    <>
      <PageHead title={<>Restore {name} to version #{version.id}</>} />
      <section class="card confirm" id="stack-restore">
        <p>
          The compose file and .env of the {(VERSION_KIND_LABEL[version.kind] ?? version.kind)
            .toLowerCase()} of <When iso={version.at} />{" "}
          replace the current ones, and the stack is deployed with them: compose recreates the
          services whose config differs. The current files stay in the history.
        </p>
        <h2>What it undoes</h2>
        <p class="hint">
          The changes from version #{version.id} to the files now: restoring takes them back.
        </p>
        <PatchView patch={patch} />
        <form
          method="post"
          action={url}
          hx-post={url}
          hx-target="#stack-op"
          hx-swap="innerHTML show:top"
        >
          <div class="button-row">
            <button type="submit" class="btn btn-primary" id="stack-restore-submit">
              Restore and deploy
            </button>
            <a class="btn btn-ghost" href={stackHref(name)}>Cancel</a>
          </div>
        </form>
      </section>
      <div id="stack-op"></div>
    </>
  );
}

/** Before `down`: what goes, what stays, and the volumes choice with its warning. */
export function StackDownConfirm(
  { name, cli }: { name: string; cli: { keep: string; wipe: string } },
) {
  const url = stackHref(name, "/down");
  return (
    <>
      <PageHead title={<>Down {name}?</>} />
      <section class="card confirm" id="stack-down">
        <p>
          Stops and removes the stack's containers and its networks, then removes its folder (the
          compose file and .env; their versions stay in the history). Images are kept.
        </p>
        <form
          method="post"
          action={url}
          hx-post={url}
          hx-target="#stack-op"
          hx-swap="innerHTML show:top"
          class="stack"
        >
          <label class="check">
            <input type="checkbox" name="volumes" value="on" id="stack-down-volumes" />
            <span>
              Also remove its named volumes (<code>-v</code>)
            </span>
          </label>
          <Alert kind="error">
            <strong>Removing the volumes deletes their data for good</strong>: databases, uploads,
            settings, every named volume its compose file declares. It cannot be undone.
          </Alert>
          <div class="button-row">
            <button type="submit" class="btn btn-danger-solid" id="stack-down-submit">
              Down {name}
            </button>
            <a class="btn btn-ghost" href={stackHref(name)}>Cancel</a>
          </div>
        </form>
        <pre class="cli-line"><code>{cli.keep}</code></pre>
        <p class="hint">With the volumes:</p>
        <pre class="cli-line"><code>{cli.wipe}</code></pre>
      </section>
      <div id="stack-op"></div>
    </>
  );
}

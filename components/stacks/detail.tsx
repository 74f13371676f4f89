/**
 * A stack's page: its status and actions (each streams compose's output and shows the command),
 * its services with their containers, tags, the compose file and .env, the merged logs of its
 * containers, and its history.
 */
import type { Child } from "hono/jsx";
import type {
  StackAction,
  StackDetail,
  StackServiceInfo,
  StackTag,
  StackVersion,
} from "../../services/stacks/model.ts";
import { containerHref, HealthBadge, shortImage, StateBadge, When } from "../containers/common.tsx";
import { DataTable } from "../table.tsx";
import { TagDatalist } from "../tags.tsx";
import { StackUpdateCard } from "./update.tsx";
import { Alert, FieldError, PageHead } from "../ui.tsx";
import {
  ExternalBadge,
  runningCount,
  stackHref,
  StackPorts,
  StackStatusBadge,
  StackTags,
} from "./common.tsx";

/**
 * The commands behind the page's buttons, as a user would type them in `folder` (the stack's;
 * null for an external project, whose commands name it with `-p`).
 */
export type StackCommands = Record<StackAction | "redeploy" | "down" | "update", string> & {
  folder: string | null;
};

const ACTIONS: { action: StackAction | "redeploy"; label: string; hint: string }[] = [
  { action: "start", label: "Start", hint: "Starts the stopped containers" },
  { action: "stop", label: "Stop", hint: "Stops the containers and keeps them" },
  { action: "restart", label: "Restart", hint: "Restarts every container" },
  { action: "pull", label: "Pull", hint: "Pulls the images; recreates nothing" },
  {
    action: "redeploy",
    label: "Redeploy",
    hint: "Applies the files again: compose recreates what changed",
  },
];

/** The buttons; each one's answer (an operation card) goes into #stack-op. */
function ActionsCard({ name, commands }: { name: string; commands: StackCommands }) {
  return (
    <section class="card stack-actions" id="stack-actions">
      <h2>Actions</h2>
      {commands.folder && (
        <p class="hint">
          Each one is the command below it, run in{" "}
          <code>{commands.folder}</code>; its output streams in as it runs.
        </p>
      )}
      <div class="lifecycle">
        {ACTIONS.map((a) => {
          const url = stackHref(name, `/${a.action}`);
          return (
            <div class="action">
              <form method="post" action={url} class="inline">
                <button
                  type="submit"
                  class="btn btn-small"
                  id={`stack-action-${a.action}`}
                  title={a.hint}
                  hx-post={url}
                  hx-target="#stack-op"
                  hx-swap="innerHTML show:top"
                >
                  {a.label}
                </button>
              </form>
              <code class="cli-mini">{commands[a.action]}</code>
            </div>
          );
        })}
        <div class="action">
          <a
            class="btn btn-small btn-danger"
            href={stackHref(name, "/down")}
            id="stack-action-down"
          >
            Down…
          </a>
          <code class="cli-mini">{commands.down}</code>
        </div>
      </div>
    </section>
  );
}

function ServiceRows({ service, host }: { service: StackServiceInfo; host: string }) {
  if (service.containers.length === 0) {
    return (
      <tr data-service={service.name}>
        <td>
          <strong>{service.name}</strong>
        </td>
        <td>
          <StackStatusBadge status={service.state} />
        </td>
        <td colspan={2} class="muted">No container.</td>
      </tr>
    );
  }
  return (
    <>
      {service.containers.map((c, i) => (
        <tr data-service={service.name} data-container={c.name}>
          <td>{i === 0 && <strong>{service.name}</strong>}</td>
          <td>
            <a href={containerHref(c.name)} class="container-link">{c.name}</a>
            <p class="hint stack-image" title={c.image}>{shortImage(c.image)}</p>
            {c.ports.length > 0 && (
              <p class="stack-ports">
                <StackPorts ports={c.ports} host={host} />
              </p>
            )}
          </td>
          <td>
            <span class="badges">
              <StateBadge state={c.state} />
              <HealthBadge health={c.health} />
            </span>
          </td>
        </tr>
      ))}
    </>
  );
}

/**
 * Status and services: the part an operation's end replaces (out of band), so the page shows
 * what compose left without a reload.
 */
export function StackOverview(
  { stack, host, oob }: { stack: StackDetail; host: string; oob?: boolean },
) {
  const { running, total } = runningCount(stack.services);
  const names = stack.services.flatMap((s) => s.containers.map((c) => c.name));
  const logIds = names.slice(0, 20).join(",");
  return (
    <section
      class="card stack-overview"
      id="stack-overview"
      data-status={stack.status}
      hx-swap-oob={oob ? "true" : undefined}
    >
      <div class="overview-head">
        <h2>Services</h2>
        <p class="state-line">
          <StackStatusBadge status={stack.status} />
          <span class="muted" id="stack-running">{running} of {total} containers running</span>
        </p>
      </div>
      {stack.services.length === 0 ? <p class="muted">No services.</p> : (
        <DataTable
          columns={["Service", "Container", "State"]}
          class="stack-services"
          id="stack-services"
        >
          {stack.services.map((s) => <ServiceRows service={s} host={host} />)}
        </DataTable>
      )}
      {names.length > 0 && (
        <p class="stack-logs-link">
          <a class="btn btn-small" href={`/containers/logs?ids=${logIds}`} id="stack-logs">
            Logs of all its containers
          </a>{" "}
          <span class="hint">
            merged, live; <code>docker compose logs -f</code> in its folder does the same
          </span>
        </p>
      )}
    </section>
  );
}

/** The stack's tags, edited like a container's; its containers carry them. */
export function StackTagsPanel(
  { name, tags, tagNames, error, saved, value }: {
    name: string;
    tags: StackTag[];
    tagNames: string[];
    error?: string;
    saved?: boolean;
    value?: string;
  },
) {
  const url = stackHref(name, "/tags");
  return (
    <section class="card" id="stack-tags-panel">
      <h2>Tags</h2>
      <p class="tags-now">
        {tags.length > 0 ? <StackTags tags={tags} /> : <span class="muted">No tags.</span>}
        {saved && <span class="saved">Saved.</span>}
      </p>
      <form
        method="post"
        action={url}
        hx-post={url}
        hx-target="#stack-tags-panel"
        hx-swap="outerHTML"
        class="row"
      >
        <div class="field grow">
          <label for="stack-tags-input">Tags, space or comma separated</label>
          <input
            type="text"
            id="stack-tags-input"
            name="tags"
            value={value ?? tags.map((t) => t.name).join(" ")}
            list="stack-tags-options"
            maxlength={512}
            autocomplete="off"
            aria-invalid={error ? "true" : undefined}
            aria-describedby={error ? "stack-tags-error" : undefined}
          />
          <FieldError id="stack-tags-error" message={error} />
        </div>
        <button type="submit" class="btn">Save tags</button>
      </form>
      <TagDatalist id="stack-tags-options" names={tagNames} />
      <p class="hint">
        Its containers carry them too: the containers list shows them on each of its containers, and
        its tag filter finds them.
      </p>
    </section>
  );
}

/** The compose file and .env as they are on disk; .env folded (it often holds secrets). */
function FilesCard({ stack }: { stack: StackDetail }) {
  return (
    <section class="card stack-files" id="stack-files">
      <div class="overview-head">
        <h2>Files</h2>
        {stack.managed && (
          <a class="btn btn-small" href={stackHref(stack.name, "/edit")} id="stack-edit">
            Edit
          </a>
        )}
      </div>
      {stack.configFile && (
        <p class="hint">
          <code>{stack.configFile}</code>
        </p>
      )}
      <pre
        class="code-view"
        id="stack-compose"
        aria-label="compose.yaml"
      ><code>{stack.compose}</code></pre>
      <details class="env-file" id="stack-env">
        <summary>
          .env ({stack.env.trim() === "" ? "empty" : `${lineCount(stack.env)} lines`})
        </summary>
        <pre class="code-view"><code>{stack.env}</code></pre>
      </details>
    </section>
  );
}

function lineCount(text: string): number {
  return text.replace(/\n$/, "").split("\n").length;
}

export const VERSION_KIND_LABEL: Record<StackVersion["kind"], string> = {
  deploy: "Deploy",
  update: "Update",
  restore: "Restore",
  rollback: "Rollback",
  adopt: "Adopted",
};

/** Every deploy, newest first, with its outcome; compare with the one before, or restore. */
export function HistoryCard(
  { name, versions, oob }: { name: string; versions: StackVersion[]; oob?: boolean },
) {
  return (
    <section
      class="card stack-history"
      id="stack-history"
      hx-swap-oob={oob ? "true" : undefined}
    >
      <h2>History</h2>
      {versions.length === 0
        ? (
          <p class="muted" id="stack-history-empty">
            No deploys yet. Each deploy keeps the compose file and .env it used here.
          </p>
        )
        : (
          <DataTable
            columns={[{ label: "#", class: "hide-sm" }, "When", "What", "Outcome", {
              srOnly: "Actions",
            }]}
            class="history-table stack-versions"
          >
            {versions.map((v, i) => {
              const before = versions[i + 1];
              return (
                <tr id={`version-${v.id}`} data-version={String(v.id)}>
                  <td class="hide-sm">{v.id}</td>
                  <td>
                    <When iso={v.at} />
                  </td>
                  <td>
                    {VERSION_KIND_LABEL[v.kind] ?? v.kind}
                    <pre class="cli-mini hide-sm"><code>{v.cli}</code></pre>
                  </td>
                  <td>
                    <span class={`badge outcome-${v.outcome}`}>{v.outcome}</span>
                    {v.reason && <p class="hint">{v.reason}</p>}
                  </td>
                  <td class="col-actions">
                    <div class="row-actions">
                      {before && (
                        <a
                          class="btn btn-small"
                          href={stackHref(name, `/history?from=${before.id}&to=${v.id}`)}
                        >
                          Changes
                        </a>
                      )}
                      {i > 0 && (
                        <a class="btn btn-small" href={stackHref(name, `/history/${v.id}/restore`)}>
                          Restore…
                        </a>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
    </section>
  );
}

/** An external stack: what it is and the way to bring it in. */
function AdoptCard({ stack }: { stack: StackDetail }) {
  return (
    <section class="card" id="stack-adopt">
      <h2>Started elsewhere</h2>
      <p>
        This compose project runs on this host, but its files are not in DockerMate's stacks
        folder{stack.configFile
          ? (
            <>
              : they are at <code>{stack.configFile}</code>
            </>
          )
          : ""}. Adopt copies them into a folder of its own there, so DockerMate can edit, deploy
        and keep a history; the running containers are not touched.
      </p>
      {stack.configFile
        ? (
          <form method="post" action={stackHref(stack.name, "/adopt")} class="inline">
            <button type="submit" class="btn btn-primary" id="stack-adopt-button">Adopt</button>
          </form>
        )
        : (
          <Alert kind="info">
            Its containers do not say where its compose file is, so it cannot be adopted.
          </Alert>
        )}
    </section>
  );
}

export function StackPage(
  { stack, host, commands, versions, tagNames, opCard, notice }: {
    stack: StackDetail;
    host: string;
    commands: StackCommands;
    versions: StackVersion[];
    tagNames: string[];
    /** An operation started by the request that led here (a deploy), streaming. */
    opCard?: Child;
    notice?: Child;
  },
) {
  return (
    <>
      <PageHead
        title={
          <>
            {stack.name} <ExternalBadge stack={stack} />
          </>
        }
        titleClass="stack-title"
      >
        <a class="btn btn-ghost" href="/stacks">All stacks</a>
        {stack.managed && <a class="btn" href={stackHref(stack.name, "/edit")}>Edit</a>}
        {stack.managed && (
          <a class="btn btn-ghost" href={`/templates/new?stack=${encodeURIComponent(stack.name)}`}>
            Save as template
          </a>
        )}
      </PageHead>
      {notice}
      {stack.updateAvailable && (
        <Alert kind="info">
          A newer image is in the registry for one of its services: {stack.managed
            ? "Update below pulls it and recreates that service, health-gated."
            : "adopt the stack to update it here."}
        </Alert>
      )}
      {stack.managed
        ? <ActionsCard name={stack.name} commands={commands} />
        : <AdoptCard stack={stack} />}
      {stack.managed && (
        <StackUpdateCard
          name={stack.name}
          cli={commands.update}
          updateAvailable={stack.updateAvailable}
        />
      )}
      <div id="stack-op">{opCard}</div>
      <StackOverview stack={stack} host={host} />
      {stack.managed && (
        <StackTagsPanel
          name={stack.name}
          tags={stack.tags}
          tagNames={tagNames}
        />
      )}
      <FilesCard stack={stack} />
      {stack.managed && <HistoryCard name={stack.name} versions={versions} />}
    </>
  );
}

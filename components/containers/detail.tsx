import type { ContainerDetail, LifecycleAction } from "../../services/containers/service.ts";
import type { Verdict } from "../../services/containers/start-watch.ts";
import { type CliAction, dockerCli } from "../../services/config/lifecycle-cli.ts";
import { type TagColors, TagDatalist, TagList } from "../tags.tsx";
import { Alert, FieldError } from "../ui.tsx";
import { HealthBadge, PortList, StateBadge, uptimeText, When } from "./common.tsx";
import { UpdatesCardSlot } from "./updates.tsx";

type ActionSpec = {
  action: LifecycleAction | "remove";
  label: string;
  /** Destructive actions go through a confirmation page first. */
  confirm?: boolean;
  when: (state: string) => boolean;
};

const ACTIONS: ActionSpec[] = [
  { action: "start", label: "Start", when: (s) => s === "exited" || s === "created" },
  {
    action: "stop",
    label: "Stop",
    when: (s) => s === "running" || s === "paused" || s === "restarting",
  },
  { action: "restart", label: "Restart", when: (s) => s !== "paused" && s !== "dead" },
  { action: "pause", label: "Pause", when: (s) => s === "running" },
  { action: "unpause", label: "Unpause", when: (s) => s === "paused" },
  {
    action: "kill",
    label: "Kill…",
    confirm: true,
    when: (s) => s === "running" || s === "restarting",
  },
  { action: "remove", label: "Remove…", confirm: true, when: () => true },
];

function cliOf(action: LifecycleAction | "remove", name: string): string {
  return dockerCli((action === "remove" ? "rm" : action) as CliAction, [name]);
}

/** Every lifecycle action with the CLI that does the same; the ones that do not apply are off. */
function LifecycleButtons({ id, name, state }: { id: string; name: string; state: string }) {
  return (
    <div class="lifecycle">
      {ACTIONS.map((a) => {
        const enabled = a.when(state);
        const url = `/containers/${id}/${a.action}`;
        const cls = `btn btn-small${a.confirm ? " btn-danger" : ""}`;
        return (
          <div class="action">
            {a.confirm && enabled
              ? <a class={cls} href={url} id={`action-${a.action}`}>{a.label}</a>
              : (
                <form method="post" action={url} class="inline">
                  <button
                    type="submit"
                    class={cls}
                    id={`action-${a.action}`}
                    disabled={!enabled}
                    hx-post={url}
                    hx-target={`#state-${id}`}
                    hx-swap="outerMorph"
                  >
                    {a.label}
                  </button>
                </form>
              )}
            <code class="cli-mini">{cliOf(a.action, name)}</code>
          </div>
        );
      })}
    </div>
  );
}

/**
 * The live part of the page: state, health, exit, restarts, and the buttons that fit it.
 * Replaced as a whole by action responses and by the page's SSE stream.
 */
export function StatePanel(
  { d, oob }: { d: ContainerDetail; oob?: boolean },
) {
  const s = d.inspect.State;
  const probe = s.Health?.Log?.at(-1);
  const running = s.Status === "running";
  return (
    <section
      id={`state-${d.id}`}
      class="card state-panel"
      hx-swap-oob={oob ? "outerMorph" : undefined}
      data-state={s.Status}
    >
      <h2>State</h2>
      <p class="state-line">
        <StateBadge state={s.Status} />
        <HealthBadge health={d.health} />
        <span class="muted">{uptimeText(d.status)}</span>
      </p>
      <dl class="facts">
        {s.Health && (
          <>
            <dt>Health</dt>
            <dd>
              {s.Health.Status}
              {s.Health.FailingStreak > 0 && ` (${s.Health.FailingStreak} failing in a row)`}
            </dd>
            {probe && (
              <>
                <dt>Last probe</dt>
                <dd>
                  exit {probe.ExitCode}, <When iso={probe.Start} />
                  {probe.Output.trim() && <pre class="probe">{probe.Output.trim()}</pre>}
                </dd>
              </>
            )}
          </>
        )}
        <dt>Restarts</dt>
        <dd>{d.inspect.RestartCount}</dd>
        <dt>OOM killed</dt>
        <dd>{s.OOMKilled ? <strong class="text-danger">yes</strong> : "no"}</dd>
        {!running && (
          <>
            <dt>Exit code</dt>
            <dd>{s.ExitCode}</dd>
          </>
        )}
        {s.Error && (
          <>
            <dt>Error</dt>
            <dd class="text-danger">{s.Error}</dd>
          </>
        )}
        <dt>Started</dt>
        <dd>
          <When iso={s.StartedAt} />
        </dd>
        <dt>Finished</dt>
        <dd>
          <When iso={s.FinishedAt} />
        </dd>
      </dl>
      <LifecycleButtons id={d.id} name={d.name} state={s.Status} />
    </section>
  );
}

/** The state panel once the container is gone (removed elsewhere while the page was open). */
export function GoneStatePanel({ id, oob }: { id: string; oob?: boolean }) {
  return (
    <section
      id={`state-${id}`}
      class="card state-panel"
      hx-swap-oob={oob ? "true" : undefined}
      data-state="removed"
    >
      <h2>State</h2>
      <Alert kind="info">
        This container was removed. <a href="/containers/deleted">Deleted containers</a>{" "}
        keeps its config for a while; <a href="/containers">all containers</a>.
      </Alert>
    </section>
  );
}

/** How the first seconds after creation went (FEAT: post-create verdict). */
export function VerdictPanel(
  { verdict, managed, oob }: { verdict: Verdict | null; managed: boolean; oob?: boolean },
) {
  return (
    <section
      id="verdict"
      class={`card verdict${verdict ? (verdict.ok ? " verdict-ok" : " verdict-bad") : ""}`}
      data-status={verdict?.status ?? "none"}
      hx-swap-oob={oob ? "true" : undefined}
    >
      <h2>After start</h2>
      {verdict
        ? (
          <>
            <p class="verdict-line">
              <span class={`state verdict-badge verdict-${verdict.status}`}>{verdict.status}</span>
              <span class="muted">
                checked <When iso={verdict.checkedAt} />
              </span>
            </p>
            {verdict.summary && <p class="verdict-summary">It {verdict.summary}.</p>}
            {verdict.exitCode !== null && (
              <p>
                Exit code <strong>{verdict.exitCode}</strong>
              </p>
            )}
            {verdict.error && <p class="text-danger">{verdict.error}</p>}
            {verdict.hint && <p class="hint">{verdict.hint}</p>}
            {verdict.logs.length > 0 && (
              <>
                <h3>Last log lines</h3>
                <pre class="logs">{verdict.logs.join("\n")}</pre>
              </>
            )}
          </>
        )
        : (
          <p class="muted">
            {managed
              ? "No verdict recorded. DockerMate watches the first seconds of the containers it creates; this panel updates by itself when a watch ends."
              : "Not created by DockerMate, so its start was not watched."}
          </p>
        )}
    </section>
  );
}

export function TagsPanel(
  { id, tags, colors, tagNames, error, saved, value }: {
    id: string;
    tags: string[];
    colors: TagColors;
    tagNames: string[];
    error?: string;
    saved?: boolean;
    value?: string;
  },
) {
  return (
    <section class="card" id="tags-panel">
      <h2>Tags</h2>
      <p class="tags-now">
        {tags.length > 0
          ? <TagList tags={tags} colors={colors} />
          : <span class="muted">No tags.</span>}
        {saved && <span class="saved">Saved.</span>}
      </p>
      <form
        method="post"
        action={`/containers/${id}/tags`}
        hx-post={`/containers/${id}/tags`}
        hx-target="#tags-panel"
        hx-swap="outerHTML"
        class="row"
      >
        <div class="field grow">
          <label for="tags-input">Tags, space or comma separated</label>
          <input
            type="text"
            id="tags-input"
            name="tags"
            value={value ?? tags.join(" ")}
            list="tags-input-options"
            maxlength={512}
            autocomplete="off"
            aria-invalid={error ? "true" : undefined}
            aria-describedby={error ? "tags-input-error" : undefined}
          />
          <FieldError id="tags-input-error" message={error} />
        </div>
        <button type="submit" class="btn">Save tags</button>
      </form>
      <TagDatalist id="tags-input-options" names={tagNames} />
      <p class="hint">
        Tags are DockerMate's own: kept in its database, written into the{" "}
        <code>com.dockermate.tags</code> label at the next recreate.
      </p>
    </section>
  );
}

const SECRET_NAME = /PASS|SECRET|TOKEN|KEY|PRIVATE|CREDENTIAL/i;

/** Environment variables; values whose names look secret are masked until revealed. */
function EnvTable({ env }: { env: string[] }) {
  if (env.length === 0) return <p class="muted">None.</p>;
  return (
    <div class="table-wrap">
      <table class="table kv">
        <tbody>
          {env.map((line) => {
            const eq = line.indexOf("=");
            const name = eq < 0 ? line : line.slice(0, eq);
            const value = eq < 0 ? "" : line.slice(eq + 1);
            return (
              <tr>
                <th scope="row">
                  <code>{name}</code>
                </th>
                <td>
                  {SECRET_NAME.test(name) && value
                    ? (
                      <details class="secret">
                        <summary>
                          <span class="mask" aria-label="hidden value">••••••</span>
                          <span class="reveal">reveal</span>
                          <span class="conceal">hide</span>
                        </summary>
                        <code class="secret-value">{value}</code>
                      </details>
                    )
                    : <code class="env-value">{value}</code>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function LabelsTable({ labels }: { labels: Record<string, string> }) {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return <p class="muted">None.</p>;
  return (
    <div class="table-wrap">
      <table class="table kv">
        <tbody>
          {keys.map((k) => (
            <tr>
              <th scope="row">
                <code>{k}</code>
              </th>
              <td>
                <code class="env-value">{labels[k]}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export type DetailProps = {
  d: ContainerDetail;
  host: string;
  colors: TagColors;
  tagNames: string[];
};

export function DetailPage({ d, host, colors, tagNames }: DetailProps) {
  const cfg = d.inspect.Config;
  const restart = d.inspect.HostConfig.RestartPolicy;
  const networks = Object.entries(d.inspect.NetworkSettings.Networks ?? {});
  const name = d.name;
  const cli = [
    `docker inspect ${name}`,
    `docker logs --tail 100 --follow ${name}`,
    `docker exec -it ${name} sh`,
    ...ACTIONS.map((a) => cliOf(a.action, name)),
  ].join("\n");
  return (
    <>
      <div class="page-head">
        <h1 class="detail-title">
          {name}
          {!d.managed && <span class="badge badge-external">external</span>}
        </h1>
        <div class="page-actions">
          <a class="btn" id="detail-logs" href={`/containers/${encodeURIComponent(name)}/logs`}>
            Logs
          </a>
          <a class="btn" id="detail-edit" href={`/containers/${encodeURIComponent(name)}/edit`}>
            Edit…
          </a>
          <a
            class="btn"
            id="detail-history"
            href={`/containers/${encodeURIComponent(name)}/history`}
          >
            History
          </a>
          {!d.managed && (
            <a
              class="btn"
              id="detail-adopt"
              href={`/containers/${encodeURIComponent(name)}/adopt`}
            >
              Adopt…
            </a>
          )}
          <a class="btn btn-ghost" href="/containers">All containers</a>
        </div>
      </div>
      <div
        id="detail-live"
        hx-sse:connect={`/live/containers/${d.id}`}
        hx-swap="none"
      >
      </div>
      <div class="grid-2 detail-top">
        <StatePanel d={d} />
        <VerdictPanel verdict={d.verdict} managed={d.managed} />
      </div>
      <UpdatesCardSlot name={name} />
      <section class="card">
        <h2>Configuration</h2>
        <dl class="facts">
          <dt>Image</dt>
          <dd>
            <code>{cfg.Image}</code>
          </dd>
          <dt>Id</dt>
          <dd>
            <code title={d.id}>{d.id.slice(0, 12)}</code>
          </dd>
          <dt>Created</dt>
          <dd>
            <When iso={d.inspect.Created} />
          </dd>
          {cfg.Entrypoint && cfg.Entrypoint.length > 0 && (
            <>
              <dt>Entrypoint</dt>
              <dd>
                <code>{cfg.Entrypoint.join(" ")}</code>
              </dd>
            </>
          )}
          {cfg.Cmd && cfg.Cmd.length > 0 && (
            <>
              <dt>Command</dt>
              <dd>
                <code>{cfg.Cmd.join(" ")}</code>
              </dd>
            </>
          )}
          <dt>Restart policy</dt>
          <dd>
            {restart?.Name || "no"}
            {restart?.Name === "on-failure" && restart.MaximumRetryCount
              ? `:${restart.MaximumRetryCount}`
              : ""}
          </dd>
          {d.composeProject && (
            <>
              <dt>Compose project</dt>
              <dd>{d.composeProject}</dd>
            </>
          )}
          <dt>Ports</dt>
          <dd>
            <PortList ports={d.ports} host={host} />
          </dd>
          <dt>Networks</dt>
          <dd>
            {networks.length === 0 ? <span class="muted">none</span> : (
              <ul class="plain">
                {networks.map(([net, n]) => (
                  <li>
                    {net}
                    {n.IPAddress && (
                      <>
                        {": "}
                        <code>{n.IPAddress}</code>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>Mounts</dt>
          <dd>
            {d.inspect.Mounts.length === 0 ? <span class="muted">none</span> : (
              <ul class="plain">
                {d.inspect.Mounts.map((m) => (
                  <li>
                    <code>{m.Type === "volume" ? m.Name ?? m.Source : m.Source}</code> →{" "}
                    <code>{m.Destination}</code>
                    <span class="muted">{m.Type}{m.RW ? "" : ", read-only"}</span>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
      </section>
      <div class="grid-2">
        <section class="card" id="env">
          <h2>Environment</h2>
          <EnvTable env={cfg.Env ?? []} />
        </section>
        <section class="card" id="labels">
          <h2>Labels</h2>
          <LabelsTable labels={cfg.Labels ?? {}} />
        </section>
      </div>
      <TagsPanel id={d.id} tags={d.tags} colors={colors} tagNames={tagNames} />
      <section class="card">
        <h2>Docker CLI</h2>
        <details class="cli" open>
          <summary>The same from a shell</summary>
          <pre><code>{cli}</code></pre>
        </details>
      </section>
    </>
  );
}

/** The server-rendered confirmation before removing a container. */
export function RemoveConfirm(
  { d, retentionDays }: { d: ContainerDetail; retentionDays: number },
) {
  const running = d.inspect.State.Status === "running" ||
    d.inspect.State.Status === "restarting" || d.inspect.State.Status === "paused";
  const url = `/containers/${d.id}/remove`;
  return (
    <section class="card confirm" id="confirm-remove">
      <h1>Remove {d.name}?</h1>
      <p>
        The container is removed from Docker. Its config, tags and last 200 log lines are kept in
        {" "}
        <a href="/containers/deleted">Deleted</a> for {retentionDays} days; restore recreates it.
      </p>
      {running && (
        <Alert kind="info">
          It is {d.inspect.State.Status}: removing it needs <strong>force</strong>{" "}
          (Docker stops it first).
        </Alert>
      )}
      <form method="post" action={url} class="stack">
        <label class="check">
          <input type="checkbox" name="force" value="on" checked={running} />
          <span>
            Force: stop it if it runs (<code>-f</code>)
          </span>
        </label>
        <label class="check">
          <input type="checkbox" name="volumes" value="on" />
          <span>
            Also remove its anonymous volumes (<code>-v</code>); their data cannot be restored
          </span>
        </label>
        <div class="button-row">
          <button type="submit" class="btn btn-danger-solid" id="confirm-remove-button">
            Remove {d.name}
          </button>
          <a class="btn btn-ghost" href={`/containers/${encodeURIComponent(d.name)}`}>Cancel</a>
        </div>
      </form>
      <pre class="cli-line"><code>{dockerCli("rm", [d.name], { force: running })}</code></pre>
    </section>
  );
}

export function KillConfirm({ d }: { d: ContainerDetail }) {
  const url = `/containers/${d.id}/kill`;
  return (
    <section class="card confirm" id="confirm-kill">
      <h1>Kill {d.name}?</h1>
      <p>
        Sends SIGKILL: the process stops at once, without a chance to finish writes or close
        connections. <strong>Stop</strong>{" "}
        is the gentle way (SIGTERM, then SIGKILL after a timeout).
      </p>
      <form method="post" action={url}>
        <div class="button-row">
          <button type="submit" class="btn btn-danger-solid" id="confirm-kill-button">
            Kill {d.name}
          </button>
          <a class="btn btn-ghost" href={`/containers/${encodeURIComponent(d.name)}`}>Cancel</a>
        </div>
      </form>
      <pre class="cli-line"><code>{dockerCli("kill", [d.name])}</code></pre>
    </section>
  );
}

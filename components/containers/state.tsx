/**
 * The live panels of a container's page (state with its lifecycle buttons, the post-create
 * verdict), which actions and the page's event stream replace.
 */
import type { ContainerDetail, LifecycleAction } from "../../services/containers/service.ts";
import type { Verdict } from "../../services/containers/start-watch.ts";
import { type CliAction, dockerCli } from "../../services/config/lifecycle-cli.ts";
import { Alert } from "../ui.tsx";
import { HealthBadge, StateBadge, uptimeText, When } from "./common.tsx";

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

/** Every lifecycle action's CLI, one a line, for the page's "Docker CLI" card. */
export function lifecycleCli(name: string): string[] {
  return ACTIONS.map((a) => cliOf(a.action, name));
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

/** The confirmations before removing or killing a container (pages of their own). */
import type { ContainerDetail } from "../../services/containers/service.ts";
import { dockerCli } from "../../services/config/lifecycle-cli.ts";
import { Alert } from "../ui.tsx";
import { containerHref } from "./common.tsx";

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
          <a class="btn btn-ghost" href={containerHref(d.name)}>Cancel</a>
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
          <a class="btn btn-ghost" href={containerHref(d.name)}>Cancel</a>
        </div>
      </form>
      <pre class="cli-line"><code>{dockerCli("kill", [d.name])}</code></pre>
    </section>
  );
}

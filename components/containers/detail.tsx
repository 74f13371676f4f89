import type { Child } from "hono/jsx";
import type { ContainerDetail } from "../../services/containers/service.ts";
import { type TagColors, TagDatalist, TagList } from "../tags.tsx";
import { FieldError, PageHead } from "../ui.tsx";
import { containerHref, PortList, When } from "./common.tsx";
import { lifecycleCli, StatePanel, VerdictPanel } from "./state.tsx";
import { UpdatesCardSlot } from "./updates.tsx";
import { MonitorSlot } from "../stats/monitor.tsx";

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

/** Names and their values, a row each; "None." when there are none. */
function KeyValueTable({ rows }: { rows: [string, Child][] }) {
  if (rows.length === 0) return <p class="muted">None.</p>;
  return (
    <div class="table-wrap">
      <table class="table kv">
        <tbody>
          {rows.map(([key, value]) => (
            <tr>
              <th scope="row">
                <code>{key}</code>
              </th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A value whose name looks secret: masked until revealed. */
function SecretValue({ value }: { value: string }) {
  return (
    <details class="secret">
      <summary>
        <span class="mask" aria-label="hidden value">••••••</span>
        <span class="reveal">reveal</span>
        <span class="conceal">hide</span>
      </summary>
      <code class="secret-value">{value}</code>
    </details>
  );
}

/** Environment variables; values whose names look secret are masked until revealed. */
function EnvTable({ env }: { env: string[] }) {
  const rows = env.map((line): [string, Child] => {
    const eq = line.indexOf("=");
    const name = eq < 0 ? line : line.slice(0, eq);
    const value = eq < 0 ? "" : line.slice(eq + 1);
    return [
      name,
      SECRET_NAME.test(name) && value
        ? <SecretValue value={value} />
        : <code class="env-value">{value}</code>,
    ];
  });
  return <KeyValueTable rows={rows} />;
}

function LabelsTable({ labels }: { labels: Record<string, string> }) {
  const rows = Object.keys(labels).sort().map((k): [string, Child] => [
    k,
    <code class="env-value">{labels[k]}</code>,
  ]);
  return <KeyValueTable rows={rows} />;
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
    ...lifecycleCli(name),
  ].join("\n");
  return (
    <>
      <PageHead
        title={<>{name}{!d.managed && <span class="badge badge-external">external</span>}</>}
        titleClass="detail-title"
      >
        <a class="btn" id="detail-logs" href={containerHref(name, "/logs")}>
          Logs
        </a>
        <a class="btn" id="detail-console" href={containerHref(name, "/console")}>
          Console
        </a>
        <a class="btn" id="detail-edit" href={containerHref(name, "/edit")}>
          Edit…
        </a>
        <a
          class="btn"
          id="detail-history"
          href={containerHref(name, "/history")}
        >
          History
        </a>
        {!d.managed && (
          <a
            class="btn"
            id="detail-adopt"
            href={containerHref(name, "/adopt")}
          >
            Adopt…
          </a>
        )}
        <a class="btn btn-ghost" href="/containers">All containers</a>
      </PageHead>
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
      <MonitorSlot id={d.id} />
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

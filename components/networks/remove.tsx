import { disconnectCli, removeCli } from "../../services/networks/cli.ts";
import type { NetworkDetail } from "../../services/networks/model.ts";
import { containerHref, StateBadge } from "../containers/common.tsx";
import { Alert, PageHead } from "../ui.tsx";
import { networkHref } from "./common.tsx";

/**
 * Removing a network: the confirmation, or the refusal (built in, or containers on it, each
 * with the command that takes it off).
 */
export function RemoveNetworkPage({ d, refused }: { d: NetworkDetail; refused?: string }) {
  const blocked = refused ??
    (d.builtin
      ? `${d.name} is one of Docker's built-in networks (bridge, host, none): it cannot be removed`
      : undefined);
  const users = d.containers;
  return (
    <>
      <PageHead title={`Remove network ${d.name}`} />
      <section class="card remove-network" id="remove-card">
        {blocked || users.length > 0
          ? (
            <>
              <Alert kind="error">
                <span id="remove-refused">
                  {blocked ??
                    `${d.name} is in use by ${
                      users.map((u) => u.name).join(", ")
                    }: disconnect or remove them first`}
                </span>
              </Alert>
              {users.length > 0 && (
                <>
                  <ul class="plan-list">
                    {users.map((u) => (
                      <li>
                        <a href={containerHref(u.name)}>{u.name}</a> <StateBadge state={u.state} />
                      </li>
                    ))}
                  </ul>
                  <pre class="cli-line"><code>{users.map((u) => disconnectCli(d.name, u.name)).join("\n")}</code></pre>
                </>
              )}
              <p>
                <a href={networkHref(d.name)}>Back to {d.name}</a>
              </p>
            </>
          )
          : (
            <form method="post" action={networkHref(d.name, "/remove")}>
              <p>
                No container is on <strong>{d.name}</strong>, running or stopped. Remove it?
              </p>
              <pre class="cli-line"><code>{removeCli([d.name])}</code></pre>
              <div class="button-row">
                <button type="submit" class="btn btn-danger-solid" id="remove-confirm">
                  Remove network
                </button>
                <a class="btn btn-ghost" href={networkHref(d.name)}>Cancel</a>
              </div>
            </form>
          )}
      </section>
    </>
  );
}

/** The Stacks page: every stack with its status, and the compose projects started elsewhere. */
import type { ComposeStatus, StackSummary } from "../../services/stacks/model.ts";
import { DataTable } from "../table.tsx";
import { PageHead } from "../ui.tsx";
import { ComposeMissing } from "./editor.tsx";
import { ExternalBadge, runningCount, stackHref, StackStatusBadge, StackTags } from "./common.tsx";

function StackRow({ stack, canAdopt }: { stack: StackSummary; canAdopt: boolean }) {
  const { running, total } = runningCount(stack.services);
  return (
    <tr id={`stack-row-${stack.name}`} data-stack={stack.name}>
      <td class="stack-name-cell">
        <a href={stackHref(stack.name)} class="stack-link">{stack.name}</a>
        <ExternalBadge stack={stack} />
        {stack.updateAvailable && (
          <span class="badge badge-update" title="A newer image is in the registry">
            update available
          </span>
        )}
        {stack.tags.length > 0 && (
          <div class="stack-row-tags">
            <StackTags tags={stack.tags} />
          </div>
        )}
        {!stack.managed && stack.configFile && (
          <p class="hint config-path">
            <code>{stack.configFile}</code>
          </p>
        )}
      </td>
      <td>
        <StackStatusBadge status={stack.status} />
      </td>
      <td class="num" title={`${running} of ${total} containers run`}>
        <span class="stack-count">{running}/{total}</span>
        <span class="hint services-count">
          {" "}
          {stack.services.length === 1 ? "1 service" : `${stack.services.length} services`}
        </span>
      </td>
      <td class="col-actions">
        <div class="row-actions">
          {stack.managed
            ? <a class="btn btn-small" href={stackHref(stack.name, "/edit")}>Edit</a>
            : canAdopt && (
              <form method="post" action={stackHref(stack.name, "/adopt")} class="inline">
                <button
                  type="submit"
                  class="btn btn-small"
                  title={stack.configFile
                    ? `Copy ${stack.configFile} into DockerMate's stacks folder`
                    : "Its compose file is unknown"}
                  disabled={!stack.configFile}
                >
                  Adopt
                </button>
              </form>
            )}
        </div>
      </td>
    </tr>
  );
}

function EmptyState() {
  return (
    <section class="card empty" id="stacks-empty">
      <h2>No stacks yet</h2>
      <p>
        A stack is a compose file (and its <code>.env</code>) in a folder of its own, deployed with
        {" "}
        <code>docker compose</code>. Write one in the editor, or adopt a compose project you started
        elsewhere: it is listed here once it runs.
      </p>
      <a class="btn btn-primary" href="/stacks/new">New stack</a>
    </section>
  );
}

/**
 * The list page: DockerMate's stacks (or, without any, an invitation to write one), then the
 * compose projects started elsewhere. Without Compose v2 it says so and how to install it.
 */
export function StacksPage(
  { stacks, composeStatus, stacksDir }: {
    stacks: StackSummary[];
    composeStatus: ComposeStatus;
    stacksDir: string;
  },
) {
  const managed = stacks.filter((s) => s.managed);
  const external = stacks.filter((s) => !s.managed);
  const columns = ["Stack", "Status", { label: "Running", class: "num" }, { srOnly: "Actions" }];
  return (
    <>
      <PageHead title="Stacks">
        {composeStatus.available && <a class="btn btn-primary" href="/stacks/new">New stack</a>}
      </PageHead>
      {!composeStatus.available && <ComposeMissing status={composeStatus} />}
      {composeStatus.available && managed.length === 0 && <EmptyState />}
      {managed.length > 0 && (
        <section class="card" id="stacks-managed">
          <DataTable columns={columns} class="stacks" id="stacks-table">
            {managed.map((s) => <StackRow stack={s} canAdopt={false} />)}
          </DataTable>
          <p class="hint">
            Folders in <code>{stacksDir}</code>.{" "}
            {composeStatus.available && <>Compose {composeStatus.version}.</>}
          </p>
        </section>
      )}
      {external.length > 0 && (
        <section class="card" id="stacks-external">
          <h2>Started elsewhere</h2>
          <p class="hint">
            Compose projects whose containers run on this host but whose files are not in{" "}
            <code>{stacksDir}</code>. Adopt copies the compose file (and its <code>.env</code>){" "}
            into a folder there; the containers stay as they are.
          </p>
          <DataTable columns={columns} class="stacks" id="stacks-external-table">
            {external.map((s) => <StackRow stack={s} canAdopt={composeStatus.available} />)}
          </DataTable>
        </section>
      )}
      <pre class="cli-line"><code>docker compose ls --all</code></pre>
    </>
  );
}

/** The /alerts page: alerts firing first, then resolved ones, with when each fired and ended. */
import type { Alert } from "../../services/alerts/model.ts";
import { RULE_LABELS } from "../../services/alerts/model.ts";
import { timeAgo } from "../format.ts";
import { DataTable } from "../table.tsx";
import { PageHead } from "../ui.tsx";

function When({ iso, now }: { iso: string; now: Date }) {
  const at = new Date(iso);
  return <time datetime={iso} title={at.toISOString()}>{timeAgo(at, now)}</time>;
}

function StateBadge({ alert }: { alert: Alert }) {
  return alert.state === "firing"
    ? <span class="badge alert-state alert-firing">Firing</span>
    : <span class="badge alert-state alert-resolved">Resolved</span>;
}

/** The table the page's live stream re-fetches (`refresh from:#live-alerts`). */
export function AlertsTable({ alerts, now }: { alerts: Alert[]; now: Date }) {
  const firing = alerts.filter((a) => a.state === "firing").length;
  return (
    <div
      id="alerts-table"
      hx-get="/alerts/table"
      hx-trigger="refresh from:#live-alerts"
      hx-swap="outerMorph"
    >
      <p class="muted" id="alerts-count">
        {firing === 0 ? "Nothing is firing." : `${firing} firing`} · {alerts.length - firing}{" "}
        resolved shown
      </p>
      {alerts.length === 0
        ? (
          <div class="empty-state">
            <p>No alerts yet. Rules and channels are in Settings.</p>
          </div>
        )
        : (
          <DataTable
            class="alerts"
            columns={["State", "Alert", "Fired", "Resolved"]}
          >
            {alerts.map((a) => (
              <tr class={`alert-row alert-row-${a.state}`} data-rule={a.rule}>
                <td>
                  <StateBadge alert={a} />
                </td>
                <td class="alert-what">
                  <strong>{RULE_LABELS[a.rule]}</strong> {a.container
                    ? <a href={`/containers/${encodeURIComponent(a.container)}`}>{a.container}</a>
                    : <span class="muted">host</span>}
                  <span class="alert-message hide-sm">
                    {a.message}
                    {!a.notified && <span class="muted">(not sent: cool-down)</span>}
                  </span>
                </td>
                <td>
                  <When iso={a.firedAt} now={now} />
                </td>
                <td>
                  {a.resolvedAt
                    ? <When iso={a.resolvedAt} now={now} />
                    : <span class="muted">—</span>}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
    </div>
  );
}

export function AlertsPage({ alerts, now }: { alerts: Alert[]; now: Date }) {
  return (
    <>
      <PageHead title="Alerts">
        <a class="btn" href="/settings/notifications">Rules and channels</a>
      </PageHead>
      <AlertsTable alerts={alerts} now={now} />
      <div id="live-alerts" hx-sse:connect="/live/alerts" hx-swap="none"></div>
    </>
  );
}

/** The nav's count of firing alerts; sent again out of band when it changes. */
export function AlertsBadge({ firing, oob }: { firing: number; oob?: boolean }) {
  return (
    <a
      href="/alerts"
      id="alerts-badge"
      class={`alerts-link${firing > 0 ? " alerts-link-firing" : ""}`}
      title={firing > 0 ? `${firing} alert(s) firing` : "No alerts firing"}
      hx-swap-oob={oob ? "true" : undefined}
    >
      <span class="alerts-word">Alerts</span>
      <span class="alerts-count" aria-label={`${firing} firing`}>{firing}</span>
    </a>
  );
}

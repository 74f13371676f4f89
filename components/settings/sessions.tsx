import type { SessionView } from "../../services/auth/sessions.ts";
import { timeAgo } from "../format.ts";
import { DataTable } from "../table.tsx";
import { RevokeButton } from "./form.tsx";

/** The signed-in browsers; each but this one can be ended. */
export function SessionsTable(
  { sessions, current }: { sessions: SessionView[]; current: string | null },
) {
  return (
    <DataTable
      wrapId="sessions"
      columns={["Started", "Last seen", "From", "Browser", { srOnly: "Actions" }]}
    >
      {sessions.map((s) => (
        <tr>
          <td>{timeAgo(s.createdAt)}</td>
          <td>{timeAgo(s.lastSeenAt)}</td>
          <td>{s.ip}</td>
          <td class="truncate" title={s.userAgent}>{s.userAgent || "unknown"}</td>
          <td>
            {s.id === current ? <span class="badge">this session</span> : (
              <RevokeButton
                action={`/settings/sessions/${s.id}/revoke`}
                target="#sessions"
                confirm="End this session?"
              />
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** The dashboard's container sections: counts by state, what needs attention, tags in use. */
import type {
  AttentionItem,
  AttentionKind,
  ContainerCounts,
  DashboardData,
} from "../../services/dashboard/data.ts";
import { containerHref } from "../containers/common.tsx";
import { TagBadge } from "../tags.tsx";

function Stat(
  { id, label, value, kind, href }: {
    id: string;
    label: string;
    value: number;
    kind: string;
    href: string;
  },
) {
  return (
    <a class={`stat stat-link ${kind}`} href={href}>
      <span class="stat-value" id={`count-${id}`} data-count={value}>{value}</span>
      <span class="stat-label">{label}</span>
    </a>
  );
}

export function CountsSection({ counts }: { counts: ContainerCounts }) {
  const list = "/containers?all=1";
  return (
    <section class="stats container-counts" aria-label="Containers" id="container-counts">
      <Stat
        id="running"
        label="Running"
        value={counts.running}
        kind="ok"
        href={`${list}&status=running`}
      />
      <Stat
        id="stopped"
        label="Stopped"
        value={counts.stopped}
        kind="muted"
        href={`${list}&status=exited`}
      />
      <Stat
        id="paused"
        label="Paused"
        value={counts.paused}
        kind={counts.paused ? "warn" : "muted"}
        href={`${list}&status=paused`}
      />
      <Stat
        id="unhealthy"
        label="Unhealthy"
        value={counts.unhealthy}
        kind={counts.unhealthy ? "bad" : "muted"}
        href={list}
      />
      <Stat
        id="restarting"
        label="Restarting"
        value={counts.restarting}
        kind={counts.restarting ? "bad" : "muted"}
        href={`${list}&status=restarting`}
      />
      <Stat id="total" label="Containers" value={counts.total} kind="" href={list} />
    </section>
  );
}

const KIND_TEXT: Record<AttentionKind, string> = {
  "restart-loop": "Restart loop",
  restarting: "Restarting",
  unhealthy: "Unhealthy",
  dead: "Dead",
  exited: "Failed",
};

/** Shown at most; the rest are a link away. */
const ATTENTION_SHOWN = 12;

export function AttentionSection({ items }: { items: AttentionItem[] }) {
  const shown = items.slice(0, ATTENTION_SHOWN);
  return (
    <section
      class={`card dash-attention${items.length ? " has-items" : ""}`}
      id="dash-attention"
      aria-labelledby="attention-title"
    >
      <h2 id="attention-title">
        Needs attention{" "}
        {items.length > 0 && <span class="count-pill" id="attention-count">{items.length}</span>}
      </h2>
      {items.length === 0
        ? (
          <p class="muted all-clear" id="attention-none">
            Nothing: no unhealthy containers, failed exits or restart loops.
          </p>
        )
        : (
          <ul class="attention-list">
            {shown.map((i) => (
              <li class={`attn attn-${i.kind}`} data-container={i.name} data-kind={i.kind}>
                <span class={`attn-kind attn-kind-${i.kind}`}>{KIND_TEXT[i.kind]}</span>
                <a class="attn-name" href={containerHref(i.name)}>
                  {i.name}
                </a>
                <span class="attn-detail muted">{i.detail}</span>
              </li>
            ))}
          </ul>
        )}
      {items.length > shown.length && (
        <p class="hint">
          And {items.length - shown.length} more: see the{" "}
          <a href="/containers?all=1">container list</a>.
        </p>
      )}
    </section>
  );
}

export function TagsSection({ tags }: { tags: NonNullable<DashboardData["tags"]> }) {
  const used = tags.tags.filter((t) => t.containers > 0);
  return (
    <div id="dash-tags">
      {used.length === 0
        ? <p class="muted">No container has a tag yet.</p>
        : (
          <ul class="tag-counts">
            {used.map((t) => (
              <li>
                <a
                  href={`/containers?all=1&tag=${encodeURIComponent(t.name)}`}
                  class="tag-count-link"
                >
                  <TagBadge name={t.name} color={t.color} />
                  <span class="tag-n" data-tag={t.name}>{t.containers}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      <p class="hint">
        {tags.untagged} container{tags.untagged === 1 ? "" : "s"} without a tag.{" "}
        <a href="/settings#tags">Manage tags</a>
      </p>
    </div>
  );
}

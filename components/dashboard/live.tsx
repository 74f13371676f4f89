/** The dashboard's live updates: htmx partials, each replacing one section by id. */
import type { DashboardData, Section } from "../../services/dashboard/data.ts";
import { CapacityCard } from "../capacity.tsx";
import type { EventContext } from "../events.tsx";
import { HxPartial } from "../ui.tsx";
import { AttentionSection, CountsSection, TagsSection } from "./containers.tsx";
import { DiskSection, HostSection, ResourcesSection } from "./host.tsx";
import { DashboardBody, RecentEventsSection } from "./page.tsx";

/** The sections a change touched, as partials; the whole body on a (re)connect or up/down. */
export function DashboardUpdate(
  { data, sections, full, ctx }: {
    data: DashboardData;
    sections: readonly Section[];
    full: boolean;
    ctx: EventContext;
  },
) {
  if (full || !data.up || !data.counts) {
    return (
      <HxPartial target="#dash-body" swap="outerMorph">
        <DashboardBody data={data} ctx={ctx} />
      </HxPartial>
    );
  }
  const has = (s: Section) => sections.includes(s);
  return (
    <>
      {has("containers") && (
        <>
          <HxPartial target="#container-counts" swap="outerMorph">
            <CountsSection counts={data.counts} />
          </HxPartial>
          <HxPartial target="#dash-attention" swap="outerMorph">
            <AttentionSection items={data.attention} />
          </HxPartial>
          {data.profile && (
            <HxPartial target="#capacity" swap="outerMorph">
              <CapacityCard profile={data.profile} />
            </HxPartial>
          )}
          {data.tags && (
            <HxPartial target="#dash-tags" swap="outerMorph">
              <TagsSection tags={data.tags} />
            </HxPartial>
          )}
        </>
      )}
      {(has("resources") || has("containers")) && (
        <HxPartial target="#dash-resources" swap="outerMorph">
          <ResourcesSection resources={data.resources} />
        </HxPartial>
      )}
      {has("resources") && (
        <HxPartial target="#dash-disk" swap="outerMorph">
          <DiskSection resources={data.resources} />
        </HxPartial>
      )}
      {(has("host") || has("resources")) && (
        <HxPartial target="#dash-host" swap="outerMorph">
          <HostSection host={data.host} overview={data.overview} />
        </HxPartial>
      )}
      {has("events") && (
        <HxPartial target="#dash-events" swap="outerMorph">
          <RecentEventsSection events={data.events} ctx={ctx} />
        </HxPartial>
      )}
    </>
  );
}

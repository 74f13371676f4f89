import type { CapacityLevel } from "../services/host/hardware.ts";
import { PROFILES } from "../services/host/profile-limits.ts";
import type { SystemProfile } from "../services/host/profile.ts";
import { formatBytes } from "./format.ts";

/** What each capacity level is called on the page; the CSS class carries the level's key. */
export const LEVEL_TEXT: Record<CapacityLevel, string> = {
  ok: "OK",
  warn: "Getting full",
  critical: "Nearly full",
  full: "Full",
};

/** "2 cores · 23.5GiB" (plus the board model when the device tree names one). */
export function hostSummary(host: SystemProfile["host"]): string {
  const cores = `${host.cpus} ${host.cpus === 1 ? "core" : "cores"}`;
  return [cores, formatBytes(host.memoryBytes), host.model].filter(Boolean).join(" · ");
}

/** The profile in force: "Medium", or "Low-end (overridden; detected: Medium)". */
export function ProfileLabel({ profile }: { profile: SystemProfile }) {
  const detected = PROFILES[profile.detected].label;
  return (
    <span class="profile-label">
      <strong>{profile.limits.label}</strong>
      {profile.overridden && (
        <span class="muted">
          {` (overridden${profile.name !== profile.detected ? `; detected: ${detected}` : ""})`}
        </span>
      )}
    </span>
  );
}

/**
 * "Containers: N of M", a meter coloured by the profile's warn and critical thresholds, and the
 * level in words. Used by the dashboard and the settings page.
 */
export function CapacityMeter({ profile, id }: { profile: SystemProfile; id?: string }) {
  const { used, max, percent, level } = profile.capacity;
  const { warnPercent, criticalPercent } = profile.limits;
  return (
    <div class={`gauge gauge-${level}`} id={id} data-level={level}>
      <p class="gauge-line">
        <span class="gauge-count">
          Containers: <strong>{used}</strong> of <strong>{max}</strong>
        </span>
        <span class={`gauge-level level-${level}`}>{LEVEL_TEXT[level]} · {percent}%</span>
      </p>
      <meter
        class="gauge-meter"
        min={0}
        max={max}
        low={(max * warnPercent) / 100}
        high={(max * criticalPercent) / 100}
        optimum={0}
        value={Math.min(used, max)}
        aria-label={`Containers: ${used} of ${max}`}
      >
        {used} of {max}
      </meter>
    </div>
  );
}

/** The dashboard's card: capacity, the profile in force and the host it was derived from. */
export function CapacityCard({ profile }: { profile: SystemProfile }) {
  const { capacity, limits } = profile;
  return (
    <section class="card" id="capacity" aria-labelledby="capacity-title">
      <h2 id="capacity-title">Capacity</h2>
      <CapacityMeter profile={profile} id="capacity-meter" />
      <dl class="facts">
        <dt>Profile</dt>
        <dd id="capacity-profile">
          <ProfileLabel profile={profile} />
        </dd>
        <dt>Host</dt>
        <dd id="capacity-host">{hostSummary(profile.host)}</dd>
        <dt>Alerts</dt>
        <dd>
          at {limits.warnPercent}% and {limits.criticalPercent}% of {limits.maxContainers}
        </dd>
      </dl>
      {profile.warning && (
        <p class="alert alert-warn" role="status" id="capacity-warning">{profile.warning}</p>
      )}
      {capacity.level === "full" && (
        <p class="alert alert-warn" role="status" id="capacity-full">
          The limit is reached: creating another container is refused until one is removed or the
          limit is raised.
        </p>
      )}
      <p class="hint">
        <a href="/settings#hardware">Change the profile or the limit</a>
      </p>
    </section>
  );
}

/** What the containers page's capacity bar shows. */
export type CapacityView = {
  used: number;
  max: number;
  level: CapacityLevel;
  /** Container counts at which the bar turns amber, then red. */
  low: number;
  high: number;
  profile: string;
};

/** The containers page's bar: how many containers of the limit, and a word when it fills. */
export function CapacityBar({ cap }: { cap: CapacityView }) {
  return (
    <div class={`capacity capacity-${cap.level}`} id="capacity">
      <span class="capacity-text">
        <strong>{cap.used}</strong> of {cap.max} containers
        <span class="muted">({cap.profile} profile)</span>
      </span>
      <meter
        min={0}
        max={cap.max}
        low={cap.low}
        high={cap.high}
        optimum={0}
        value={Math.min(cap.used, cap.max)}
        aria-label="Containers against this host's limit"
      >
        {cap.used} of {cap.max}
      </meter>
      {cap.level !== "ok" && (
        <span class="capacity-note">
          {cap.level === "full"
            ? "Full: new containers are refused."
            : cap.level === "critical"
            ? "Nearly full."
            : "Getting full."}
        </span>
      )}
    </div>
  );
}

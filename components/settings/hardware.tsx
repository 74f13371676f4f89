import { PROFILE_NAMES, PROFILES } from "../../services/host/profile-limits.ts";
import type { SystemProfile } from "../../services/host/profile.ts";
import type { HardwareSettings } from "../../services/settings-service.ts";
import type { FormErrors } from "../auth-forms.tsx";
import { CapacityMeter, hostSummary, ProfileLabel } from "../capacity.tsx";
import { plural } from "../format.ts";
import { FieldError } from "../ui.tsx";
import { NumberField, SettingsForm, shown } from "./form.tsx";

export type HardwareView = HardwareSettings & {
  errors?: FormErrors;
  /** What was submitted, shown again when it was refused. */
  values?: Partial<Record<"profile" | "maxContainers", string>>;
  saved?: boolean;
};

/** The limits in force, as rows of the profile's facts list. */
function Limits({ profile }: { profile: SystemProfile }) {
  const l = profile.limits;
  const suggested = PROFILES[profile.detected].maxContainers;
  return (
    <>
      <dt>Max containers</dt>
      <dd>
        {l.maxContainers}
        {l.maxContainers !== suggested && (
          <span class="muted">(the hardware suggests {suggested})</span>
        )}
      </dd>
      <dt>Alerts at</dt>
      <dd>{l.warnPercent}% (warn) and {l.criticalPercent}% (critical)</dd>
      <dt>Stats</dt>
      <dd>every {plural(l.statsIntervalSeconds, "second")}</dd>
      <dt>Update checks</dt>
      <dd>every {plural(l.updateCheckIntervalHours, "hour")}</dd>
    </>
  );
}

/** The detected profile, the one in force with its limits, or why neither is known. */
function ProfileSummary({ profile }: { profile: SystemProfile | null }) {
  if (!profile) {
    return (
      <p class="muted" id="profile-unknown">
        Docker is unreachable, so the hardware cannot be read. An override saved now applies once it
        is back.
      </p>
    );
  }
  return (
    <div class="profile-summary">
      <CapacityMeter profile={profile} id="hardware-capacity" />
      <dl class="facts" id="profile-facts">
        <dt>Detected</dt>
        <dd id="profile-detected">
          <strong>{PROFILES[profile.detected].label}</strong>{" "}
          <span class="muted">({hostSummary(profile.host)})</span>
        </dd>
        <dt>In force</dt>
        <dd id="profile-effective">
          <ProfileLabel profile={profile} />
        </dd>
        <Limits profile={profile} />
      </dl>
    </div>
  );
}

/** The messages above the profile: saved, the hardware's warning, a full host. */
function ProfileNotices({ view }: { view: HardwareView }) {
  const { profile } = view;
  return (
    <>
      {view.saved && (
        <p class="alert alert-ok" role="status" id="hardware-saved">
          Saved. {profile
            ? `The ${profile.limits.label} profile is in force, with at most ${profile.limits.maxContainers} containers.`
            : "It applies once Docker is reachable again."}
        </p>
      )}
      {profile?.warning && (
        <p class="alert alert-warn" role="status" id="hardware-warning">{profile.warning}</p>
      )}
      {profile?.capacity.level === "full" && (
        <p class="alert alert-warn" role="status" id="hardware-full">
          {plural(profile.capacity.used, "container")} exist and the limit is{" "}
          {profile.capacity.max}: creating another is refused until one is removed or the limit is
          raised.
        </p>
      )}
    </>
  );
}

export function HardwarePanel({ view }: { view: HardwareView }) {
  const { profile, override, errors = {}, values = {} } = view;
  const selected = shown(values.profile, override.profile);
  const defaultMax = PROFILES[override.profile ?? profile?.detected ?? "medium"].maxContainers;
  return (
    <div id="hardware-panel">
      <ProfileNotices view={view} />
      <ProfileSummary profile={profile} />
      <SettingsForm action="/settings/hardware" id="hardware-form" target="#hardware-panel">
        <div class="field grow">
          <label for="hw-profile">Profile</label>
          <select
            id="hw-profile"
            name="profile"
            aria-invalid={errors.profile ? "true" : undefined}
            aria-describedby={errors.profile ? "hw-profile-error" : undefined}
          >
            <option value="" selected={selected === ""}>
              Detected{profile ? ` (${PROFILES[profile.detected].label})` : ""}
            </option>
            {PROFILE_NAMES.map((name) => (
              <option value={name} selected={selected === name}>
                {PROFILES[name].label} (up to {PROFILES[name].maxContainers})
              </option>
            ))}
          </select>
          <FieldError id="hw-profile-error" message={errors.profile} />
        </div>
        <NumberField
          id="hw-max"
          name="maxContainers"
          label="Container limit"
          min={1}
          max={1000}
          optional
          placeholder={`${defaultMax} (the profile's)`}
          value={shown(values.maxContainers, override.maxContainers)}
          error={errors.maxContainers}
          hint="Empty: the profile's limit."
        />
        <button type="submit" class="btn btn-primary">Save profile</button>
      </SettingsForm>
      <p class="cli-note">
        Same as <code>PUT /api/v1/system/profile</code> with{" "}
        <code>{'{"profile": null, "maxContainers": 30}'}</code>.
      </p>
    </div>
  );
}

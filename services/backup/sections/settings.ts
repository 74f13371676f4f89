/**
 * The host-wide settings (services/settings.ts), each checked by its own schema on restore.
 * Left out: the host names seen at setup (they belong to this instance's address) and the
 * registries (their own section, for their passwords).
 */
import { z } from "zod";
import {
  getSetting,
  setSetting,
  type SettingKey,
  SETTINGS,
  type SettingValue,
} from "../../settings.ts";
import { type BackupSection, type PlannedStep, skip } from "../section.ts";

const NAME = "settings";
const LEFT_OUT = new Set<string>(["setupHosts", "registries"]);

function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

const backedUp = () => (Object.keys(SETTINGS) as SettingKey[]).filter((k) => !LEFT_OUT.has(k));

export const settingsSection: BackupSection<Record<string, unknown>> = {
  name: NAME,
  schema: z.record(z.string(), z.unknown()),

  async export(deps) {
    const out: Record<string, unknown> = {};
    for (const key of backedUp()) out[key] = await getSetting(deps.db, key);
    return out;
  },

  async plan(data, deps) {
    const steps: PlannedStep[] = [];
    for (const [key, value] of Object.entries(data)) {
      if (!isSettingKey(key) || LEFT_OUT.has(key)) {
        steps.push(skip(NAME, key, "not a setting this version restores"));
        continue;
      }
      const parsed = SETTINGS[key].schema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        steps.push(skip(NAME, key, `not a valid value: ${issue?.message ?? "wrong shape"}`));
        continue;
      }
      const now = await getSetting(deps.db, key);
      if (JSON.stringify(now) === JSON.stringify(parsed.data)) {
        steps.push(skip(NAME, key, "the same as now"));
        continue;
      }
      steps.push({
        section: NAME,
        what: key,
        why: `${JSON.stringify(now)} → ${JSON.stringify(parsed.data)}`,
        action: "change",
        // The value was checked by this key's own schema above.
        apply: () => setSetting(deps.db, key, parsed.data as SettingValue<SettingKey>),
      });
    }
    return steps;
  },
};

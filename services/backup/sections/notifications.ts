/**
 * Notification channels: each one's settings as they are; its secrets (webhook URLs, tokens,
 * passwords) sealed for this instance or left out. A channel that cannot work without a secret
 * the file does not give back is skipped, saying which.
 */
import { z } from "zod";
import { notificationChannels } from "../../../db/schema.ts";
import { openChannel } from "../../notifications/channels.ts";
import {
  CHANNEL_TYPES,
  channelInputSchema,
  REQUIRED_SECRETS,
  SECRET_FIELDS,
} from "../../notifications/model.ts";
import { type BackupSection, type PlannedStep, skip } from "../section.ts";
import { keepSecret, openSecret } from "../secrets.ts";

const NAME = "notifications";
const channelSchema = z.object({
  name: z.string().min(1),
  type: z.enum(CHANNEL_TYPES),
  enabled: z.boolean(),
  settings: z.record(z.string(), z.unknown()),
  /** Each secret field, sealed for this instance; null when left out. */
  secrets: z.record(z.string(), z.string().nullable()),
});
type BackedUpChannel = z.infer<typeof channelSchema>;

const secretName = (channel: string, field: string) => `channel:${channel}:${field}`;

export const notificationsSection: BackupSection<BackedUpChannel[]> = {
  name: NAME,
  schema: z.array(channelSchema),

  async export(deps, mode) {
    const rows = await deps.db.select().from(notificationChannels);
    return await Promise.all(rows.map(async (row) => {
      const open = await openChannel(row);
      const settings: Record<string, unknown> = {};
      const secrets: Record<string, string | null> = {};
      for (const [field, value] of Object.entries(open.config)) {
        if (!SECRET_FIELDS[open.type].includes(field)) settings[field] = value;
        else if (typeof value === "string") {
          secrets[field] = await keepSecret(value, secretName(row.name, field), mode);
        }
      }
      return { name: row.name, type: open.type, enabled: row.enabled, settings, secrets };
    }));
  },

  async plan(data, deps, meta) {
    const here = new Set(
      (await deps.db.select({ name: notificationChannels.name }).from(notificationChannels))
        .map((r) => r.name),
    );
    const steps: PlannedStep[] = [];
    for (const c of data) {
      if (here.has(c.name)) {
        steps.push(skip(NAME, c.name, "a channel of this name exists here; left as it is"));
        continue;
      }
      const opened: Record<string, string> = {};
      const lost: string[] = [];
      for (const [field, kept] of Object.entries(c.secrets)) {
        const plain = await openSecret(kept, secretName(c.name, field));
        if (plain === null) lost.push(field);
        else opened[field] = plain;
      }
      const missing = REQUIRED_SECRETS[c.type].filter((f) => opened[f] === undefined);
      if (missing.length) {
        steps.push(skip(
          NAME,
          c.name,
          `its ${missing.join(", ")} was left out of the file or sealed by another instance; ` +
            "add the channel again in Settings → Notifications",
        ));
        continue;
      }
      const input = channelInputSchema.safeParse({
        ...c.settings,
        ...opened,
        type: c.type,
        name: c.name,
        enabled: c.enabled,
      });
      if (!input.success) {
        const issue = input.error.issues[0];
        steps.push(
          skip(NAME, c.name, `its ${issue.path.join(".")} is not valid: ${issue.message}`),
        );
        continue;
      }
      steps.push({
        section: NAME,
        what: c.name,
        why: `${c.type} channel${lost.length ? `, without its ${lost.join(", ")} (left out)` : ""}`,
        action: "create",
        apply: async () => {
          await deps.notifications.create(input.data, meta);
        },
      });
    }
    return steps;
  },
};

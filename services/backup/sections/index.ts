/**
 * The sections of a backup, in the order a restore plans and applies them: tags before the
 * containers and stacks that carry them, containers before their history. A new kind of data
 * is one more module here.
 */
import type { BackupSection } from "../section.ts";
import { containersSection } from "./containers.ts";
import { historySection } from "./history.ts";
import { notificationsSection } from "./notifications.ts";
import { registriesSection } from "./registries.ts";
import { settingsSection } from "./settings.ts";
import { stacksSection } from "./stacks.ts";
import { tagsSection } from "./tags.ts";
import { templatesSection } from "./templates.ts";

export const BACKUP_SECTIONS: readonly BackupSection<unknown>[] = [
  settingsSection,
  registriesSection,
  tagsSection,
  templatesSection,
  containersSection,
  historySection,
  stacksSection,
  notificationsSection,
] as readonly BackupSection<unknown>[];

/**
 * Channels in the database: secrets sealed (services/registry/secret-box.ts) and bound to
 * their channel and field, so a sealed value moved to another row does not open.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { notificationChannels } from "../../db/schema.ts";
import { InvalidInput } from "../errors.ts";
import { seal, unseal } from "../registry/secret-box.ts";
import {
  type Channel,
  type ChannelInput,
  type ChannelType,
  REQUIRED_SECRETS,
  SECRET_FIELDS,
} from "./model.ts";

type Row = typeof notificationChannels.$inferSelect;

const bound = (id: string, field: string) => `notification:${id}:${field}`;

/** The input's settings without type, name and enabled: what `config` holds. */
function settingsOf(input: ChannelInput): Record<string, unknown> {
  const { type: _t, name: _n, enabled: _e, ...rest } = input;
  return rest;
}

/** The stored config for `input`: new secrets sealed, secrets left out kept from `before`. */
export async function sealConfig(
  id: string,
  input: ChannelInput,
  before: Record<string, unknown> = {},
): Promise<string> {
  const config: Record<string, unknown> = settingsOf(input);
  for (const field of SECRET_FIELDS[input.type]) {
    const given = config[field];
    if (typeof given === "string" && given !== "") {
      config[field] = await seal(given, bound(id, field));
    } else if (typeof before[field] === "string") config[field] = before[field];
    else delete config[field];
  }
  for (const field of REQUIRED_SECRETS[input.type]) {
    if (config[field] === undefined) throw new InvalidInput("is required", field);
  }
  return JSON.stringify(config);
}

/** A stored channel with its secrets open, for sending. */
export async function openChannel(row: Row): Promise<Channel> {
  const config = JSON.parse(row.config) as Record<string, unknown>;
  const type = row.type as ChannelType;
  for (const field of SECRET_FIELDS[type]) {
    const value = config[field];
    if (typeof value === "string") config[field] = await unseal(value, bound(row.id, field));
  }
  return { id: row.id, type, name: row.name, enabled: row.enabled, config };
}

/** A stored channel's settings without its secrets, and which secrets are set. */
export function publicSettings(
  row: Row,
): { settings: Record<string, unknown>; secretsSet: string[] } {
  const config = JSON.parse(row.config) as Record<string, unknown>;
  const secretsSet: string[] = [];
  for (const field of SECRET_FIELDS[row.type as ChannelType]) {
    if (config[field] !== undefined) secretsSet.push(field);
    delete config[field];
  }
  return { settings: config, secretsSet };
}

export async function channelRow(db: Db, id: string): Promise<Row | undefined> {
  return await db.query.notificationChannels.findFirst({
    where: eq(notificationChannels.id, id),
  });
}

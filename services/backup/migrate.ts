/**
 * Reading a backup file: JSON, ours, a version this code knows (older ones are migrated up,
 * one version at a time), every section's data checked. Each refusal says what is wrong, so
 * a 400 tells the user which file they sent; nothing is touched before all of it passed.
 */
import type { z } from "zod";
import { InvalidInput } from "../errors.ts";
import { BACKUP_FORMAT, BACKUP_VERSION, type BackupFile, backupFileSchema } from "./model.ts";
import type { BackupSection } from "./section.ts";

type Json = Record<string, unknown>;

/**
 * Version 1 (the first format): the sections at the top level, no `sections` object, no host,
 * stacks' `.env` in plain text, no record of whether a stack had one or ran.
 */
export function migrateV1(v1: Json): Json {
  const { format, version: _version, createdAt, ...data } = v1;
  const stacks = Array.isArray(data.stacks) ? data.stacks : [];
  return {
    format,
    version: 2,
    createdAt,
    host: "unknown (version 1 backup)",
    secrets: "plain",
    sections: {
      ...data,
      stacks: stacks.map((s: Json) => ({
        ...s,
        env: typeof s.env === "string" && s.env !== "" ? s.env : null,
        hasEnv: typeof s.env === "string" && s.env !== "",
        status: "running",
      })),
    },
  };
}

/** Each migration takes a file of its version to the next. */
const MIGRATIONS: Record<number, (file: Json) => Json> = { 1: migrateV1 };

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** `containers[0].config.image`: where a zod issue is, after `prefix`. */
function issuePath(prefix: string, issue: z.core.$ZodIssue): string {
  return issue.path.reduce<string>(
    (at, key) => (typeof key === "number" ? `${at}[${key}]` : `${at}.${String(key)}`),
    prefix,
  );
}

function parseJson(text: string): unknown {
  if (text.trim() === "") throw new InvalidInput("is empty: send the backup file's JSON", "body");
  try {
    return JSON.parse(text);
  } catch (err) {
    const why = (err as Error).message;
    // Cut off: the parser ran out of text, or stopped at its very end.
    const at = Number(/at position (\d+)/.exec(why)?.[1] ?? -1);
    const cut = /end of (JSON )?input|unterminated/i.test(why) || at >= text.trimEnd().length
      ? "it ends early: the file is truncated"
      : "it is corrupt or not a backup";
    throw new InvalidInput(`is not valid JSON (${why}): ${cut}`, "body");
  }
}

/** The file's JSON as the current version, or an InvalidInput naming what is wrong. */
export function readBackup(text: string): BackupFile {
  let json = parseJson(text);
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new InvalidInput(`is ${describe(json)}, not a DockerMate backup`, "body");
  }
  const doc = json as Json;
  if (doc.format !== BACKUP_FORMAT) {
    const found = typeof doc.format === "string" ? `"${doc.format}"` : "missing";
    throw new InvalidInput(
      `is ${found}: this is not a DockerMate backup (its format is "${BACKUP_FORMAT}")`,
      "format",
    );
  }
  const version = doc.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    throw new InvalidInput(
      `must be a whole number from 1, not ${JSON.stringify(version)}`,
      "version",
    );
  }
  if (version > BACKUP_VERSION) {
    throw new InvalidInput(
      `${version} is newer than this DockerMate reads (up to ${BACKUP_VERSION}): upgrade DockerMate first`,
      "version",
    );
  }
  for (let v = version; v < BACKUP_VERSION; v++) json = MIGRATIONS[v](json as Json);
  const parsed = backupFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInput(issue.message, issuePath("", issue).replace(/^\./, "") || "body");
  }
  return parsed.data;
}

/**
 * Each known section's data, checked by its schema; the first problem is a 400 that names
 * where it is (`sections.containers[2].config.image`). Sections this version does not know
 * are returned apart, so the plan can say they were skipped.
 */
export function readSections(
  file: BackupFile,
  sections: readonly BackupSection<unknown>[],
): { known: { section: BackupSection<unknown>; data: unknown }[]; unknown: string[] } {
  const known = [];
  for (const section of sections) {
    if (!(section.name in file.sections)) continue;
    const parsed = section.schema.safeParse(file.sections[section.name]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidInput(issue.message, issuePath(`sections.${section.name}`, issue));
    }
    known.push({ section, data: parsed.data });
  }
  const names = new Set(sections.map((s) => s.name));
  return { known, unknown: Object.keys(file.sections).filter((n) => !names.has(n)) };
}

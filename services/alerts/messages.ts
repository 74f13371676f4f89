/** The words of an alert's notifications: "firing" when it fires, "resolved" when it ends. */
import type { Message } from "../notifications/model.ts";
import { minutesText } from "./conditions.ts";
import { type Rule, RULE_LABELS } from "./model.ts";

export type AlertRecord = {
  id: number;
  rule: string;
  container: string | null;
  message: string;
  firedAt: Date;
  resolvedAt: Date | null;
};

function subject(a: AlertRecord): string {
  const label = RULE_LABELS[a.rule as Rule] ?? a.rule;
  return a.container ? `${label}: ${a.container}` : label;
}

function payload(a: AlertRecord): NonNullable<Message["alert"]> {
  return {
    id: a.id,
    rule: a.rule,
    ...(a.container ? { container: a.container } : {}),
    state: a.resolvedAt ? "resolved" : "firing",
    firedAt: a.firedAt.toISOString(),
    resolvedAt: a.resolvedAt?.toISOString() ?? null,
  };
}

export function firingMessage(a: AlertRecord): Message {
  return {
    kind: "firing",
    title: `[DockerMate] ${subject(a)}`,
    body: `${a.message}.\nFired at ${a.firedAt.toISOString()}.`,
    alert: payload(a),
  };
}

export function resolvedMessage(a: AlertRecord): Message {
  const lasted = ((a.resolvedAt?.getTime() ?? a.firedAt.getTime()) - a.firedAt.getTime()) / 60_000;
  return {
    kind: "resolved",
    title: `[DockerMate] Resolved: ${subject(a)}`,
    body: `Resolved after ${minutesText(lasted)}: ${a.message}.`,
    alert: payload(a),
  };
}

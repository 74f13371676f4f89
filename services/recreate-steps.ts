/** The steps of a journaled recreate, in order (services/recreate.ts). */
export const RECREATE_STEPS = [
  "stored",
  "stopped",
  "renamed",
  "created",
  "started",
  "verified",
  "removed",
] as const;
export type RecreateStep = (typeof RECREATE_STEPS)[number];

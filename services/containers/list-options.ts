/** What the container list filters and sorts by: constants only (no I/O), for the page too. */

export const STATES = ["running", "exited", "paused", "restarting", "created", "dead"] as const;
export const SORTS = ["name", "image", "state", "created"] as const;

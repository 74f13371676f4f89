/** How the docker CLI names an image and removes it, for the commands shown beside actions. */
import { shellArg } from "../config/shell-words.ts";
import { shortId } from "./prune-plan.ts";

/** How the CLI names an image: its first tag, else its short id. */
export function cliName(tags: string[], id: string): string {
  return tags[0] ?? shortId(id);
}

/** `docker rmi` of every tag (what goes when all are untagged), or of the id when forced. */
export function rmiCommand(tags: string[], id: string, force: boolean): string {
  if (force || tags.length === 0) return `docker rmi${force ? " -f" : ""} ${shortId(id)}`;
  return `docker rmi ${tags.map(shellArg).join(" ")}`;
}

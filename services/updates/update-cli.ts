import { shellArg } from "../config/shell-words.ts";

/** `docker pull` + the recreate, for the page before anything runs. */
export function updateCli(name: string, ref: string): string {
  return [
    `docker pull ${shellArg(ref)}`,
    `docker stop ${shellArg(name)}`,
    `docker rename ${shellArg(name)} ${shellArg(`${name}-dm-old-N`)}`,
    `docker run -d --name ${shellArg(name)} … ${shellArg(ref)}`,
    `docker rm ${shellArg(`${name}-dm-old-N`)}`,
  ].join("\n");
}

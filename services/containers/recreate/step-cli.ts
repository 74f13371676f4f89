/** The `docker` commands a recreate's steps stand for, as the page and the history show them. */
import { runCommandFromConfig } from "../../config/cli.ts";
import type { ContainerConfig } from "../../config/model.ts";
import { shellArg } from "../../config/shell-words.ts";
import type { RecreateStep } from "./steps.ts";

/** `step` of recreating `name` as `config`, the old container parked as `parked`. */
export function stepCli(
  step: RecreateStep,
  name: string,
  parked: string,
  config: ContainerConfig,
): string {
  switch (step) {
    case "stored":
      return `docker inspect ${shellArg(name)} > ${shellArg(`${name}.json`)}`;
    case "stopped":
      return `docker stop ${shellArg(name)}`;
    case "renamed":
      return `docker rename ${shellArg(name)} ${shellArg(parked)}`;
    case "created":
      return createCli(config);
    case "started":
      return `docker start ${shellArg(name)}`;
    case "verified":
      return `docker inspect --format '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' ${
        shellArg(name)
      }`;
    case "removed":
      return `docker rm ${shellArg(parked)}`;
  }
}

/** `docker create` for the new container: started separately, after its networks are joined. */
function createCli(config: ContainerConfig): string {
  return runCommandFromConfig(config).replace(/^docker run (?:-d|--detach)\b/m, "docker create");
}

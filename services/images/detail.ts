/** The image page's facts: its row, config, layers and the CLI of each action. */
import type { z } from "zod";
import { shellArg } from "../config/shell-words.ts";
import { imageHistory } from "../docker/images.ts";
import { cliName, rmiCommand } from "./cli.ts";
import type { ImageDeps } from "./deps.ts";
import { imageRows, inspectOrNotFound } from "./list.ts";
import type { imageDetailSchema } from "./model.ts";

export type ImageDetail = z.output<typeof imageDetailSchema>;

const seconds = (ns?: number) => (ns ? ns / 1e9 : undefined);

/** The image page: its row, config, layers and the CLI for each action. */
export async function imageDetail(deps: ImageDeps, ref: string): Promise<ImageDetail> {
  const inspect = await inspectOrNotFound(deps, ref);
  const [row] = await imageRows(deps, [{
    ...inspect,
    Created: Date.parse(inspect.Created) / 1000,
  }]);
  const history = await imageHistory(deps.docker, inspect.Id);
  const cfg = inspect.Config ?? {};
  const hc = cfg.Healthcheck;
  const name = cliName(row.tags, row.id);
  return {
    ...row,
    architecture: inspect.Variant
      ? `${inspect.Architecture}/${inspect.Variant}`
      : inspect.Architecture,
    os: inspect.Os,
    author: inspect.Author,
    comment: inspect.Comment,
    config: {
      entrypoint: cfg.Entrypoint ?? null,
      cmd: cfg.Cmd ?? null,
      env: cfg.Env ?? [],
      exposedPorts: Object.keys(cfg.ExposedPorts ?? {}).sort(),
      labels: cfg.Labels ?? {},
      healthcheck: hc?.Test && hc.Test[0] !== "NONE"
        ? {
          test: hc.Test,
          intervalSeconds: seconds(hc.Interval),
          timeoutSeconds: seconds(hc.Timeout),
          startPeriodSeconds: seconds(hc.StartPeriod),
          retries: hc.Retries || undefined,
        }
        : null,
      user: cfg.User ?? "",
      workdir: cfg.WorkingDir ?? "",
      volumes: Object.keys(cfg.Volumes ?? {}).sort(),
      stopSignal: cfg.StopSignal || null,
    },
    history: history.map((h) => ({
      id: h.Id === "<missing>" ? null : h.Id,
      created: new Date(h.Created * 1000).toISOString(),
      createdBy: h.CreatedBy,
      size: h.Size,
      comment: h.Comment,
      tags: h.Tags ?? [],
    })),
    cli: {
      pull: row.tags[0] ? `docker pull ${shellArg(row.tags[0])}` : null,
      tag: `docker tag ${shellArg(name)} NEW_REPO:NEW_TAG`,
      rmi: rmiCommand(row.tags, row.id, false),
      inspect: `docker image inspect ${shellArg(name)}`,
      history: `docker image history --no-trunc ${shellArg(name)}`,
    },
  };
}

/** The image page's facts: its row, config, layers and the CLI of each action. */
import { shellArg } from "../config/shell-words.ts";
import { imageHistory } from "../docker/images.ts";
import { cliName, rmiCommand } from "./cli.ts";
import type { ImageDeps } from "./deps.ts";
import { type ImageRow, imageRows, inspectOrNotFound } from "./list.ts";

export type ImageConfig = {
  entrypoint: string[] | null;
  cmd: string[] | null;
  env: string[];
  exposedPorts: string[];
  labels: Record<string, string>;
  healthcheck: {
    test: string[];
    intervalSeconds?: number;
    timeoutSeconds?: number;
    startPeriodSeconds?: number;
    retries?: number;
  } | null;
  user: string;
  workdir: string;
  volumes: string[];
  stopSignal: string | null;
};

export type ImageLayer = {
  id: string | null;
  created: string;
  createdBy: string;
  size: number;
  comment: string;
  tags: string[];
};

export type ImageCli = {
  pull: string | null;
  tag: string;
  rmi: string;
  inspect: string;
  history: string;
};

export type ImageDetail = ImageRow & {
  architecture: string;
  os: string;
  author: string;
  comment: string;
  config: ImageConfig;
  history: ImageLayer[];
  cli: ImageCli;
};

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

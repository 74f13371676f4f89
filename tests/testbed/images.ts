/**
 * The test bed's registry and images (built and pushed by
 * `tests/testbed/up.sh`, which must have run first).
 *
 * All images are built from busybox-static, carry the label
 * `com.dockermate.testbed=1` and exist both in the local daemon and in the
 * registry on 127.0.0.1:5000:
 *
 * - `web`: `httpd -f -p 8080 -h /var/www`, EXPOSE 8080, no healthcheck.
 * - `healthy`: like `web` plus a wget HEALTHCHECK (1 s interval): healthy
 *   about a second after start.
 * - `unhealthy`: keeps serving, but its HEALTHCHECK always fails (1 s
 *   interval, 2 retries): unhealthy after about 2 s.
 * - `exits`: prints one line to stderr and exits at once with code 3.
 * - `exits-late`: prints a line, runs for 2 s, then exits with code 3 (a crash
 *   that a start check must not miss).
 * - `ticker`: prints `line 0`, `line 1`, ... every 0.2 s forever.
 * - `app:v1` / `app:v2`: http on 8080 with a healthcheck; they differ by the
 *   label `org.opencontainers.image.version` (`1.0.0` / `2.0.0`), `/VERSION`
 *   and `/var/www/index.html`. `app:latest` is v1 after up.sh; call
 *   {@link pushAppVersion} to publish v2 as `latest` (an "update").
 *
 * Long-running images exit with code 0 on SIGTERM, so `docker stop` is quick.
 */

/**
 * The daemon under test: the shared one (20.10), or the one `DOCKERMATE_TEST_DOCKER_HOST`
 * names (`unix://…`; tests/run.sh sets it for its run against Docker 26, see
 * tests/testbed/docker26.sh). The server under test gets it as DOCKER_HOST.
 */
export const DOCKER_SOCKET = socketPath(
  Deno.env.get("DOCKERMATE_TEST_DOCKER_HOST") ?? "unix:///var/run/docker.sock",
);
/**
 * The docker CLI that matches that daemon: Debian's 20.10 (its legacy builder works;
 * /usr/local/bin/docker is 28.x), or `DOCKERMATE_TEST_DOCKER_CLI`.
 */
export const DOCKER_BIN = Deno.env.get("DOCKERMATE_TEST_DOCKER_CLI") ?? "/usr/bin/docker";

/** A DOCKER_CONFIG folder with Compose v2 as a CLI plugin (tests/testbed/docker26.sh). */
export const COMPOSE_V2_CONFIG = `${
  Deno.env.get("DOCKERMATE_TESTBED_DIR") ?? "/tmp/dockermate-testbed"
}/docker-config`;

function socketPath(host: string): string {
  if (!host.startsWith("unix:///")) {
    throw new Error(`DOCKERMATE_TEST_DOCKER_HOST must be unix:///path, not ${host}`);
  }
  return host.slice("unix://".length);
}

export const REGISTRY = "127.0.0.1:5000";
export const REGISTRY_URL = "http://127.0.0.1:5000";
/** Repository namespace of the test images inside {@link REGISTRY}. */
export const NAMESPACE = "dockermate-test";

/** Label set on every test image (value "1"). */
export const TESTBED_LABEL = "com.dockermate.testbed";
/** Label holding the content hash of an image's build inputs. */
export const TESTBED_HASH_LABEL = "com.dockermate.testbed.hash";
/** Port the http images (web, healthy, unhealthy, app) listen on. */
export const HTTP_PORT = 8080;

/** Repositories (without tag), e.g. for registry API paths or RepoDigests. */
export const repos = {
  base: "127.0.0.1:5000/dockermate-test/base",
  web: "127.0.0.1:5000/dockermate-test/web",
  healthy: "127.0.0.1:5000/dockermate-test/healthy",
  unhealthy: "127.0.0.1:5000/dockermate-test/unhealthy",
  exits: "127.0.0.1:5000/dockermate-test/exits",
  exitsLate: "127.0.0.1:5000/dockermate-test/exits-late",
  ticker: "127.0.0.1:5000/dockermate-test/ticker",
  app: "127.0.0.1:5000/dockermate-test/app",
} as const;

/** Full image references. */
export const images = {
  base: "127.0.0.1:5000/dockermate-test/base:latest",
  web: "127.0.0.1:5000/dockermate-test/web:latest",
  healthy: "127.0.0.1:5000/dockermate-test/healthy:latest",
  unhealthy: "127.0.0.1:5000/dockermate-test/unhealthy:latest",
  exits: "127.0.0.1:5000/dockermate-test/exits:latest",
  exitsLate: "127.0.0.1:5000/dockermate-test/exits-late:latest",
  ticker: "127.0.0.1:5000/dockermate-test/ticker:latest",
  app: "127.0.0.1:5000/dockermate-test/app:latest",
  appV1: "127.0.0.1:5000/dockermate-test/app:v1",
  appV2: "127.0.0.1:5000/dockermate-test/app:v2",
} as const;

export type ImageKey = keyof typeof images;
export type ImageRef = (typeof images)[ImageKey];

/** What distinguishes the two app versions. */
export const appVersions = {
  v1: {
    image: images.appV1,
    /** value of the label `org.opencontainers.image.version` */
    label: "1.0.0",
    /** content of /VERSION (plus a newline) */
    versionFile: "1.0.0",
    /** served at / */
    html: "<!doctype html><title>app v1</title><h1>app version 1.0.0</h1>",
  },
  v2: {
    image: images.appV2,
    label: "2.0.0",
    versionFile: "2.0.0",
    html: "<!doctype html><title>app v2</title><h1>app version 2.0.0</h1>",
  },
} as const;

export type AppVersion = keyof typeof appVersions;

/** Exit code and stderr line of the `exits` image. */
export const EXITS_CODE = 3;
export const EXITS_STDERR = "exits: failing on purpose with code 3";

/** Accept header for manifest requests: without all four types this registry
 * answers schema1 (another digest) or 404 for an OCI index. */
export const MANIFEST_ACCEPT = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
].join(", ");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs Debian's docker CLI against the shared daemon; never throws on a
 * non-zero exit code (check `code`). */
export async function dockerCli(args: string[]): Promise<CliResult> {
  const output = await new Deno.Command(DOCKER_BIN, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: {
      DOCKER_HOST: `unix://${DOCKER_SOCKET}`,
      DOCKER_BUILDKIT: "0",
      DOCKER_CLI_HINTS: "false",
    },
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

async function dockerOrThrow(args: string[]): Promise<CliResult> {
  const result = await dockerCli(args);
  if (result.code !== 0) {
    throw new Error(
      `docker ${args.join(" ")} failed (exit ${result.code}): ${
        result.stderr.trim() || result.stdout.trim()
      }`,
    );
  }
  return result;
}

/**
 * Makes `app:latest` point at `app:<version>` locally and pushes it to the
 * registry. Resolves to the manifest digest the registry now serves for
 * `app:latest` (`sha256:...`).
 */
export async function pushAppVersion(version: AppVersion): Promise<string> {
  await dockerOrThrow(["tag", appVersions[version].image, images.app]);
  const pushed = await dockerOrThrow(["push", images.app]);
  const match = /digest: (sha256:[0-9a-f]{64})/.exec(pushed.stdout);
  if (match === null) {
    throw new Error(`no digest in docker push output: ${pushed.stdout}`);
  }
  return match[1];
}

/**
 * Manifest digest the registry serves for `repo:tag` (`repo` as in
 * {@link repos}), or null when the tag does not exist. Needs net access to
 * 127.0.0.1:5000.
 */
export async function registryDigest(
  repo: string,
  tag: string,
): Promise<string | null> {
  const path = repo.startsWith(`${REGISTRY}/`) ? repo.slice(REGISTRY.length + 1) : repo;
  const response = await fetch(`${REGISTRY_URL}/v2/${path}/manifests/${tag}`, {
    method: "HEAD",
    headers: { Accept: MANIFEST_ACCEPT },
  });
  await response.body?.cancel();
  if (response.status === 404) return null;
  if (!response.ok) {
    throw new Error(`registry HEAD ${path}:${tag}: HTTP ${response.status}`);
  }
  return response.headers.get("docker-content-digest");
}

/**
 * Registries for the update-check tests: private `docker-registry serve` instances on free ports
 * (optionally with htpasswd Basic auth), a programmable HTTP proxy in front of a registry
 * (counting, Bearer token auth with its own token endpoint, 429s, rate-limit headers, refused
 * HEADs), and image helpers over the Engine API (build, push and pull with registry auth).
 *
 * Over 500 lines on purpose: every registry double the update-check tests need, in one place, so
 * each test file starts the one it needs.
 */
import { freePort, waitFor } from "./server.ts";
import { DOCKER_BIN, MANIFEST_ACCEPT, REGISTRY } from "../testbed/images.ts";
import { DOCKER_SOCKET, dockerSocket, TEST_LABEL } from "./docker.ts";

export { MANIFEST_ACCEPT, REGISTRY };
export const BASE_IMAGE = `${REGISTRY}/dockermate-test/base:latest`;

// ---- htpasswd without apache2-utils --------------------------------------------------------

/**
 * An htpasswd line with a bcrypt hash (what docker-registry accepts), from libcrypt: Debian's
 * libcrypt1 is an essential package, so no apache2-utils and no npm bcrypt is needed.
 */
export function htpasswdLine(user: string, password: string): string {
  const lib = Deno.dlopen("libcrypt.so.1", {
    crypt_gensalt: { parameters: ["buffer", "u64", "buffer", "i32"], result: "pointer" },
    crypt: { parameters: ["buffer", "buffer"], result: "pointer" },
  });
  try {
    const cstr = (s: string) => new TextEncoder().encode(`${s}\0`);
    const salt = lib.symbols.crypt_gensalt(cstr("$2b$"), 10n, null, 0);
    if (!salt) throw new Error("crypt_gensalt failed");
    const saltText = Deno.UnsafePointerView.getCString(salt);
    const hash = lib.symbols.crypt(cstr(password), cstr(saltText));
    if (!hash) throw new Error("crypt failed");
    return `${user}:${Deno.UnsafePointerView.getCString(hash)}`;
  } finally {
    lib.close();
  }
}

// ---- A private registry ---------------------------------------------------------------------

export type TestRegistry = {
  host: string;
  url: string;
  port: number;
  stop: () => Promise<void>;
};

/** `docker-registry serve` on a free port with its own storage (deleted at stop). */
export async function startRegistry(
  opts: { htpasswd?: string } = {},
): Promise<TestRegistry> {
  const dir = await Deno.makeTempDir({ prefix: "dockermate-registry-" });
  const port = freePort();
  const host = `127.0.0.1:${port}`;
  let auth = "";
  if (opts.htpasswd) {
    await Deno.writeTextFile(`${dir}/htpasswd`, `${opts.htpasswd}\n`);
    auth = `auth:\n  htpasswd:\n    realm: dockermate-test\n    path: ${dir}/htpasswd\n`;
  }
  await Deno.writeTextFile(
    `${dir}/config.yml`,
    `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${dir}/data
  delete:
    enabled: true
http:
  addr: ${host}
${auth}`,
  );
  const child = new Deno.Command("/usr/bin/docker-registry", {
    args: ["serve", `${dir}/config.yml`],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const collecting = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) stderr += chunk;
  })();
  const url = `http://${host}`;
  try {
    await waitFor(`the registry on ${host}`, async () => {
      const res = await fetch(`${url}/v2/`);
      await res.body?.cancel();
      return res.status === 200 || res.status === 401;
    }, 15_000);
  } catch (err) {
    child.kill("SIGKILL");
    await child.status;
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  let stopped = false;
  return {
    host,
    url,
    port,
    stop: async () => {
      if (!stopped) {
        stopped = true;
        child.kill("SIGTERM");
        await child.status;
        await collecting.catch(() => {});
      }
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

// ---- A programmable proxy in front of a registry ----------------------------------------------

export type ProxyOptions = {
  /** Require `Authorization: Bearer <token>` from a token endpoint served at /token. */
  bearer?: {
    /** When set, the token endpoint wants these Basic credentials. */
    credentials?: { username: string; password: string };
    expiresIn?: number;
    /** The token realm to announce, when not this proxy's own /token. */
    realm?: string;
  };
  /** Answer manifest requests with 429 (and this Retry-After) while `count` lasts. */
  tooMany?: { count: number; retryAfter: string };
  /** Sent on every answer, like Docker Hub's `ratelimit-remaining: 76;w=21600`. */
  rateLimitRemaining?: string;
  /** Answer HEAD of manifests with this status (404 or 405), as some registries do. */
  refuseHead?: 404 | 405;
  /**
   * Serve tag lists in pages of at most this many with `Link: <…?n=&last=>; rel="next"`, as
   * Docker Hub and ghcr.io do (distribution 2.8 pages only its catalog).
   */
  paginateTags?: number;
  /** Point the `Link` of the next tag page at this host instead of the proxy itself. */
  nextHost?: string;
};

export type Seen = { method: string; path: string; authorization: string | null };

/**
 * An HTTP proxy to a registry that records every request (for counting HEADs and GETs) and can
 * act like registries DockerMate meets elsewhere.
 */
export class RegistryProxy {
  readonly requests: Seen[] = [];
  readonly tokenRequests: { scope: string | null; service: string | null; basic: string | null }[] =
    [];
  readonly port = freePort();
  readonly host = `127.0.0.1:${this.port}`;
  #tokens = new Set<string>();
  #server: Deno.HttpServer | null = null;

  constructor(readonly target: string, public opts: ProxyOptions = {}) {}

  start(): this {
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: this.port, onListen: () => {} },
      (req) => this.#handle(req),
    );
    return this;
  }

  /** Manifest requests seen, by method. */
  manifestRequests(method: "HEAD" | "GET"): Seen[] {
    return this.requests.filter((r) => r.method === method && r.path.includes("/manifests/"));
  }

  reset(): void {
    this.requests.length = 0;
    this.tokenRequests.length = 0;
  }

  async stop(): Promise<void> {
    await this.#server?.shutdown();
    this.#server = null;
  }

  async #handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname === "/token") return this.#token(req, url);
    this.requests.push({
      method: req.method,
      path: url.pathname + url.search,
      authorization: req.headers.get("authorization"),
    });
    const extra: Record<string, string> = {};
    if (this.opts.rateLimitRemaining) extra["ratelimit-remaining"] = this.opts.rateLimitRemaining;
    if (this.opts.bearer) {
      const token = req.headers.get("authorization")?.replace(/^Bearer /, "");
      if (!token || !this.#tokens.has(token)) {
        const repo = /^\/v2\/(.+)\/(?:manifests|blobs|tags)\//.exec(url.pathname)?.[1];
        const scope = repo ? `,scope="repository:${repo}:pull"` : "";
        return new Response(JSON.stringify({ errors: [{ code: "UNAUTHORIZED" }] }), {
          status: 401,
          headers: {
            ...extra,
            "content-type": "application/json",
            "www-authenticate": `Bearer realm="${
              this.opts.bearer.realm ?? `http://${this.host}/token`
            }",service="test-registry"${scope}`,
          },
        });
      }
    }
    const manifest = url.pathname.includes("/manifests/");
    if (manifest && this.opts.tooMany && this.opts.tooMany.count > 0) {
      this.opts.tooMany.count--;
      return new Response(JSON.stringify({ errors: [{ code: "TOOMANYREQUESTS" }] }), {
        status: 429,
        headers: { ...extra, "retry-after": this.opts.tooMany.retryAfter },
      });
    }
    if (manifest && req.method === "HEAD" && this.opts.refuseHead) {
      return new Response(null, { status: this.opts.refuseHead, headers: extra });
    }
    if (this.opts.paginateTags && url.pathname.endsWith("/tags/list")) {
      return await this.#tagPage(url, this.opts.paginateTags, extra);
    }
    const headers = new Headers(req.headers);
    headers.delete("authorization");
    headers.delete("host");
    const upstream = await fetch(`http://${this.target}${url.pathname}${url.search}`, {
      method: req.method,
      headers,
      body: req.body,
      redirect: "manual",
    });
    const out = new Headers(upstream.headers);
    for (const [k, v] of Object.entries(extra)) out.set(k, v);
    // Upload locations name the registry itself; keep the client talking to the proxy.
    const location = out.get("location");
    if (location) out.set("location", location.replace(`//${this.target}`, `//${this.host}`));
    return new Response(upstream.body, { status: upstream.status, headers: out });
  }

  async #tagPage(url: URL, max: number, extra: Record<string, string>): Promise<Response> {
    const upstream = await fetch(`http://${this.target}${url.pathname}`);
    const body = await upstream.json() as { name: string; tags: string[] };
    const all = [...body.tags].sort();
    const n = Math.min(Number(url.searchParams.get("n") ?? max), max);
    const last = url.searchParams.get("last");
    const rest = last === null ? all : all.filter((t) => t > last);
    const page = rest.slice(0, n);
    const headers: Record<string, string> = { ...extra, "content-type": "application/json" };
    if (rest.length > n) {
      const origin = this.opts.nextHost ? `http://${this.opts.nextHost}` : "";
      headers.link = `<${origin}${url.pathname}?n=${n}&last=${
        encodeURIComponent(page.at(-1)!)
      }>; rel="next"`;
    }
    return new Response(JSON.stringify({ name: body.name, tags: page }), { headers });
  }

  #token(req: Request, url: URL): Response {
    const basic = req.headers.get("authorization");
    this.tokenRequests.push({
      scope: url.searchParams.get("scope"),
      service: url.searchParams.get("service"),
      basic,
    });
    const want = this.opts.bearer?.credentials;
    if (want && basic !== `Basic ${btoa(`${want.username}:${want.password}`)}`) {
      return new Response(JSON.stringify({ details: "incorrect username or password" }), {
        status: 401,
      });
    }
    if (!/^repository:[a-z0-9._/-]+:pull(?:,push)?$/.test(url.searchParams.get("scope") ?? "")) {
      return new Response(JSON.stringify({ details: "bad scope" }), { status: 400 });
    }
    const token = crypto.randomUUID();
    this.#tokens.add(token);
    return Response.json({ token, expires_in: this.opts.bearer?.expiresIn ?? 300 });
  }
}

// ---- Images over the Engine API ---------------------------------------------------------------

/** An Engine API call whose answer is a JSON-lines progress stream (build, push, pull). */
async function engineStream(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: BodyInit } = {},
): Promise<Record<string, unknown>[]> {
  const res = await fetch(`http://docker${path}`, {
    method,
    client: dockerSocket(),
    headers: init.headers,
    body: init.body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`docker ${method} ${path}: ${res.status} ${text}`);
  const lines = text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  const failed = lines.find((l) => l.error || l.errorDetail);
  if (failed) throw new Error(`docker ${method} ${path}: ${failed.error ?? failed.errorDetail}`);
  return lines;
}

function registryAuth(auth?: { username: string; password: string; server: string }): string {
  const json = auth
    ? { username: auth.username, password: auth.password, serveraddress: auth.server }
    : {};
  return btoa(JSON.stringify(json));
}

function splitRef(ref: string): { name: string; tag: string } {
  const colon = ref.lastIndexOf(":");
  return colon > ref.lastIndexOf("/")
    ? { name: ref.slice(0, colon), tag: ref.slice(colon + 1) }
    : { name: ref, tag: "latest" };
}

/**
 * Builds `dockerfile` (no context) into an image labelled with the run, tagged `ref` when given.
 * Returns the image id.
 */
export async function buildDockerfile(
  run: string,
  dockerfile: string,
  ref?: string,
): Promise<string> {
  const child = new Deno.Command(DOCKER_BIN, {
    args: ["build", "-q", "--label", `${TEST_LABEL}=${run}`, ...(ref ? ["-t", ref] : []), "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { DOCKER_HOST: `unix://${DOCKER_SOCKET}`, DOCKER_BUILDKIT: "0" },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(dockerfile));
  await writer.close();
  const out = await child.output();
  const stdout = new TextDecoder().decode(out.stdout).trim();
  if (out.code !== 0) {
    throw new Error(`docker build ${ref ?? ""}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return stdout.split("\n").at(-1)!;
}

/**
 * Builds a one-layer image from `from` (the test bed's base by default) with a distinguishing
 * label, tagged `ref` and labeled with the run. Returns the image id.
 */
export function buildImage(
  ref: string,
  run: string,
  variant: string,
  from = BASE_IMAGE,
): Promise<string> {
  return buildDockerfile(run, `FROM ${from}\nLABEL test.variant="${variant}"\n`, ref);
}

export async function tagImage(source: string, ref: string): Promise<void> {
  const { name, tag } = splitRef(ref);
  await engineStream(
    "POST",
    `/images/${encodeURIComponent(source)}/tag?repo=${encodeURIComponent(name)}&tag=${tag}`,
  );
}

/** Pushes `ref`; returns the manifest digest the registry now serves for it. */
export async function pushImage(
  ref: string,
  auth?: { username: string; password: string },
): Promise<string> {
  const { name, tag } = splitRef(ref);
  const server = name.split("/")[0];
  const lines = await engineStream(
    "POST",
    `/images/${encodeURIComponent(name)}/push?tag=${encodeURIComponent(tag)}`,
    { headers: { "X-Registry-Auth": registryAuth(auth && { ...auth, server }) } },
  );
  const digest = lines.map((l) => (l.aux as { Digest?: string } | undefined)?.Digest).find(Boolean);
  if (!digest) throw new Error(`push ${ref}: no digest in ${JSON.stringify(lines)}`);
  return digest;
}

export async function pullImage(
  ref: string,
  auth?: { username: string; password: string },
): Promise<void> {
  const { name, tag } = splitRef(ref);
  const server = name.split("/")[0];
  await engineStream(
    "POST",
    `/images/create?fromImage=${encodeURIComponent(name)}&tag=${encodeURIComponent(tag)}`,
    { headers: { "X-Registry-Auth": registryAuth(auth && { ...auth, server }) } },
  );
}

export type ImageInspect = {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
};

export async function inspectImage(ref: string): Promise<ImageInspect> {
  const res = await fetch(`http://docker/images/${encodeURIComponent(ref)}/json`, {
    client: dockerSocket(),
  });
  if (!res.ok) throw new Error(`inspect ${ref}: ${res.status} ${await res.text()}`);
  return await res.json();
}

/** Removes a tag (or an image by id); `force` also removes an image that has other tags. */
export async function removeImage(ref: string, force = false): Promise<void> {
  const res = await fetch(
    `http://docker/images/${encodeURIComponent(ref)}?force=${force ? 1 : 0}`,
    { method: "DELETE", client: dockerSocket() },
  );
  await res.body?.cancel();
}

/** Every image built or pulled by a test run (they carry its label). */
export async function removeLabeledImages(run: string): Promise<void> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${TEST_LABEL}=${run}`] }));
  const res = await fetch(`http://docker/images/json?all=1&filters=${filters}`, {
    client: dockerSocket(),
  });
  const images = await res.json() as { Id: string }[];
  for (const image of images) await removeImage(image.Id, true);
}

/** Creates a container from `image`, labeled with the run; started when `start` is set. */
export async function createContainer(
  name: string,
  image: string,
  run: string,
  start = false,
): Promise<string> {
  const res = await fetch(`http://docker/containers/create?name=${encodeURIComponent(name)}`, {
    method: "POST",
    client: dockerSocket(),
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      Image: image,
      Labels: { [TEST_LABEL]: run },
      Cmd: start ? ["sleep", "3600"] : ["true"],
      StopSignal: "SIGKILL",
    }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`create ${name}: ${res.status} ${JSON.stringify(body)}`);
  if (start) {
    const started = await fetch(`http://docker/containers/${body.Id}/start`, {
      method: "POST",
      client: dockerSocket(),
    });
    await started.body?.cancel();
    if (!started.ok) throw new Error(`start ${name}: ${started.status}`);
  }
  return body.Id;
}

/** PUTs a manifest (index, list) by hand; returns the digest the registry gives it. */
export async function putManifest(
  registryUrl: string,
  repository: string,
  reference: string,
  mediaType: string,
  body: unknown,
): Promise<string> {
  const res = await fetch(`${registryUrl}/v2/${repository}/manifests/${reference}`, {
    method: "PUT",
    headers: { "content-type": mediaType },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`PUT ${repository}:${reference}: ${res.status} ${text}`);
  return res.headers.get("docker-content-digest")!;
}

/** A manifest's digest, media type and size as the registry serves it (for an index entry). */
export async function manifestDescriptor(
  registryUrl: string,
  repository: string,
  reference: string,
): Promise<{ digest: string; mediaType: string; size: number }> {
  const res = await fetch(`${registryUrl}/v2/${repository}/manifests/${reference}`, {
    headers: { Accept: MANIFEST_ACCEPT },
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (!res.ok) throw new Error(`GET ${repository}:${reference}: ${res.status}`);
  return {
    digest: res.headers.get("docker-content-digest")!,
    mediaType: res.headers.get("content-type")!,
    size: bytes.length,
  };
}

/** Deletes a repository's tags from the shared registry (delete is enabled there). */
export async function deleteFromRegistry(
  registryUrl: string,
  repository: string,
  digests: string[],
): Promise<void> {
  for (const digest of new Set(digests)) {
    const res = await fetch(`${registryUrl}/v2/${repository}/manifests/${digest}`, {
      method: "DELETE",
    });
    await res.body?.cancel();
  }
}

/** The platform of this machine in OCI words (amd64, arm64). */
export const PLATFORM = {
  os: "linux",
  architecture: Deno.build.arch === "aarch64" ? "arm64" : "amd64",
};

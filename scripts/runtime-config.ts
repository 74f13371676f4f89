/**
 * The container image's deno.json: the project's, without the imports only development and the
 * build use (tests' browser driver, migration generator, bundler, the browser libraries that
 * scripts/vendor.ts bundles into static/vendor). `deno install` against it puts only what the
 * server loads in node_modules: the image is ~80 MB smaller.
 * Usage (Dockerfile): deno run --allow-read --allow-write scripts/runtime-config.ts FROM TO
 */
export const DEV_ONLY_IMPORTS = [
  "playwright-core",
  "drizzle-kit",
  "esbuild",
  "htmx.org",
  "@xterm/xterm",
  "@xterm/addon-fit",
  "@codemirror/state",
  "@codemirror/view",
  "@codemirror/language",
  "@codemirror/lang-yaml",
  "@codemirror/commands",
  "@codemirror/lint",
  "@lezer/highlight",
];

type DenoConfig = { imports: Record<string, string> } & Record<string, unknown>;

/** The config without the development-only imports (the rest as it is). */
export function runtimeConfig(config: DenoConfig): DenoConfig {
  const imports = Object.fromEntries(
    Object.entries(config.imports).filter(([name]) => !DEV_ONLY_IMPORTS.includes(name)),
  );
  return { ...config, imports };
}

if (import.meta.main) {
  const [from, to] = Deno.args;
  const config = JSON.parse(await Deno.readTextFile(from)) as DenoConfig;
  await Deno.writeTextFile(to, JSON.stringify(runtimeConfig(config), null, 2) + "\n");
}

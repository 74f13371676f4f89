/**
 * Copies what the browser loads from npm packages (node_modules) into static/vendor/, so the
 * browser loads them from DockerMate itself: no CDN. htmx and its SSE extension on every page;
 * xterm.js, its stylesheet and its fit addon on the console page. The copies are build outputs
 * and are not committed.
 */
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const files: Record<string, string> = {
  "htmx.min.js": "node_modules/htmx.org/dist/htmx.min.js",
  "hx-sse.min.js": "node_modules/htmx.org/dist/ext/hx-sse.min.js",
  "xterm.mjs": "node_modules/@xterm/xterm/lib/xterm.mjs",
  "xterm.css": "node_modules/@xterm/xterm/css/xterm.css",
  "addon-fit.mjs": "node_modules/@xterm/addon-fit/lib/addon-fit.mjs",
};

await Deno.mkdir(`${root}static/vendor`, { recursive: true });
for (const [name, source] of Object.entries(files)) {
  await Deno.copyFile(`${root}${source}`, `${root}static/vendor/${name}`);
}
console.log(`vendored ${Object.keys(files).join(", ")} into static/vendor/`);

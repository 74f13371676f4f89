/**
 * Copies htmx and its SSE extension from the npm package (node_modules) into static/vendor/,
 * so the browser loads them from DockerMate itself: no CDN. The copies are build outputs and
 * are not committed.
 */
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const files: Record<string, string> = {
  "htmx.min.js": "node_modules/htmx.org/dist/htmx.min.js",
  "hx-sse.min.js": "node_modules/htmx.org/dist/ext/hx-sse.min.js",
};

await Deno.mkdir(`${root}static/vendor`, { recursive: true });
for (const [name, source] of Object.entries(files)) {
  await Deno.copyFile(`${root}${source}`, `${root}static/vendor/${name}`);
}
console.log(`vendored ${Object.keys(files).join(", ")} into static/vendor/`);

/**
 * Puts the browser's third-party code into static/vendor/, so the browser loads it from
 * DockerMate itself: no CDN. The files are build outputs and are not committed.
 * - htmx and its SSE extension (every page), xterm.js with its stylesheet and fit addon (the
 *   console page), Swagger UI's bundle and stylesheet (the API page): copied from the npm packages.
 * - CodeMirror 6 (the stack editor): its packages are ES modules that import each other, so
 *   esbuild bundles the parts static/js/stack-editor.js uses into one minified ES module.
 */
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = `${root}static/vendor`;
const copies: Record<string, string> = {
  "htmx.min.js": "node_modules/htmx.org/dist/htmx.min.js",
  "hx-sse.min.js": "node_modules/htmx.org/dist/ext/hx-sse.min.js",
  "xterm.mjs": "node_modules/@xterm/xterm/lib/xterm.mjs",
  "xterm.css": "node_modules/@xterm/xterm/css/xterm.css",
  "addon-fit.mjs": "node_modules/@xterm/addon-fit/lib/addon-fit.mjs",
  "swagger-ui-bundle.js": "node_modules/swagger-ui-dist/swagger-ui-bundle.js",
  "swagger-ui.css": "node_modules/swagger-ui-dist/swagger-ui.css",
};

/** What the stack editor imports from CodeMirror: nothing else is bundled. */
const CODEMIRROR_ENTRY = `
export { EditorState } from "@codemirror/state";
export {
  drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter,
  highlightSpecialChars, keymap, lineNumbers, placeholder,
} from "@codemirror/view";
export {
  bracketMatching, foldGutter, foldKeymap, indentOnInput, syntaxHighlighting,
} from "@codemirror/language";
export { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
export { yaml } from "@codemirror/lang-yaml";
export { lintGutter, setDiagnostics } from "@codemirror/lint";
export { classHighlighter } from "@lezer/highlight";
`;

await Deno.mkdir(out, { recursive: true });
for (const [name, source] of Object.entries(copies)) {
  await Deno.copyFile(`${root}${source}`, `${out}/${name}`);
}
try {
  await esbuild.build({
    stdin: { contents: CODEMIRROR_ENTRY, resolveDir: root, loader: "js" },
    bundle: true,
    format: "esm",
    target: "es2020",
    minify: true,
    legalComments: "none",
    outfile: `${out}/codemirror.js`,
    logLevel: "warning",
  });
} finally {
  await esbuild.stop();
}
console.log(`vendored ${[...Object.keys(copies), "codemirror.js"].join(", ")} into static/vendor/`);

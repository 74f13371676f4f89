// The stack editor: turns each <textarea data-code-editor> into a CodeMirror 6 editor (YAML
// highlighting, line numbers, undo, folding) and keeps the textarea's value in step, so the
// form posts the textarea as it would without JavaScript. Problems the server found
// (elements with data-problem-line inside the box the textarea's data-problems names) become diagnostics at their
// line, as they are swapped in. CodeMirror puts its styles in <style> elements: they carry the
// page's CSP nonce, read from this script's own element (the browser hides the nonce attribute
// from the DOM, but the element's `nonce` property keeps it).
import {
  bracketMatching,
  classHighlighter,
  defaultKeymap,
  drawSelection,
  EditorState,
  EditorView,
  foldGutter,
  foldKeymap,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  history,
  historyKeymap,
  indentOnInput,
  indentWithTab,
  keymap,
  lineNumbers,
  lintGutter,
  placeholder,
  setDiagnostics,
  syntaxHighlighting,
  yaml,
} from "/static/vendor/codemirror.js";

const self = document.querySelector('script[src^="/static/js/stack-editor.js"]');
const nonce = self && self.nonce ? self.nonce : "";

/** The editors by their textarea's id. */
const editors = new Map();

function extensionsFor(textarea) {
  const language = textarea.dataset.codeEditor === "yaml" ? [yaml()] : [];
  return [
    EditorView.cspNonce.of(nonce),
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    highlightActiveLine(),
    ...(language.length ? [foldGutter(), lintGutter()] : []),
    syntaxHighlighting(classHighlighter),
    ...language,
    EditorState.tabSize.of(2),
    placeholder(textarea.placeholder || ""),
    keymap.of([...defaultKeymap, ...historyKeymap, ...foldKeymap, indentWithTab]),
    EditorView.contentAttributes.of({
      "aria-label": textarea.dataset.label || "Editor",
      // The label of the textarea describes the editor too.
      ...(textarea.getAttribute("aria-describedby")
        ? { "aria-describedby": textarea.getAttribute("aria-describedby") }
        : {}),
    }),
    EditorView.updateListener.of((update) => {
      if (!update.docChanged) return;
      textarea.value = update.state.doc.toString();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }),
  ];
}

/** The problems listed for `textarea` as CodeMirror diagnostics, each over its whole line. */
function diagnosticsFor(textarea, doc) {
  const list = textarea.dataset.problems && document.getElementById(textarea.dataset.problems);
  if (!list) return [];
  const file = textarea.dataset.file;
  const out = [];
  for (const item of list.querySelectorAll("[data-problem-line]")) {
    if ((item.dataset.problemFile || "compose") !== file) continue;
    const n = Number(item.dataset.problemLine);
    if (!Number.isInteger(n) || n < 1) continue;
    const line = doc.line(Math.min(n, doc.lines));
    const column = Number(item.dataset.problemColumn) || 1;
    const from = Math.min(line.from + column - 1, line.to);
    out.push({
      from,
      to: Math.max(line.to, from),
      severity: "error",
      message: item.dataset.problemMessage || item.textContent.trim(),
    });
  }
  return out;
}

function showProblems() {
  for (const [, { view, textarea }] of editors) {
    view.dispatch(setDiagnostics(view.state, diagnosticsFor(textarea, view.state.doc)));
  }
}

/** Moves the cursor of the editor of `file` to `line` and shows it. */
function jumpTo(file, line) {
  for (const [, { view, textarea }] of editors) {
    if (textarea.dataset.file !== file) continue;
    const target = view.state.doc.line(Math.min(Math.max(line, 1), view.state.doc.lines));
    view.dispatch({ selection: { anchor: target.from }, scrollIntoView: true });
    view.focus();
  }
}

function enhance(textarea) {
  if (editors.has(textarea.id)) return;
  const host = document.createElement("div");
  host.className = "code-editor-view";
  textarea.after(host);
  const view = new EditorView({
    parent: host,
    state: EditorState.create({ doc: textarea.value, extensions: extensionsFor(textarea) }),
  });
  textarea.closest(".code-editor")?.classList.add("enhanced");
  textarea.tabIndex = -1;
  textarea.setAttribute("aria-hidden", "true");
  editors.set(textarea.id, { view, textarea });
  // A label still focuses the editor, as it focused the textarea.
  for (const label of document.querySelectorAll(`label[for="${textarea.id}"]`)) {
    label.addEventListener("click", (e) => {
      e.preventDefault();
      view.focus();
    });
  }
}

/** Re-reads the problems whenever their box changes (htmx swaps a new list into it). */
function watchProblems() {
  const boxes = new Set(
    [...editors.values()].map(({ textarea }) => textarea.dataset.problems).filter(Boolean),
  );
  for (const id of boxes) {
    const box = document.getElementById(id);
    if (box) new MutationObserver(showProblems).observe(box, { childList: true, subtree: true });
  }
}

function start() {
  document.querySelectorAll("textarea[data-code-editor]").forEach(enhance);
  showProblems();
  watchProblems();
  document.addEventListener("click", (e) => {
    const link = e.target instanceof Element && e.target.closest("[data-jump-line]");
    if (!link) return;
    e.preventDefault();
    jumpTo(link.dataset.jumpFile || "compose", Number(link.dataset.jumpLine));
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();

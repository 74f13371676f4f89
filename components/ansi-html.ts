/**
 * A log line's text as HTML for the log viewer: escaped, with the program's SGR colours as
 * `ansi-*` classes (ansi_up, loaded on first use) and every other escape sequence gone.
 */
import { sanitize } from "../services/logs/format.ts";

/** The 16 colours ansi_up names, for mapping 256-colour and true-colour codes to a class. */
const PALETTE: [string, number, number, number][] = [
  ["black", 0, 0, 0],
  ["red", 187, 0, 0],
  ["green", 0, 187, 0],
  ["yellow", 187, 187, 0],
  ["blue", 0, 0, 187],
  ["magenta", 187, 0, 187],
  ["cyan", 0, 187, 187],
  ["white", 255, 255, 255],
  ["bright-black", 85, 85, 85],
  ["bright-red", 255, 85, 85],
  ["bright-green", 0, 255, 0],
  ["bright-yellow", 255, 255, 85],
  ["bright-blue", 85, 85, 255],
  ["bright-magenta", 255, 85, 255],
  ["bright-cyan", 85, 255, 255],
  ["bright-white", 255, 255, 255],
];

function nearestColor(r: number, g: number, b: number): string {
  let best = PALETTE[0][0];
  let bestDistance = Infinity;
  for (const [name, pr, pg, pb] of PALETTE) {
    const d = (r - pr) ** 2 + (g - pg) ** 2 + (b - pb) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = name;
    }
  }
  return best;
}

const STYLE_CLASSES: Record<string, string> = {
  "dm-b": "ansi-bold",
  "dm-f": "ansi-faint",
  "dm-i": "ansi-italic",
  "dm-u": "ansi-underline",
};

/** ansi_up's inline styles (bold & co., 256 and true colours) as classes: the CSP has no inline styles. */
function styleToClasses(style: string): string[] {
  const classes: string[] = [];
  for (const part of style.split(";")) {
    if (STYLE_CLASSES[part]) {
      classes.push(STYLE_CLASSES[part]);
      continue;
    }
    const m = /^(color|background-color):rgb\((\d+),(\d+),(\d+)\)$/.exec(part);
    if (m) {
      const name = nearestColor(Number(m[2]), Number(m[3]), Number(m[4]));
      classes.push(`ansi-${name}-${m[1] === "color" ? "fg" : "bg"}`);
    }
  }
  return classes;
}

export type AnsiUpLike = {
  use_classes: boolean;
  escape_html: boolean;
  url_allowlist: Record<string, number>;
  boldStyle: string;
  faintStyle: string;
  italicStyle: string;
  underlineStyle: string;
  ansi_to_html(text: string): string;
};

let ansiUp: Promise<AnsiUpLike> | null = null;

/** ansi_up, loaded on first use, set to escape HTML, use classes and make no links. */
export function loadAnsiUp(): Promise<AnsiUpLike> {
  ansiUp ??= import("ansi_up").then(({ AnsiUp }) => {
    const au = new AnsiUp() as unknown as AnsiUpLike;
    au.use_classes = true;
    au.escape_html = true;
    au.url_allowlist = {};
    au.boldStyle = "dm-b";
    au.faintStyle = "dm-f";
    au.italicStyle = "dm-i";
    au.underlineStyle = "dm-u";
    return au;
  });
  return ansiUp;
}

const SPAN_OPEN = /<span(?: style="([^"]*)")?(?: class="([^"]*)")?>/g;

/**
 * A line's text as HTML: escaped, SGR colours as `ansi-*` classes (never a `style`
 * attribute), every other escape or control sequence gone. Each line starts with no colour.
 */
export function ansiToHtml(au: AnsiUpLike, text: string): string {
  const clean = sanitize(text);
  if (!clean.includes("\x1b")) return escapeHtml(clean);
  // The reset after the text leaves ansi_up without colour state for the next line.
  const html = au.ansi_to_html(`${clean}\x1b[0m`);
  if (!html.includes(' style="')) return html;
  return html.replace(SPAN_OPEN, (_m, style: string | undefined, cls: string | undefined) => {
    const classes = [...(cls ? cls.split(" ") : []), ...(style ? styleToClasses(style) : [])];
    return classes.length ? `<span class="${classes.join(" ")}">` : "<span>";
  });
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#x27;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

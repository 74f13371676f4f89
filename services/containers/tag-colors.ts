/** Tag colours: constants and a pure function (no I/O), shared by the tag store and the pages. */

/** A small fixed palette: the page maps each key to a CSS class (no inline styles under CSP). */
export const TAG_COLORS = [
  "blue",
  "green",
  "amber",
  "red",
  "purple",
  "teal",
  "pink",
  "slate",
] as const;
export type TagColor = (typeof TAG_COLORS)[number];

/** The same name always gets the same color, so a tag looks alike everywhere. */
export function colorFor(name: string): TagColor {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return TAG_COLORS[h % TAG_COLORS.length];
}

/** The stored colour when it is one of the palette, else the name's own. */
export function tagColor(name: string, stored: string | undefined): TagColor {
  return (TAG_COLORS as readonly string[]).includes(stored ?? "")
    ? stored as TagColor
    : colorFor(name);
}

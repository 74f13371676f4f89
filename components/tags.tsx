import { tagColor } from "../services/containers/tag-colors.ts";

/** Tag name → its color, as stored; tags missing from it get their hashed color. */
export type TagColors = Record<string, string>;

/** One tag as a colored badge; the color is a CSS class (`tag-blue`), never an inline style. */
export function TagBadge({ name, color }: { name: string; color?: string }) {
  return <span class={`tag tag-${tagColor(name, color)}`}>{name}</span>;
}

export function TagList({ tags, colors }: { tags: string[]; colors: TagColors }) {
  if (tags.length === 0) return null;
  return (
    <span class="tag-list">
      {tags.map((t) => <TagBadge name={t} color={colors[t]} />)}
    </span>
  );
}

/** Autocomplete for tag inputs: every existing tag. */
export function TagDatalist({ id, names }: { id: string; names: string[] }) {
  return (
    <datalist id={id}>
      {names.map((n) => <option value={n}></option>)}
    </datalist>
  );
}

import type { Child } from "hono/jsx";

/**
 * A header cell: its text, or text with a class (`hide-sm` hides it on a phone), or a label
 * only screen readers get (the column of row actions).
 */
export type Column = string | { label: string; class?: string } | { srOnly: string };

function HeaderCell({ column }: { column: Column }) {
  if (typeof column === "string") return <th>{column}</th>;
  if ("srOnly" in column) {
    return (
      <th>
        <span class="sr-only">{column.srOnly}</span>
      </th>
    );
  }
  return <th {...{ class: column.class }}>{column.label}</th>;
}

/**
 * A table in its sideways-scrolling wrapper (`.table-wrap`), with one header row; the rows
 * come as children.
 */
export function DataTable(props: {
  columns: Column[];
  id?: string;
  /** Classes besides `table`. */
  class?: string;
  wrapId?: string;
  /** Classes of the wrapper besides `table-wrap`. */
  wrapClass?: string;
  /** The wrapper replaces its namesake out of band (htmx). */
  oob?: boolean;
  children: Child;
}) {
  return (
    // Spread: a precompiled attribute that is absent still leaves a space in the tag.
    <div
      {...{
        class: props.wrapClass ? `table-wrap ${props.wrapClass}` : "table-wrap",
        id: props.wrapId,
        "hx-swap-oob": props.oob ? "true" : undefined,
      }}
    >
      <table {...{ class: props.class ? `table ${props.class}` : "table", id: props.id }}>
        <thead>
          <tr>
            {props.columns.map((column) => <HeaderCell column={column} />)}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

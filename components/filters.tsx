/** Pieces of the filter bars (containers, events): a live search box and "Any …" selects. */

type HtmxAttrs = Record<string, string>;

/** A search box that re-queries 300 ms after typing stops, with the whole form. */
export function FilterSearch(
  { id, label, value, placeholder, htmx }: {
    id: string;
    label: string;
    value: string | undefined;
    placeholder: string;
    /** The form's hx-get/target/swap/push-url, repeated so that the input requests alone. */
    htmx: HtmxAttrs;
  },
) {
  return (
    <div class="field grow">
      <label for={id}>{label}</label>
      <input
        type="search"
        id={id}
        name="q"
        value={value ?? ""}
        placeholder={placeholder}
        maxlength={128}
        autocomplete="off"
        {...htmx}
        hx-include="closest form"
        hx-trigger="input changed delay:300ms"
      />
    </div>
  );
}

/** A select whose change submits the form (class `auto`), with an empty "Any …" choice. */
export function FilterSelect(
  { id, name, label, any, options, selected, wrapClass }: {
    id: string;
    name: string;
    label: string;
    any: string;
    options: readonly string[];
    selected: string | undefined;
    wrapClass?: string;
  },
) {
  return (
    <div class={wrapClass ? `field ${wrapClass}` : "field"}>
      <label for={id}>{label}</label>
      <select id={id} name={name} class="auto">
        <option value="">{any}</option>
        {options.map((o) => <option value={o} selected={selected === o}>{o}</option>)}
      </select>
    </div>
  );
}

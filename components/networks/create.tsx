import type { CreateFormValues } from "../../services/networks/schemas.ts";
import { SelectField, TextArea, TextField } from "../form-fields.tsx";
import { Alert, PageHead } from "../ui.tsx";

export type CreateErrors = Partial<Record<string, string>>;

const DRIVERS = [
  { value: "bridge", label: "bridge: containers on this host" },
  { value: "macvlan", label: "macvlan: each container on the LAN with its own MAC" },
  { value: "ipvlan", label: "ipvlan: on the LAN, sharing the host's MAC" },
];

/** The docker command the form would run, or the first problem with it. */
export function CreatePreview({ command, problem }: { command?: string; problem?: string }) {
  if (problem) return <p class="field-error" role="status">{problem}</p>;
  if (!command) return <p class="muted">Fill in a name to see the command.</p>;
  return <pre class="run-preview"><code>{command}</code></pre>;
}

function Check(
  { name, label, values, hint }: {
    name: "internal" | "attachable" | "ipv6";
    label: string;
    values: CreateFormValues;
    hint: string;
  },
) {
  const on = ["on", "true", "1"].includes(values[name] ?? "");
  return (
    <label class="check" for={`n-${name}`} title={hint}>
      <input type="checkbox" id={`n-${name}`} name={name} value="on" checked={on} />
      <span>{label}</span>
    </label>
  );
}

/**
 * The create form. `values` comes with a free private subnet (and an IPv6 one, used only when
 * the IPv6 box is ticked) already filled in; clearing the subnet lets Docker choose.
 */
export function CreateNetworkForm(
  { values, errors, preview }: {
    values: CreateFormValues;
    errors: CreateErrors;
    preview?: { command?: string; problem?: string };
  },
) {
  const field = { prefix: "n-", values, errors };
  return (
    <form
      id="network-form"
      class="card create-form"
      method="post"
      action="/networks"
      novalidate
    >
      {errors.form && <Alert kind="error">{errors.form}</Alert>}
      <div class="form-grid">
        <TextField {...field} name="name" label="Name" placeholder="backend" required />
        <SelectField {...field} name="driver" label="Driver" options={DRIVERS} />
        <TextField
          {...field}
          name="subnet"
          label="Subnet"
          placeholder="10.89.0.0/24"
          hint="Suggested: a private /24 no other network uses. Check that your LAN does not use it either; clear it to let Docker choose."
        />
        <TextField
          {...field}
          name="gateway"
          label="Gateway"
          placeholder="(the subnet's first address)"
          hint="Optional; inside the subnet."
        />
        <TextField
          {...field}
          name="ipRange"
          label="IP range"
          placeholder="10.89.0.128/25"
          hint="Optional: the part of the subnet Docker hands out; addresses outside it stay free for --ip."
        />
        <TextField
          {...field}
          name="parent"
          label="Parent interface"
          placeholder="eth0"
          hint="macvlan and ipvlan only: the host interface (eth0.10 makes VLAN 10)."
        />
      </div>
      <div class="checks">
        <Check
          name="internal"
          label="Internal (no way out)"
          values={values}
          hint="Containers reach each other but not the outside"
        />
        <Check
          name="attachable"
          label="Attachable"
          values={values}
          hint="Containers can be connected later by hand (swarm)"
        />
        <Check name="ipv6" label="IPv6" values={values} hint="Give containers IPv6 addresses too" />
      </div>
      <div class="form-grid">
        <TextField
          {...field}
          name="ipv6Subnet"
          label="IPv6 subnet"
          placeholder="fd12:3456:789a::/64"
          hint="Used when IPv6 is ticked. Suggested: a unique local /64."
        />
        <TextField
          {...field}
          name="ipv6Gateway"
          label="IPv6 gateway"
          placeholder="(the subnet's first address)"
        />
        <TextArea
          {...field}
          name="labels"
          label="Labels"
          wide
          placeholder="org.example.team=home"
          hint="KEY=VALUE lines."
        />
      </div>
      <section class="preview" aria-labelledby="preview-title">
        <h2 id="preview-title">Docker CLI</h2>
        <div
          id="network-preview"
          aria-live="polite"
          hx-post="/networks/preview"
          hx-trigger="input changed delay:300ms from:'closest form'"
          hx-swap="innerHTML"
        >
          <CreatePreview {...(preview ?? {})} />
        </div>
      </section>
      <div class="button-row">
        <button type="submit" class="btn btn-primary" id="network-submit">Create network</button>
        <a class="btn btn-ghost" href="/networks">Cancel</a>
      </div>
    </form>
  );
}

export function CreateNetworkPage(
  props: {
    values: CreateFormValues;
    errors: CreateErrors;
    preview?: { command?: string; problem?: string };
  },
) {
  return (
    <>
      <PageHead title="Create network" />
      <CreateNetworkForm {...props} />
    </>
  );
}

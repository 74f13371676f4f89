/**
 * "Create a stack from this": a compose file handed to the stack editor (`POST /stacks/new/draft`,
 * which shows it prefilled and deploys nothing). Used by the converter and a container's
 * "How to recreate" panel.
 */

/** A stack name compose accepts (`^[a-z0-9][a-z0-9_-]*$`, 63 at most) from a container's name. */
export function stackNameFrom(name: string | null | undefined): string {
  const cleaned = (name ?? "").toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^[-_]+/, "");
  return cleaned.slice(0, 63);
}

export function StackDraftForm(
  { compose, name, id }: { compose: string; name: string | null | undefined; id: string },
) {
  return (
    <form method="post" action="/stacks/new/draft" class="inline stack-draft" id={id}>
      {/* A textarea keeps the file's line breaks, which an input's value would not. */}
      <textarea name="compose" hidden>{compose}</textarea>
      <input type="hidden" name="name" value={stackNameFrom(name)} />
      <button type="submit" class="btn">Create a stack from this</button>
    </form>
  );
}

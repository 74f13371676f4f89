import { Alert, PageHead } from "../ui.tsx";
import { containerHref } from "./common.tsx";

/** Adopt: what it means, the compose note, and the two ways. */
export function AdoptPage(
  { name, id, note, own, managed, error }: {
    name: string;
    id: string;
    note: string | null;
    own: boolean;
    managed: boolean;
    error?: string;
  },
) {
  const url = containerHref(name, "/adopt");
  return (
    <>
      <PageHead title={<>Adopt {name}</>}>
        <a class="btn btn-ghost" href={`/containers/${id}`}>Back to the container</a>
      </PageHead>
      <section class="card adopt">
        {error && <Alert kind="error">{error}</Alert>}
        {own
          ? (
            <Alert kind="error">
              This is the container DockerMate itself runs in. Recreating it would stop DockerMate
              halfway through, so it cannot be adopted. Manage it from the host's shell.
            </Alert>
          )
          : managed
          ? <Alert kind="info">{name} is managed by DockerMate already.</Alert>
          : (
            <>
              <p>
                DockerMate will manage this container: it keeps its config and history, and can
                edit, update and restore it. Nothing about it changes now unless you ask.
              </p>
              {note && <Alert kind="info">{note}</Alert>}
              <form method="post" action={url}>
                <div class="field">
                  <label for="adopt-tags">Tags</label>
                  <input id="adopt-tags" name="tags" placeholder="prod, web" />
                </div>
                <label class="check">
                  <input type="checkbox" name="recreate" id="adopt-recreate" />
                  Recreate now to add DockerMate's labels at once (otherwise they are added at its
                  next recreate)
                </label>
                <div class="form-actions">
                  <button type="submit" class="btn btn-primary" id="adopt-submit">Adopt</button>
                </div>
              </form>
            </>
          )}
      </section>
    </>
  );
}

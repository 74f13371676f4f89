/** The image references containers use, once each, with their containers and image ids. */
import type { ContainerStore } from "../containers/store.ts";
import type { DockerClient } from "../docker/client.ts";
import { containerName, inspectContainer } from "../docker/containers.ts";
import { isImageId, parseReference, type Reference } from "../registry/reference.ts";
import { compareText } from "../text.ts";

/** An image reference in use and who uses it. */
export type ReferenceInUse = {
  key: string;
  containers: string[];
  imageIds: Set<string>;
  ref: Reference | null;
};

/** Reads the references from the event-kept store; remembers what it had to inspect. */
export class ReferencesInUse {
  /** Container id → the reference it was created from (read by inspect once, it never changes). */
  #configImage = new Map<string, string>();

  constructor(
    private readonly docker: DockerClient,
    private readonly store: ContainerStore,
  ) {}

  /** Every reference containers (running or stopped, managed or not) use, sorted. */
  async list(): Promise<ReferenceInUse[]> {
    if (!this.store.synced) await this.store.resync();
    const out = new Map<string, ReferenceInUse>();
    for (const c of this.store.list()) {
      let raw = c.Image;
      if (isImageId(raw)) raw = await this.#createdFrom(c.Id) ?? raw;
      let ref: Reference | null = null;
      if (!isImageId(raw)) {
        try {
          ref = parseReference(raw);
        } catch {
          // Docker accepted it, so this is a spelling this parser lacks: report it unchecked.
        }
      }
      const key = ref?.familiar ?? raw;
      const u = out.get(key) ?? { key, containers: [], imageIds: new Set(), ref };
      u.containers.push(containerName(c));
      u.imageIds.add(c.ImageID);
      out.set(key, u);
    }
    return [...out.values()].sort((a, b) => compareText(a.key, b.key));
  }

  /**
   * The reference a container was created from. Docker's list shows the image id instead once
   * the tag has moved on (after a pull), which is exactly when an update matters.
   */
  async #createdFrom(id: string): Promise<string | null> {
    const known = this.#configImage.get(id);
    if (known) return known;
    try {
      const c = await inspectContainer(this.docker, id);
      this.#configImage.set(id, c.Config.Image);
      return c.Config.Image;
    } catch {
      return null;
    }
  }
}

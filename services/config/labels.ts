/**
 * DockerMate's bookkeeping labels on the containers it manages, from which an empty database can
 * be rebuilt (DESIGN.md). Users may not set labels under the reserved prefix.
 */
export const MANAGED_LABEL = "com.dockermate.managed";
export const TAGS_LABEL = "com.dockermate.tags";
export const CREATED_AT_LABEL = "com.dockermate.created-at";
/**
 * Marks a container DockerMate made for its own use and removes again (the volume helper:
 * services/volumes/helper.ts); such a container is no user's and is left out of every list.
 */
export const HELPER_LABEL = "com.dockermate.helper";

/** True for the labels of such a helper. */
export function isHelper(labels: Record<string, string> | null | undefined): boolean {
  return labels?.[HELPER_LABEL] !== undefined;
}

/** Labels under this prefix are DockerMate's own bookkeeping; users may not set them. */
export const RESERVED_LABEL_PREFIX = "com.dockermate.";

/** Whether a container carries DockerMate's managed mark. */
export function isManaged(c: { Labels?: Record<string, string> | null }): boolean {
  return c.Labels?.[MANAGED_LABEL] === "true";
}

/** The user's labels minus reserved keys. */
export function userLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).filter(([k]) => !k.startsWith(RESERVED_LABEL_PREFIX)),
  );
}

/**
 * The labels of a new managed container: the managed mark and its tags (left out when there are
 * none); the created-at label is added when the container is made.
 */
export function newManagedLabels(tags: string[]): Record<string, string> {
  return {
    [MANAGED_LABEL]: "true",
    ...(tags.length > 0 ? { [TAGS_LABEL]: tags.join(",") } : {}),
  };
}

/**
 * A managed container's labels as a recreate writes them: the user's, plus DockerMate's with
 * the tags as they are now (tags live in the database and reach the label at each recreate).
 */
export function managedLabels(
  labels: Record<string, string>,
  tags: string[],
  createdAt: Date,
): Record<string, string> {
  const { [TAGS_LABEL]: _old, ...rest } = labels;
  return {
    ...rest,
    [MANAGED_LABEL]: "true",
    [CREATED_AT_LABEL]: labels[CREATED_AT_LABEL] ?? createdAt.toISOString(),
    ...(tags.length > 0 ? { [TAGS_LABEL]: tags.join(",") } : {}),
  };
}

import type { EventContext } from "../../components/events.tsx";
import { containerName } from "../../services/docker/containers.ts";
import type { CoreDeps } from "../../services/context.ts";

/** Names of containers that network and volume events point at (by id), for event rows. */
export function eventContext(deps: Pick<CoreDeps, "store">): EventContext {
  return {
    containerName: (id) => {
      const c = deps.store.find(id);
      return c ? containerName(c) : undefined;
    },
    now: new Date(),
  };
}

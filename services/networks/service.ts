/**
 * Networks as one object for routes: the list (./model.ts, ./read.ts), one network with its
 * address view, create / remove / connect / disconnect (./actions.ts) and prune (./prune.ts).
 */
import type { Db } from "../../db/client.ts";
import type { RequestMeta } from "../audit.ts";
import type { DockerClient } from "../docker/client.ts";
import { connect, create, disconnect, type NetworkDeps, remove } from "./actions.ts";
import type {
  Connected,
  Disconnected,
  NetworkChanged,
  NetworkCreated,
  NetworkDetail,
  NetworkPruneResult,
  NetworkRow,
  PrunePlan,
  SubnetSuggestion,
} from "./model.ts";
import { prune, prunePreview } from "./prune.ts";
import { readDetail, readRows, suggestions } from "./read.ts";
import type { ConnectInput, CreateNetworkInput, DisconnectInput, PruneFilter } from "./schemas.ts";

export class NetworkService {
  readonly #deps: NetworkDeps;

  constructor(db: Db, docker: DockerClient) {
    this.#deps = { db, docker };
  }

  list(): Promise<NetworkRow[]> {
    return readRows(this.#deps.docker);
  }

  /** By id, short id or name; with aliases, the address view and its `docker network create`. */
  get(ref: string): Promise<NetworkDetail> {
    return readDetail(this.#deps.docker, ref);
  }

  /** A free private IPv4 /24 and an IPv6 ULA /64 for a new network. */
  async suggest(): Promise<SubnetSuggestion> {
    return suggestions(await this.list());
  }

  create(input: CreateNetworkInput, meta: RequestMeta): Promise<NetworkCreated> {
    return create(this.#deps, input, meta);
  }

  remove(ref: string, meta: RequestMeta): Promise<NetworkChanged> {
    return remove(this.#deps, ref, meta);
  }

  connect(ref: string, input: ConnectInput, meta: RequestMeta): Promise<Connected> {
    return connect(this.#deps, ref, input, meta);
  }

  disconnect(
    ref: string,
    input: DisconnectInput,
    meta: RequestMeta,
  ): Promise<Disconnected> {
    return disconnect(this.#deps, ref, input, meta);
  }

  prunePreview(filter: PruneFilter): Promise<PrunePlan> {
    return prunePreview(this.#deps, filter);
  }

  prune(ids: string[], meta: RequestMeta): Promise<NetworkPruneResult> {
    return prune(this.#deps, ids, meta);
  }
}

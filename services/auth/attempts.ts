import type { Db } from "../../db/client.ts";
import { type AuditAction, countSince, recordAudit, type RequestMeta } from "../audit.ts";
import { clientKey } from "./client-ip.ts";
import { RateLimited } from "../errors.ts";

/**
 * At most `limit` failed guesses (of a password or the setup token) per client in `windowMs`.
 * Failures are counted from the audit log, so the limit survives a restart. An attempt is
 * counted before its guess is checked (`inFlight`), so a burst sent in parallel gets no more
 * guesses than a series would: check-then-act would let all of them through.
 */
export class AttemptLimiter {
  #inFlight = new Map<string, number>();
  /** The last time a refusal was audited per client: one entry a window, not one a request. */
  #auditedRefusal = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly kind: { failure: AuditAction; limited: AuditAction; what: string },
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /**
   * Runs `attempt` unless the client has used up its guesses. `attempt` must audit its own
   * failure (the `failure` action) before it throws, so that the count is right once it ends.
   */
  async guard<T>(meta: RequestMeta, attempt: () => Promise<T>): Promise<T> {
    const key = meta.client ?? clientKey(meta.ip);
    const held = (this.#inFlight.get(key) ?? 0) + 1;
    this.#inFlight.set(key, held);
    try {
      const since = new Date(Date.now() - this.windowMs);
      const failures = await countSince(this.db, this.kind.failure, key, since);
      if (failures.count + held > this.limit) await this.#refuse(key, failures.first, meta);
      return await attempt();
    } finally {
      const left = (this.#inFlight.get(key) ?? 1) - 1;
      if (left > 0) this.#inFlight.set(key, left);
      else this.#inFlight.delete(key);
    }
  }

  async #refuse(key: string, first: Date | null, meta: RequestMeta): Promise<never> {
    const now = Date.now();
    const until = (first?.getTime() ?? now) + this.windowMs;
    const retryAfter = Math.max(1, Math.ceil((until - now) / 1000));
    if ((this.#auditedRefusal.get(key) ?? 0) < now - this.windowMs) {
      this.#auditedRefusal.set(key, now);
      if (this.#auditedRefusal.size > 10_000) this.#auditedRefusal.clear();
      await recordAudit(this.db, this.kind.limited, meta, { client: key });
    }
    throw new RateLimited(
      `Too many failed ${this.kind.what} from ${key}; try again in ${
        Math.ceil(retryAfter / 60)
      } min`,
      retryAfter,
    );
  }
}

import { and, desc, eq, gt, like, lt, ne, or } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { apiTokens, sessions, users } from "../../db/schema.ts";
import { AttemptLimiter } from "./attempts.ts";
import { recordAudit, type RequestMeta } from "../audit.ts";
import { Conflict, InvalidInput, Unauthorized } from "../errors.ts";
import { identityEnded } from "./identity-ends.ts";
import { checkPassword, hashPassword, verifyPassword } from "./password.ts";
import { hashSecret, randomSecret, secretsEqual } from "./secrets.ts";
import { HostPolicy } from "./host-policy.ts";

export const ADMIN_USERNAME = "admin";
export const LOGIN_FAILURE_LIMIT = 5;
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** A session's idle expiry is written back at most this often, not on every request. */
const TOUCH_EVERY_MS = 60 * 1000;

export type SessionPolicy = {
  /** Absolute lifetime of a normal session. */
  ttlMs: number;
  /** Absolute lifetime of a "remember me" session (its cookie persists across browser restarts). */
  rememberTtlMs: number;
  /** A session unused for this long ends (normal sessions only). */
  idleMs: number;
};

export type Session = typeof sessions.$inferSelect;
export type SessionView = Omit<Session, "id"> & { id: string };

export type NewSession = { token: string; session: Session };

async function passwordOrThrow(password: string, field = "password"): Promise<void> {
  const verdict = await checkPassword(password, [ADMIN_USERNAME, "dockermate", "docker"]);
  if (!verdict.ok) throw new InvalidInput(`${field}: ${verdict.problems.join("; ")}`);
}

/** The single admin, their sessions and their password. */
export class AuthService {
  #adminKnown = false;
  #logins: AttemptLimiter;
  #setups: AttemptLimiter;
  #passwordChecks: AttemptLimiter;

  constructor(
    private readonly db: Db,
    private readonly policy: SessionPolicy,
    /** The one-time token that proves the person setting up can read the server's log. */
    readonly setupToken: string,
    /** The clock, replaceable so that tests can step over expiry times. */
    private readonly now: () => number = Date.now,
    /** The host names the server answers to; learns the one setup was reached by. */
    readonly hosts: HostPolicy = new HostPolicy(db, undefined),
  ) {
    const limiter = (kind: ConstructorParameters<typeof AttemptLimiter>[1]) =>
      new AttemptLimiter(db, kind, LOGIN_FAILURE_LIMIT, LOGIN_FAILURE_WINDOW_MS);
    this.#logins = limiter({ failure: "login.failure", limited: "login.limited", what: "logins" });
    this.#setups = limiter({
      failure: "setup.failure",
      limited: "setup.limited",
      what: "setup attempts",
    });
    // A stolen session must not become a way to guess the password either.
    this.#passwordChecks = limiter({
      failure: "password.change-failure",
      limited: "login.limited",
      what: "password checks",
    });
  }

  async hasAdmin(): Promise<boolean> {
    if (this.#adminKnown) return true;
    const row = await this.db.query.users.findFirst({ columns: { id: true } });
    this.#adminKnown = row !== undefined;
    return this.#adminKnown;
  }

  /**
   * First run: creates the admin when the setup token matches (guesses limited per client and
   * audited). `reachedAs` is the host name the browser used, allowed from then on.
   */
  async setup(
    password: string,
    setupToken: string | undefined,
    meta: RequestMeta,
    reachedAs?: string,
  ): Promise<void> {
    if (await this.hasAdmin()) throw new Conflict("DockerMate is already set up: an admin exists");
    await this.#setups.guard(meta, async () => {
      if (setupToken && secretsEqual(setupToken.trim(), this.setupToken)) return;
      await recordAudit(this.db, "setup.failure", meta, { reason: "wrong setup token" });
      throw new InvalidInput(
        "setupToken: the setup token is missing or wrong (it is printed in the server log at start)",
      );
    });
    await passwordOrThrow(password);
    const now = new Date();
    const passwordHash = await hashPassword(password);
    const inserted = await this.db.insert(users).values({
      username: ADMIN_USERNAME,
      passwordHash,
      createdAt: now,
      passwordChangedAt: now,
    }).onConflictDoNothing().returning({ id: users.id });
    if (inserted.length === 0) throw new Conflict("DockerMate is already set up: an admin exists");
    this.#adminKnown = true;
    if (reachedAs) await this.hosts.learn(reachedAs);
    await recordAudit(this.db, "setup", meta, reachedAs ? { host: reachedAs } : undefined);
  }

  /**
   * Checks the password (failures limited per client) and starts a session. `reachedAs` is
   * the host name used, kept when none was at setup (an install older than that rule).
   */
  async login(
    password: string,
    remember: boolean,
    meta: RequestMeta,
    reachedAs?: string,
  ): Promise<NewSession> {
    const user = await this.#logins.guard(meta, async () => {
      const user = await this.db.query.users.findFirst({
        where: eq(users.username, ADMIN_USERNAME),
      });
      if (user && (await verifyPassword(user.passwordHash, password))) return user;
      await recordAudit(this.db, "login.failure", meta);
      throw new Unauthorized("Wrong password");
    });
    const created = await this.#createSession(user.id, remember, meta);
    if (reachedAs) await this.hosts.learn(reachedAs);
    await recordAudit(this.db, "login.success", meta, { remember });
    return created;
  }

  async #createSession(userId: number, remember: boolean, meta: RequestMeta): Promise<NewSession> {
    const token = randomSecret();
    const now = this.now();
    const expiresAt = new Date(now + (remember ? this.policy.rememberTtlMs : this.policy.ttlMs));
    const idleExpiresAt = remember
      ? expiresAt
      : new Date(Math.min(now + this.policy.idleMs, expiresAt.getTime()));
    const [session] = await this.db.insert(sessions).values({
      id: hashSecret(token),
      userId,
      createdAt: new Date(now),
      lastSeenAt: new Date(now),
      idleExpiresAt,
      expiresAt,
      remember,
      ip: meta.ip,
      userAgent: meta.userAgent.slice(0, 512),
    }).returning();
    return { token, session };
  }

  /** Looks the cookie token up; slides the idle expiry; null when unknown or expired. */
  async validateSession(token: string): Promise<Session | null> {
    const id = hashSecret(token);
    const session = await this.db.query.sessions.findFirst({ where: eq(sessions.id, id) });
    if (!session) return null;
    const now = this.now();
    if (now >= session.expiresAt.getTime() || now >= session.idleExpiresAt.getTime()) {
      await this.db.delete(sessions).where(eq(sessions.id, id));
      return null;
    }
    if (now - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      session.lastSeenAt = new Date(now);
      if (!session.remember) {
        session.idleExpiresAt = new Date(
          Math.min(now + this.policy.idleMs, session.expiresAt.getTime()),
        );
      }
      await this.db.update(sessions)
        .set({ lastSeenAt: session.lastSeenAt, idleExpiresAt: session.idleExpiresAt })
        .where(eq(sessions.id, id));
    }
    return session;
  }

  /** True while the session exists and has not expired; never slides it (open streams). */
  async sessionAlive(id: string): Promise<boolean> {
    const s = await this.db.query.sessions.findFirst({
      where: eq(sessions.id, id),
      columns: { expiresAt: true, idleExpiresAt: true },
    });
    const now = this.now();
    return s !== undefined && now < s.expiresAt.getTime() && now < s.idleExpiresAt.getTime();
  }

  async logout(sessionId: string, meta: RequestMeta): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.id, sessionId));
    identityEnded({ kind: "session", id: sessionId });
    await recordAudit(this.db, "logout", meta);
  }

  /** Active sessions, newest first. The id shown is a prefix of the hash: enough to revoke, useless as a cookie. */
  async listSessions(): Promise<SessionView[]> {
    const now = new Date(this.now());
    await this.db.delete(sessions).where(
      or(lt(sessions.expiresAt, now), lt(sessions.idleExpiresAt, now)),
    );
    const rows = await this.db.select().from(sessions).where(gt(sessions.expiresAt, now))
      .orderBy(desc(sessions.lastSeenAt));
    return rows.map((s) => ({ ...s, id: s.id.slice(0, 16) }));
  }

  /** Ends the session whose id starts with `idPrefix` (16 hex characters, as listed). */
  async revokeSession(idPrefix: string, meta: RequestMeta): Promise<boolean> {
    if (!/^[0-9a-f]{16}$/.test(idPrefix)) return false;
    const gone = await this.db.delete(sessions).where(like(sessions.id, `${idPrefix}%`))
      .returning({ id: sessions.id });
    if (gone.length === 0) return false;
    for (const s of gone) identityEnded({ kind: "session", id: s.id });
    await recordAudit(this.db, "session.revoke", meta, { session: idPrefix });
    return true;
  }

  /**
   * Needs the current password (wrong guesses are limited and audited). With `endOthers`, every
   * other session and every API token ends: whoever changes a password because it leaked wants
   * that. Returns what was ended.
   */
  async changePassword(
    current: string,
    next: string,
    keepSessionId: string | null,
    meta: RequestMeta,
    endOthers = true,
  ): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
    const user = await this.#passwordChecks.guard(meta, async () => {
      const user = await this.db.query.users.findFirst({
        where: eq(users.username, ADMIN_USERNAME),
      });
      if (!user) throw new Unauthorized("No admin exists yet");
      if (await verifyPassword(user.passwordHash, current)) return user;
      await recordAudit(this.db, "password.change-failure", meta);
      throw new InvalidInput("currentPassword: the current password is wrong");
    });
    if (current === next) {
      throw new InvalidInput("newPassword: must differ from the current password");
    }
    await passwordOrThrow(next, "newPassword");
    await this.#setPassword(user.id, next);
    const ended = endOthers
      ? await this.#endAll(user.id, keepSessionId)
      : { sessionsEnded: 0, tokensRevoked: 0 };
    await recordAudit(this.db, "password.change", meta, ended);
    return ended;
  }

  /** The CLI's reset: no current password needed, every session and API token ends. */
  async resetPassword(next: string, meta: RequestMeta): Promise<void> {
    const user = await this.db.query.users.findFirst({ where: eq(users.username, ADMIN_USERNAME) });
    if (!user) {
      throw new InvalidInput("No admin exists yet: open DockerMate in a browser to set it up");
    }
    await passwordOrThrow(next);
    await this.#setPassword(user.id, next);
    const ended = await this.#endAll(user.id, null);
    await recordAudit(this.db, "password.reset", meta, ended);
  }

  /** Ends every session but `keep`, and every API token (the one admin owns them all). */
  async #endAll(
    userId: number,
    keep: string | null,
  ): Promise<{ sessionsEnded: number; tokensRevoked: number }> {
    const gone = await this.db.delete(sessions).where(
      keep ? and(eq(sessions.userId, userId), ne(sessions.id, keep)) : eq(sessions.userId, userId),
    ).returning({ id: sessions.id });
    const tokens = await this.db.delete(apiTokens).returning({ id: apiTokens.id });
    for (const s of gone) identityEnded({ kind: "session", id: s.id });
    for (const t of tokens) identityEnded({ kind: "token", id: t.id });
    return { sessionsEnded: gone.length, tokensRevoked: tokens.length };
  }

  async #setPassword(userId: number, password: string): Promise<void> {
    await this.db.update(users)
      .set({ passwordHash: await hashPassword(password), passwordChangedAt: new Date() })
      .where(eq(users.id, userId));
  }
}

import type { RequestMeta } from "../../services/audit.ts";
import type { Session } from "../../services/auth/sessions.ts";
import type { ApiToken } from "../../services/auth/tokens.ts";
import type { Deps } from "../../services/context.ts";

/** Who made the request: a browser session or an API token. */
export type Identity =
  | { kind: "session"; session: Session }
  | { kind: "token"; token: ApiToken };

/** Hono's per-request variables, typed for every router and middleware. */
export type AppEnv = {
  Variables: {
    deps: Deps;
    /** `host` is what the browser asked for (Host, or X-Forwarded-Host from a trusted proxy). */
    meta: RequestMeta & { client: string; secure: boolean; host: string; origin: string };
    identity: Identity | null;
    /** Set on pages that host a terminal (middleware/security-headers.ts). */
    secureHeadersNonce?: string;
  };
};

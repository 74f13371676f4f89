/**
 * What the Settings page shows, section by section, gathered from the services that own each
 * setting. The changes themselves are those services' (SystemService, AuditTrail, TagService,
 * TokenService, AuthService, ConsoleService), the same methods the JSON API calls.
 */
import type { AuditEntry, AuditTrail } from "./audit.ts";
import { cookieExposure } from "./auth/cookie-exposure.ts";
import type { AuthService, SessionView } from "./auth/sessions.ts";
import type { ConsoleService, ConsoleSettings } from "./console/service.ts";
import type { ApiToken } from "./auth/tokens.ts";
import type { TokenService } from "./auth/token-service.ts";
import type { DeletedService } from "./containers/deleted.ts";
import type { ContainerStore } from "./containers/store.ts";
import type { TagService, TagUsage } from "./containers/tags.ts";
import type { HardwareOverride } from "./host/hardware.ts";
import type { SystemProfile } from "./host/profile.ts";
import type { Retention, SystemService } from "./host/service.ts";
import type { RegistryService, RegistryView } from "./registry/credentials.ts";

/** How many audit entries the page lists. */
const AUDIT_SHOWN = 50;

/** The last run of a daily prune job. */
export type PruneRun = { ranAt: string; removed: number };

export type HardwareSettings = {
  /** Detected and effective profile with capacity; null while Docker is unreachable. */
  profile: SystemProfile | null;
  /** The stored override (nulls keep the detected values). */
  override: HardwareOverride;
};
export type RetentionSettings = Retention & { lastPrune: PruneRun | null };
export type AuditSettings = {
  entries: AuditEntry[];
  retentionDays: number;
  lastPrune: PruneRun | null;
};
export type SettingsPageData = {
  hardware: HardwareSettings;
  retention: RetentionSettings;
  audit: AuditSettings;
  tags: TagUsage[];
  registries: RegistryView[];
  sessions: SessionView[];
  tokens: ApiToken[];
  console: ConsoleSettings;
  /** Published ports the session cookie reaches over plain HTTP. */
  exposedPorts: number[];
};

/** The services the page reads from (only what it reads). */
export type SettingsSources = {
  auth: Pick<AuthService, "listSessions">;
  tokens: Pick<TokenService, "list">;
  audit: Pick<AuditTrail, "list" | "retention">;
  system: Pick<SystemService, "profileIfUp" | "hardwareOverride" | "retention">;
  deleted: Pick<DeletedService, "lastPrune">;
  tags: Pick<TagService, "usage">;
  registries: Pick<RegistryService, "list">;
  store: ContainerStore;
  consoles: Pick<ConsoleService, "settings">;
};

/** The Settings page's read side: the whole page, or one section after a change to it. */
export class SettingsService {
  /** `port` is the one this server listens on (its cookie's exposure is judged against it). */
  constructor(private readonly from: SettingsSources, private readonly port: number) {}

  /** Everything the page shows; `secure` is whether this request came over HTTPS. */
  async page(secure: boolean): Promise<SettingsPageData> {
    const [sessions, tokens, audit, hardware, retention, tags, registries, console] = await Promise
      .all([
        this.from.auth.listSessions(),
        this.from.tokens.list(),
        this.audit(),
        this.hardware(),
        this.retention(),
        this.from.tags.usage(),
        this.from.registries.list(),
        this.from.consoles.settings(),
      ]);
    const exposedPorts = cookieExposure(this.from.store, secure, this.port);
    return {
      sessions,
      tokens,
      audit,
      hardware,
      retention,
      tags,
      registries,
      console,
      exposedPorts,
    };
  }

  /** The newest audit entries, as the page lists them. */
  recentAudit(): Promise<AuditEntry[]> {
    return this.from.audit.list(AUDIT_SHOWN);
  }

  async audit(): Promise<AuditSettings> {
    const [entries, retention] = await Promise.all([
      this.recentAudit(),
      this.from.audit.retention(),
    ]);
    return { entries, ...retention };
  }

  async hardware(): Promise<HardwareSettings> {
    const [profile, override] = await Promise.all([
      this.from.system.profileIfUp(),
      this.from.system.hardwareOverride(),
    ]);
    return { profile, override };
  }

  async retention(): Promise<RetentionSettings> {
    const [retention, lastPrune] = await Promise.all([
      this.from.system.retention(),
      this.from.deleted.lastPrune(),
    ]);
    return { ...retention, lastPrune };
  }
}

import type { Child } from "hono/jsx";
import type { SessionView } from "../../services/auth/sessions.ts";
import type { ApiToken, CreatedToken } from "../../services/auth/tokens.ts";
import { ChangePasswordForm, CookieWarning, type FormErrors } from "../auth-forms.tsx";
import { AuditRetentionPanel, AuditTable, type AuditView } from "./audit.tsx";
import { BackupPanel, type BackupView } from "./backup.tsx";
import { ConsolePanel, type ConsoleView } from "./console.tsx";
import { HardwarePanel, type HardwareView } from "./hardware.tsx";
import { RegistriesPanel, type RegistriesView } from "./registries.tsx";
import { RetentionPanel, type RetentionView } from "./retention.tsx";
import { SessionsTable } from "./sessions.tsx";
import { TagsPanel, type TagsView } from "./tags.tsx";
import { TokensPanel } from "./tokens.tsx";

/** The page's sections, as its nav lists them. */
const SECTIONS = [
  { id: "hardware", label: "Hardware profile" },
  { id: "retention", label: "Deleted containers" },
  { id: "tags", label: "Tags" },
  { id: "registries", label: "Registries" },
  { id: "console", label: "Console" },
  { id: "backup", label: "Backup" },
  { id: "change-password", label: "Password" },
  { id: "api-tokens", label: "API tokens" },
  { id: "active-sessions", label: "Sessions" },
  { id: "audit-section", label: "Audit log" },
] as const;

type SettingsProps = {
  hardware: HardwareView;
  retention: RetentionView;
  tags: TagsView;
  registries: RegistriesView;
  console: ConsoleView;
  backup: BackupView;
  sessions: SessionView[];
  currentSession: string | null;
  tokens: ApiToken[];
  audit: AuditView;
  created?: CreatedToken;
  tokenErrors?: FormErrors;
  /** Published ports the session cookie reaches over plain HTTP (services/auth/cookie-exposure.ts). */
  exposedPorts: number[];
};

/** One section of the page: a card whose heading names it, reached from the nav by its id. */
function Section(
  { id, titleId, title, children }: { id: string; titleId: string; title: string; children: Child },
) {
  return (
    <section class="card settings-section" id={id} aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {children}
    </section>
  );
}

export function SettingsPage(props: SettingsProps) {
  const { sessions, currentSession, tokens, audit, created, tokenErrors } = props;
  return (
    <>
      <h1>Settings</h1>
      <CookieWarning ports={props.exposedPorts} />
      <nav class="settings-nav" aria-label="Settings sections">
        <ul>
          {SECTIONS.map((s) => (
            <li>
              <a href={`#${s.id}`}>{s.label}</a>
            </li>
          ))}
          <li>
            <a href="/settings/notifications" id="settings-notifications">
              Alerts and notifications
            </a>
          </li>
        </ul>
      </nav>
      <Section id="hardware" titleId="hardware-title" title="Hardware profile">
        <p class="section-intro muted">
          The profile sets how many containers this host should carry and how often DockerMate polls
          it.
        </p>
        <HardwarePanel view={props.hardware} />
      </Section>
      <Section id="retention" titleId="retention-title" title="Deleted containers">
        <RetentionPanel view={props.retention} />
      </Section>
      <Section id="tags" titleId="tags-title" title="Tags">
        <TagsPanel view={props.tags} />
      </Section>
      <Section id="registries" titleId="registries-title" title="Registries">
        <RegistriesPanel view={props.registries} />
      </Section>
      <Section id="console" titleId="console-title" title="Console">
        <ConsolePanel view={props.console} />
      </Section>
      <Section id="backup" titleId="backup-title" title="Backup and restore">
        <BackupPanel view={props.backup} />
      </Section>
      <div class="grid-2">
        <Section id="change-password" titleId="password-title" title="Password">
          <ChangePasswordForm errors={{}} />
        </Section>
        <Section id="api-tokens" titleId="tokens-title" title="API tokens">
          <TokensPanel tokens={tokens} created={created} errors={tokenErrors} />
          <p class="hint">
            <a href="/api-docs" id="settings-api-docs">The API: reference and curl examples</a>
          </p>
        </Section>
      </div>
      <Section id="active-sessions" titleId="sessions-title" title="Active sessions">
        <SessionsTable sessions={sessions} current={currentSession} />
      </Section>
      <Section id="audit-section" titleId="audit-title" title="Audit log">
        <AuditRetentionPanel view={audit} />
        <AuditTable entries={audit.entries} />
      </Section>
    </>
  );
}

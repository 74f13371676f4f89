import type { Child } from "hono/jsx";
import type { DockerState } from "../services/docker/client.ts";
import { DockerBanner } from "./banner.tsx";
import { AlertsBadge } from "./alerts/list.tsx";

export const NAV = [
  { key: "dashboard", href: "/", label: "Dashboard" },
  { key: "containers", href: "/containers", label: "Containers" },
  { key: "images", href: "/images", label: "Images" },
  { key: "networks", href: "/networks", label: "Networks" },
  { key: "volumes", href: "/volumes", label: "Volumes" },
  { key: "stacks", href: "/stacks", label: "Stacks" },
  { key: "templates", href: "/templates", label: "Templates" },
  { key: "events", href: "/events", label: "Events" },
  { key: "host", href: "/host", label: "Host" },
  { key: "settings", href: "/settings", label: "Settings" },
] as const;
export type NavKey = (typeof NAV)[number]["key"];

type Props = {
  title: string;
  /** The signed-in view: navigation and the Docker banner. Absent on login/setup pages. */
  app?: { active: NavKey | null; docker: DockerState; alerts?: number };
  children: Child;
};

function Head({ title }: { title: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <meta name="htmx-config" content='{"extensions":"sse"}' />
      <title>{title} · DockerMate</title>
      <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="/static/css/app.css" />
      <link rel="stylesheet" href="/static/css/containers.css" />
      <link rel="stylesheet" href="/static/css/logs.css" />
      <link rel="stylesheet" href="/static/css/dashboard.css" />
      <link rel="stylesheet" href="/static/css/images.css" />
      <link rel="stylesheet" href="/static/css/volumes.css" />
      <link rel="stylesheet" href="/static/css/networks.css" />
      <link rel="stylesheet" href="/static/css/console.css" />
      <link rel="stylesheet" href="/static/css/stacks.css" />
      <link rel="stylesheet" href="/static/css/templates.css" />
      <link rel="stylesheet" href="/static/css/alerts.css" />
      <link rel="stylesheet" href="/static/css/stats.css" />
      <script src="/static/js/app.js"></script>
      <script src="/static/vendor/htmx.min.js" defer></script>
      <script src="/static/vendor/hx-sse.min.js" defer></script>
    </head>
  );
}

function ThemeToggle() {
  return (
    <button type="button" id="theme-toggle" class="theme-toggle" title="Theme: follows the system">
      <span class="sr-only">Toggle theme</span>
      <span aria-hidden="true" class="theme-icon"></span>
    </button>
  );
}

function Nav({ active }: { active: NavKey | null }) {
  return (
    <nav class="nav" aria-label="Main">
      <ul>
        {NAV.map((item) => (
          <li>
            <a href={item.href} aria-current={item.key === active ? "page" : undefined}>
              {item.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Layout({ title, app, children }: Props) {
  return (
    <html lang="en">
      <Head title={title} />
      <body class={app ? "app" : "bare"}>
        <header class="topbar">
          <a href="/" class="brand">
            <img src="/static/favicon.svg" alt="" width="24" height="24" />
            DockerMate
          </a>
          <div class="topbar-actions">
            {app && <AlertsBadge firing={app.alerts ?? 0} />}
            <ThemeToggle />
            {app && (
              <form method="post" action="/logout" class="inline">
                <button type="submit" class="btn btn-ghost" id="logout">Log out</button>
              </form>
            )}
          </div>
        </header>
        {app && <Nav active={app.active} />}
        <main id="main" class="main">
          {app && (
            <div id="docker-status" hx-sse:connect="/live/docker-status" hx-swap="innerHTML">
              <DockerBanner state={app.docker} />
            </div>
          )}
          <div id="flash" aria-live="polite"></div>
          {children}
        </main>
        {app && (
          <footer class="site-footer muted">
            <a href="/api-docs" id="footer-api">API</a>
          </footer>
        )}
      </body>
    </html>
  );
}

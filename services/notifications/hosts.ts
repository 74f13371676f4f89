/**
 * The public notification services a channel may reach without configuration (the server runs
 * with an allow-list of hosts: scripts/permissions.ts). Self-hosted ntfy, Gotify, webhooks and
 * mail servers are added with DOCKERMATE_NOTIFY_HOSTS.
 */
export const NOTIFY_HOSTS = [
  "ntfy.sh:443",
  "discord.com:443",
  "discordapp.com:443",
  "hooks.slack.com:443",
  "api.telegram.org:443",
];

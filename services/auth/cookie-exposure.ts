import type { ContainerStore } from "../containers/store.ts";

/**
 * Host ports that containers publish, when the session cookie travels without `Secure`.
 * Browsers send a cookie to every port of the host name it was set for, so over plain HTTP
 * a web app a container publishes on this host (`http://host:8080`) receives DockerMate's
 * session cookie. Empty when served over HTTPS (the cookie is `__Host-` and Secure then) or
 * when no container publishes a port.
 */
export function cookieExposure(store: ContainerStore, secure: boolean, ownPort: number): number[] {
  if (secure) return [];
  const ports = new Set<number>();
  for (const c of store.list()) {
    for (const p of c.Ports) if (p.PublicPort && p.PublicPort !== ownPort) ports.add(p.PublicPort);
  }
  return [...ports].sort((a, b) => a - b);
}

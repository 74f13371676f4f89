/** `Deno.serve` over HTTP, or HTTPS with the certificate services/tls/load.ts found. */
import { type Config, ConfigError } from "../../config.ts";
import { log } from "../logger.ts";
import type { TlsSetup } from "./load.ts";

export function serveApp(
  cfg: Config,
  tls: TlsSetup | null,
  handler: Deno.ServeHandler,
): Deno.HttpServer {
  const scheme = tls ? "https" : "http";
  const options = {
    hostname: cfg.HOST,
    port: cfg.PORT,
    onListen: ({ hostname, port }: Deno.NetAddr) =>
      log.always(`DockerMate listening on ${scheme}://${hostname}:${port}`),
  };
  if (!tls) return Deno.serve(options, handler);
  try {
    return Deno.serve({ ...options, cert: tls.cert, key: tls.key }, handler);
  } catch (err) {
    // A key that does not match the certificate, or a format rustls refuses.
    throw new ConfigError(
      `Invalid configuration:\n  TLS_CERT/TLS_KEY: cannot serve HTTPS with them (${err})`,
    );
  }
}

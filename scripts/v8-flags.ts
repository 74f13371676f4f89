/**
 * The V8 flags the server runs with (scripts/launch.ts; bench/ spawns it the same way).
 *
 * `--max-semi-space-size=4` (MB): V8 grows the young generation's two semi-spaces up to 16 MB
 * each while requests allocate, and keeps them. `deno task bench` on 2026-12-07 (2 cores,
 * Deno 2.9.6; RSS in MB; default → 4 → 2):
 * - after a login and 1,000 dashboard loads: +35.6 → +19.6 → +24.2 over idle;
 * - 20 dashboards + 20 log streams open: 139.7 → 118.4 → 118.4; idle: 104.6 → 102.8 → 99.5;
 * - dashboard page 1.41 → 1.36 → 1.32 ms; log lines/s through SSE ÷ direct 2.23 → 2.00 →
 *   2.18 (noise);
 * - containers page (200 containers) p50, three runs each: 5.8, 6.3, 7.2 ms → 6.7, 6.8,
 *   6.9 ms → 9.1, 9.6, 10.4 ms: 2 MB scavenges too often for the big page, 4 MB does not.
 * `--single-threaded` (GC and compilers on the main thread, so no per-thread malloc arenas) cut
 * the growth over 1,000 loads to +14.8 MB but made the containers page's p99 32–38 → 52–65 ms:
 * not used. `--max-old-space-size` stays at its default: at 64–256 MB it moved idle RSS by
 * under 5 MB, and a cap turns a burst (the merged log view sorts up to 100,000 lines; the
 * password check's dictionaries take ~50 MB) into a crash.
 */
/** Kept in step with the `compile` task in deno.json, which bakes the same flag into the binaries. */
export const V8_FLAGS = ["--v8-flags=--max-semi-space-size=4"];

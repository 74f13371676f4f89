/**
 * The V8 flags the server runs with (scripts/launch.ts; bench/ spawns it the same way).
 *
 * `--max-semi-space-size=2` (MB): V8 grows the young generation's semi-spaces up to 16 MB
 * each while requests allocate, and keeps them. Measured with `deno task bench`'s load on
 * 2026-12-07 (2 cores, Deno 2.9.6, RSS in MB, same run, default → 2 MB):
 * after 1,000 dashboard loads 140 → 125 (+36 → +21 over idle); with 20 dashboards and 20
 * log streams open 148–154 → 133–136; idle 104 → 100–104; dashboard page 2.1 → 2.2 ms
 * (within noise) and log lines/s through SSE unchanged (see bench output). 1 MB saved ~2 MB
 * more but slowed pages under load; 4 MB kept ~5 MB more.
 * `--max-old-space-size` was left at its default: at 64–256 MB it moved idle RSS by under
 * 5 MB, and a cap turns a burst (the merged log view sorts up to 100,000 lines; the password
 * check's dictionaries take ~50 MB) into a crash.
 */
export const V8_FLAGS = ["--v8-flags=--max-semi-space-size=2"];

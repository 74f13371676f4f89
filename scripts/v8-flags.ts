/**
 * The V8 flags the server runs with, and the two runtime settings beside them that are about
 * memory too (scripts/launch.ts; bench/ spawns it the same way).
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
 *
 * `--no-maglev` (V8's mid-tier optimizing compiler off; Ignition, Sparkplug and TurboFan stay):
 * Maglev compiles warm functions on the compile threads, whose working memory the malloc arena of
 * those threads keeps. On 2026-12-07 (same machine, three runs each): growth over idle after a
 * login and 1,000 dashboard loads +17.6–24.8 → +12.5–14.7 MB; idle unchanged; the containers page
 * with 200 containers p50 12.8 ms either way, p99 80–86 → 65 ms. `--optimize-for-size` took idle
 * RSS down ~4.5 MB but doubled that page's p50 (12.8 → 24.4 ms): not used.
 *
 * `--no-code-cache` (Deno's cache of V8's compiled code between runs, off): with the cache, a
 * start gets back the compiled code of every function an earlier run compiled, whether this
 * run calls it or not, and Deno keeps the cache's database mapped; without it a function is
 * compiled when first called. On 2026-12-07 (busy 2-core machine, medians of five starts, same
 * session): idle RSS 88.6–89.9 → 84.5–85.2 MB; start 485–548 → 533–562 ms (`deno task bench`'s
 * start median: 376 ms); the RSS after 1,000 loads is the same (~105 MB): what the cache gave
 * at start is compiled on first use instead.
 *
 * `--expose-gc`: the server asks V8 for a memory-reducing collection once it has gone 5 s
 * without a request, after its start and after a burst (services/heap-reducer.ts); V8 otherwise
 * keeps the young generation and the old-space pages a burst grew. On 2026-12-07 (`deno task
 * bench --only=memory`, three runs before and after): idle RSS 91.3–92.5 MB a second after start
 * → 82.9–83.5 MB once quiet; after a login and 1,000 dashboard loads 102.7–106.0 MB right after
 * them → 92.4–94.5 MB once quiet. One collection takes 25–50 ms; under load the young generation
 * grows back to its 4 MB semi-spaces, so the containers page is as fast as before (p50 0.38 of
 * the raw list).
 *
 * `MALLOC_ARENA_MAX=2` (glibc): glibc gives each thread that allocates a malloc arena of its
 * own (up to 8 per core) and keeps what it freed there. V8 compiles hot functions on worker
 * threads, so after warm-up one or two such arenas hold 5–8 MB. Two arenas (the main thread's
 * and one shared by all others): growth over idle after a login and 1,000 dashboard loads 21.8
 * → 18.7 MB (medians of ten runs; RSS after the loads ~108 → ~104.5 MB); the containers page
 * with 200 containers (a stand-in daemon) was not slower. Other settings tried, growth median
 * of five: `--no-concurrent-recompilation` 14.0 MB but the page's p50 +25% and p99 ×2;
 * `MALLOC_MMAP_THRESHOLD_=8192` 15.2 MB but p50 +30%; `MALLOC_ARENA_MAX=1`, `--max-opt=2`,
 * `--concurrent-turbofan-max-threads=1`: no better or slower.
 */
/** Kept in step with the `compile` task in deno.json, which bakes the same flags into the binaries. */
export const V8_FLAGS = [
  "--v8-flags=--max-semi-space-size=4,--no-maglev,--expose-gc",
  "--no-code-cache",
];

/** Set for the server process (a compiled binary gets it from whoever starts it). */
export const SERVER_ENV = { MALLOC_ARENA_MAX: "2" };

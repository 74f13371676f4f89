import type { writer } from "../live-stream.ts";

/**
 * A list's named `refresh` event, debounced: a burst of changes (a bulk action, a prune, a
 * resync) makes one table re-fetch. `cancel` drops a pending one when the stream closes.
 */
export function debouncedRefresh(
  write: ReturnType<typeof writer>["write"],
  data: string,
  delayMs: number,
) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      write(() => ({ event: "refresh", data }));
    }, delayMs);
  };
  return { refresh, cancel: () => clearTimeout(timer) };
}

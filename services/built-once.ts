/**
 * A value built on first use and shared after (services imported lazily, the core's wiring and
 * monitoring): a build that fails is tried again by the next call, so that a passing fault (the
 * database gone a moment, say) does not stick.
 */
export type BuiltOnce<T> = {
  /** The value, built now if no build has started or the last one failed. */
  get: () => Promise<T>;
  /** The build if one has started (and not failed), without starting one. */
  started: () => Promise<T> | undefined;
};

export function builtOnce<T>(build: () => Promise<T>): BuiltOnce<T> {
  let value: Promise<T> | undefined;
  return {
    get: () => {
      if (!value) {
        const attempt = build();
        value = attempt;
        attempt.catch(() => {
          if (value === attempt) value = undefined;
        });
      }
      return value;
    },
    started: () => value,
  };
}

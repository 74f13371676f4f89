/** Leveled logging to stderr, set by LOG_LEVEL. */
const order = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof order;

let threshold: number = order.info;

export function setLogLevel(level: LogLevel): void {
  threshold = order[level];
}

function write(level: LogLevel, message: string, always = false): void {
  if (always || order[level] >= threshold) {
    console.error(`${new Date().toISOString()} ${level.toUpperCase()} ${message}`);
  }
}

export const log = {
  debug: (m: string) => write("debug", m),
  info: (m: string) => write("info", m),
  warn: (m: string) => write("warn", m),
  error: (m: string) => write("error", m),
  /** Information printed at every LOG_LEVEL (where the server listens: tools read it). */
  always: (m: string) => write("info", m, true),
};

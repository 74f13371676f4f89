/** The jobs a scheduler registers with Deno.cron, recorded instead of scheduled. */
export type RecordedJob = { name: string; schedule: string; handler: () => Promise<void> };

/** Runs `start` (startScheduler) with Deno.cron recording each job; returns what it registered. */
export function scheduledJobs(start: () => void): RecordedJob[] {
  const jobs: RecordedJob[] = [];
  const real = Object.getOwnPropertyDescriptor(Deno, "cron")!;
  Object.defineProperty(Deno, "cron", {
    configurable: true,
    value: (name: string, schedule: string, _opts: unknown, handler: RecordedJob["handler"]) => {
      jobs.push({ name, schedule, handler });
      return Promise.resolve();
    },
  });
  try {
    start();
  } finally {
    Object.defineProperty(Deno, "cron", real);
  }
  return jobs;
}

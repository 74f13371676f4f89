/**
 * Stacks in STACKS_DIR: the compose file, the `.env` (a secret: sealed or left out), the tags
 * and whether it ran. A missing stack is created and deployed as the editor's "create" does;
 * one that exists is left as it is (its files may be newer than the backup).
 */
import { z } from "zod";
import { setStackTags } from "../../containers/tags.ts";
import { AppError } from "../../errors.ts";
import { type BackupSection, type PlannedStep, skip } from "../section.ts";
import { keepSecret, openSecret } from "../secrets.ts";
import { stackNameSchema } from "../../stacks/model.ts";

const NAME = "stacks";

const stackSchema = z.object({
  name: stackNameSchema,
  compose: z.string().min(1),
  /** The `.env`, sealed; null when left out (or when the stack has none). */
  env: z.string().nullable(),
  /** Whether the stack had a `.env` at all (so a left-out one can be said to be missing). */
  hasEnv: z.boolean(),
  tags: z.array(z.string()).default([]),
  status: z.string(),
});
type BackedUpStack = z.infer<typeof stackSchema>;

export const stacksSection: BackupSection<BackedUpStack[]> = {
  name: NAME,
  schema: z.array(stackSchema),

  async export(deps, secrets) {
    const out: BackedUpStack[] = [];
    for (const s of (await deps.stacks.list()).filter((s) => s.managed)) {
      const detail = await deps.stacks.get(s.name);
      const hasEnv = detail.env.trim() !== "";
      out.push({
        name: s.name,
        compose: detail.compose,
        env: hasEnv ? await keepSecret(detail.env, `stack:${s.name}`, secrets) : null,
        hasEnv,
        tags: s.tags.map((t) => t.name),
        status: s.status,
      });
    }
    return out;
  },

  async plan(data, deps, meta) {
    const now = new Map((await deps.stacks.list()).map((s) => [s.name, s]));
    const steps: PlannedStep[] = [];
    for (const s of data) {
      if (now.has(s.name)) {
        const what = now.get(s.name)?.managed ? "exists" : "is a compose project here already";
        steps.push(skip(NAME, s.name, `${what}: left as it is`));
        continue;
      }
      const env = s.hasEnv ? await openSecret(s.env, `stack:${s.name}`) : "";
      const input = { compose: s.compose, env: env ?? "" };
      const problems = await deps.stacks.validate({ ...input, name: s.name }).catch((err) => {
        if (err instanceof AppError) return [{ message: err.message }];
        throw err;
      });
      if (problems.length > 0) {
        steps.push(skip(NAME, s.name, `its files do not check: ${problems[0].message}`));
        continue;
      }
      const envNote = !s.hasEnv
        ? ""
        : env === null
        ? s.env === null
          ? "; its .env was left out of the backup, so it starts without one"
          : "; its .env was sealed by another instance, so it starts without one"
        : " with its .env";
      steps.push({
        section: NAME,
        what: s.name,
        why: `missing: written to ${deps.stacks.dir(s.name)} and deployed${envNote}`,
        action: "create",
        apply: async () => {
          await deps.stacks.create(s.name, input, meta);
          if (s.tags.length) await setStackTags(deps.db, s.name, s.tags);
        },
      });
    }
    return steps;
  },
};

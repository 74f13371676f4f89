import type { ZxcvbnFactory, ZxcvbnResult } from "@zxcvbn-ts/core";

export const MIN_PASSWORD_LENGTH = 12;

export type PasswordVerdict = {
  ok: boolean;
  /** Why the password is refused, one sentence each; empty when ok. */
  problems: string[];
  /** 0 (very weak) to 4 (very strong), for the meter on the form. */
  score: number;
  /** Advice shown under the field. */
  hint: string;
};

type Checkers = { full: ZxcvbnFactory; runsOnly: ZxcvbnFactory };
let checkers: Promise<Checkers> | null = null;
let release: ReturnType<typeof setTimeout> | null = null;
/** The dictionaries take ~50 MB; passwords are checked rarely (setup, change), so let them go. */
const KEEP_LOADED_MS = 2 * 60 * 1000;

/** The zxcvbn dictionaries are large: load them only when a password is checked. */
function zxcvbn(): Promise<Checkers> {
  if (release !== null) clearTimeout(release);
  release = setTimeout(() => {
    checkers = null;
    release = null;
  }, KEEP_LOADED_MS);
  Deno.unrefTimer(release);
  checkers ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    return {
      full: new ZxcvbnFactory({
        translations: en.translations,
        graphs: common.adjacencyGraphs,
        dictionary: { ...common.dictionary, ...en.dictionary },
      }),
      // Without dictionaries, "123456789012" is seen as the run it is, not as a common word.
      runsOnly: new ZxcvbnFactory({ graphs: common.adjacencyGraphs, dictionary: {} }),
    };
  })();
  return checkers;
}

const runPatterns = new Set(["spatial", "sequence", "repeat"]);

/** True when the whole password is made of keyboard walks, number/letter runs and repeats. */
function isOnlyRuns(result: ZxcvbnResult): boolean {
  return result.sequence.every((m) => runPatterns.has(m.pattern));
}

/** True when a common password (or a l33t/reversed form of one) makes up most of it. */
function isCommon(result: ZxcvbnResult, length: number): boolean {
  return result.sequence.some((m) =>
    m.pattern === "dictionary" && "dictionaryName" in m &&
    m.dictionaryName === "passwords-common" && m.token.length >= length * 0.6
  );
}

/** The password policy: length, no single repeated character, no runs, not common, not guessable. */
export async function checkPassword(
  password: string,
  userInputs: string[] = [],
): Promise<PasswordVerdict> {
  const problems: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) {
    problems.push(`must be at least ${MIN_PASSWORD_LENGTH} characters (it has ${password.length})`);
  }
  if (password.length > 0 && /^(.)\1*$/su.test(password)) {
    problems.push("must not be one character repeated");
  }
  const { full, runsOnly } = await zxcvbn();
  const checked = password.slice(0, 256);
  const result = full.check(checked, userInputs);
  if (password.length > 0 && problems.length === 0) {
    if (isOnlyRuns(runsOnly.check(checked))) problems.push("must not be a keyboard or number run");
    else if (isCommon(result, password.length)) problems.push("is a commonly used password");
    else if (result.score < 3) problems.push("is too easy to guess");
  }
  const advice = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean);
  return {
    ok: problems.length === 0,
    problems,
    score: result.score,
    hint: advice.join(" ") ||
      "Long passphrases of unrelated words are strong and easy to remember.",
  };
}

/**
 * zxcvbn's cost grows fast with length on keyboard walks and repeats (a 256-character input
 * blocked the event loop for up to 1.7 s; 64 characters still take hundreds of ms), so the
 * public meter checks at most this many characters; setting a password runs the full check.
 */
export const PREVIEW_MAX = 32;

/** The meter's verdict while typing: the first PREVIEW_MAX characters, said so in the hint. */
export async function previewPassword(
  password: string,
  userInputs: string[] = [],
): Promise<PasswordVerdict> {
  if (password.length <= PREVIEW_MAX) return await checkPassword(password, userInputs);
  const verdict = await checkPassword(password.slice(0, PREVIEW_MAX), userInputs);
  return {
    ...verdict,
    hint: `The first ${PREVIEW_MAX} characters were checked here; the whole password is ` +
      `checked when you save it.`,
  };
}

/** The native argon2 addon is loaded on the first login, not at start (memory). */
const argon2 = () => import("@node-rs/argon2");

/** argon2id with OWASP's minimum (m=19 MiB, t=2, p=1). */
export async function hashPassword(password: string): Promise<string> {
  return (await argon2()).hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  return (await argon2()).verify(hashed, password).catch(() => false);
}

/**
 * Shell words both ways: quoting an argument so a printed command pastes into a shell and does
 * exactly that, whatever the values hold, and splitting a command line typed in the form into
 * its argv. Pure.
 */
import { InvalidInput } from "../errors.ts";

/**
 * Words every POSIX shell and zsh read literally. Other words are quoted by shell-quote's rules
 * (below), which backslash-escape `:` `=` `@` `,` too (`nginx\:1.27`): safe but hard to read, so
 * plain words are left as they are. A leading `=` is excluded because zsh expands `=cmd`.
 */
const PLAIN_WORD = /^[A-Za-z0-9_/.:,@%+-][A-Za-z0-9_/.:=,@%+-]*$/;

/**
 * shell-quote's `quote` for one word (quote.js, 1.12), written out so the commands every page
 * prints do not load the package: single quotes where they can hold the word, double quotes
 * (with `"` `\` `$` and backtick escaped) around a `'`, and backslashes before each special
 * character of a word without spaces or quotes. `'` with `!` is spliced, since bash expands `!`
 * inside double quotes.
 */
function quoteWord(s: string): string {
  if (s === "") return "''";
  if (s.includes("'") && s.includes("!")) return `'${s.replaceAll("'", `'"'"'`)}'`;
  if (/["\s\\]/.test(s) && !s.includes("'")) return `'${s}'`;
  if (/["'\s]/.test(s)) return `"${s.replace(/(["\\$`])/g, "\\$1")}"`;
  return s.replace(/([A-Za-z]:)?([#!"$&'()*,:;<=>?@[\\\]^`{|}~])/g, "$1\\$2");
}

/** One argument, quoted when it holds anything a shell would interpret. */
export function shellArg(arg: string): string {
  return PLAIN_WORD.test(arg) ? arg : quoteWord(arg);
}

export function shellJoin(args: string[]): string {
  return args.map(shellArg).join(" ");
}

type ShellQuote = typeof import("shell-quote");
let shellQuote: Promise<ShellQuote> | undefined;

/** shell-quote's parser, loaded at the first command line a user types. */
function loadShellQuote(): Promise<ShellQuote> {
  return shellQuote ??= import("shell-quote");
}

function fail(message: string): never {
  throw new InvalidInput(message);
}

/** The quote left open at the end of a command line, if any (backslashes escape outside '…'). */
function openQuote(text: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
    } else if (c === "\\") {
      i++;
    } else if (c === quote) {
      quote = undefined;
    } else if (quote === undefined && (c === "'" || c === '"')) {
      quote = c;
    }
  }
  return quote;
}

/**
 * shell-quote closes an open quote silently and throws a plain Error on `${}`; a shell would
 * refuse both, and it is the user's input, so both become a 400.
 */
async function splitShellWords(input: string, onVariable?: (name: string) => void) {
  // A pasted multi-line command ends its lines with `\`; the shell drops those, shell-quote not.
  const text = input.replace(/(?<!\\)((?:\\\\)*)\\\r?\n/g, "$1");
  const quote = openQuote(text);
  if (quote) fail(`has an unclosed ${quote} quote`);
  const { parse } = await loadShellQuote();
  try {
    return parse(text, (key) => {
      if (key === "") return "$";
      onVariable?.(key);
      return `\${${key}}`;
    });
  } catch (e) {
    return fail(`is not a valid command line (${(e as Error).message})`);
  }
}

/**
 * A command line typed in the form, split like a shell would, but nothing is run by a shell
 * (Docker execs the argv), so pipes, redirects and comments are refused rather than silently
 * becoming literal arguments. `$VAR` is kept as text (`${VAR}`): there is no host shell to expand
 * it; `onVariable` hears each name, so a caller can say so.
 */
export async function parseCommandLine(
  text: string,
  onVariable?: (name: string) => void,
): Promise<string[]> {
  return (await splitShellWords(text, onVariable)).map((e) => {
    if (typeof e === "string") return e;
    if ("comment" in e) return fail("# starts a shell comment; quote it ('#') to pass it on");
    if (e.op === "glob") return e.pattern;
    return fail(
      `uses the shell operator ${e.op}, but Docker runs the command without a shell; ` +
        `write sh -c '…' to use pipes or redirects`,
    );
  });
}

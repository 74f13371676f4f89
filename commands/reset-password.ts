import { createDeps } from "../services/wiring.ts";
import { loadConfig } from "../config.ts";
import { InvalidInput } from "../services/errors.ts";

/** Reads one line from the terminal without echoing it. */
async function readHidden(question: string): Promise<string> {
  const enc = new TextEncoder();
  await Deno.stdout.write(enc.encode(question));
  Deno.stdin.setRaw(true);
  const chars: string[] = [];
  const buf = new Uint8Array(1);
  try {
    while (true) {
      const n = await Deno.stdin.read(buf);
      if (n === null) break;
      const ch = buf[0];
      if (ch === 3) throw new Error("Cancelled");
      if (ch === 13 || ch === 10) break;
      if (ch === 127 || ch === 8) chars.pop();
      else chars.push(String.fromCharCode(ch));
    }
  } finally {
    Deno.stdin.setRaw(false);
    await Deno.stdout.write(enc.encode("\n"));
  }
  return new TextDecoder().decode(new Uint8Array(chars.map((c) => c.charCodeAt(0))));
}

/** Reads the new password from a pipe: the first line, and the second must match if given. */
async function readPiped(): Promise<string> {
  const text = await new Response(Deno.stdin.readable).text();
  const [first = "", second] = text.split(/\r?\n/);
  if (second !== undefined && second !== "" && second !== first) {
    throw new InvalidInput("password: the two lines on standard input differ");
  }
  return first;
}

/**
 * `deno task reset-password`: sets a new admin password from the host's shell (never over
 * HTTP), ends every session and API token and writes the audit log.
 */
export async function resetPasswordCommand(_args: string[]): Promise<void> {
  const cfg = loadConfig();
  let password: string;
  if (Deno.stdin.isTerminal()) {
    password = await readHidden("New admin password: ");
    const again = await readHidden("Repeat it: ");
    if (password !== again) {
      console.error("The two passwords differ; nothing changed.");
      Deno.exit(1);
    }
  } else {
    password = await readPiped();
  }
  const deps = await createDeps(cfg);
  try {
    await deps.auth.resetPassword(password, {
      ip: "cli",
      userAgent: "deno task reset-password",
      actor: "cli",
    });
  } catch (err) {
    if (err instanceof InvalidInput) {
      console.error(`Password not changed: ${err.message}`);
      Deno.exit(1);
    }
    throw err;
  }
  console.log(
    "Password reset. Every session and API token has been ended; log in again with the new " +
      "password.",
  );
}

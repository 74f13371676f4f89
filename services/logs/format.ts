/**
 * Docker's log format, piece by piece: the 8-byte-framed multiplexing of non-TTY containers
 * (decoded incrementally, as a stream delivers it), lines (joined across chunks and frames,
 * capped in length), the timestamp Docker puts before each message, and text that is safe
 * to show (UTF-8 with replacement, no control characters but SGR colour codes).
 *
 * Everything in a log is written by the container, so by whoever controls it: nothing here
 * trusts it to be text, to be short or to end.
 */
export type LogStreamName = "stdout" | "stderr";

export type LogLine = { stream: LogStreamName; text: string };

/** One line of a container's log; `ts` is Docker's RFC 3339 time with 9 fraction digits. */
export type LogEntry = { stream: LogStreamName; text: string; ts?: string };

/** Longest line kept, in UTF-16 code units; the rest is counted and replaced by a marker. */
export const MAX_LINE_CHARS = 16 * 1024;

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*(\x07|\x1b\\)/g;

/** Removes terminal color and control sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/**
 * Any escape sequence (CSI, OSC up to BEL or ST, other two-byte ESC sequences, a lone ESC) or
 * control character other than tab. SGR sequences (`ESC [ … m`, colours) are matched too and
 * put back by `sanitize`.
 */
const CONTROL =
  // deno-lint-ignore no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\|$)|\x1b[PX^_][^\x1b]*(?:\x1b\\|$)|\x1b[ -/]*[0-~]?|[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f-\x9f]/g;
// deno-lint-ignore no-control-regex
const NEEDS_CLEANING = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;
// deno-lint-ignore no-control-regex
const SGR = /^\x1b\[[0-9;:]*m$/;

/**
 * Text that is safe to render: every control character and escape sequence is removed except
 * SGR colour codes (which ansi_up turns into classes) and tabs. Carriage returns in the middle
 * of a line go too: a terminal would let them hide what came before, a log viewer must not.
 */
export function sanitize(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  return text.replace(CONTROL, (m) => (SGR.test(m) ? m : ""));
}

const TS_MAX = 40;
const TS_PATTERN = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;

/** One piece of a frame's payload; `start` when it is the first piece of its frame. */
export type FramePiece = { stream: LogStreamName; bytes: Uint8Array; start: boolean };

/**
 * Splits Docker's multiplexed stream (frames of an 8-byte header `stream, 0, 0, 0, size
 * (uint32 big-endian)` and a payload) incrementally: a header or a payload may arrive split
 * across any number of chunks. Stream 0 (stdin) counts as stdout, 3 (the daemon's own errors)
 * as stderr. When the first header is not a frame header at all, the stream is taken to be
 * raw text (a TTY container mistaken for a non-TTY one) and passed through as stdout.
 */
export class FrameDemuxer {
  #header = new Uint8Array(8);
  #headerLength = 0;
  #left = 0;
  #stream: LogStreamName = "stdout";
  #frameStart = false;
  #checked = false;
  #raw = false;

  /** True once the stream turned out not to be framed. */
  get raw(): boolean {
    return this.#raw;
  }

  push(chunk: Uint8Array): FramePiece[] {
    const out: FramePiece[] = [];
    if (this.#raw) {
      if (chunk.length) out.push({ stream: "stdout", bytes: chunk, start: false });
      return out;
    }
    let i = 0;
    while (i < chunk.length) {
      if (this.#left === 0) {
        const before = this.#headerLength;
        const take = Math.min(8 - before, chunk.length - i);
        this.#header.set(chunk.subarray(i, i + take), before);
        this.#headerLength += take;
        if (!this.#checked && !this.#plausible()) {
          // Not a frame header: the stream is raw text from its first byte (which is the
          // first byte of this header, so `i` is 0 here).
          this.#raw = true;
          if (before) {
            out.push({ stream: "stdout", bytes: this.#header.slice(0, before), start: false });
          }
          out.push({ stream: "stdout", bytes: chunk, start: false });
          return out;
        }
        i += take;
        if (this.#headerLength < 8) break;
        this.#checked = true;
        this.#headerLength = 0;
        const h = this.#header;
        this.#stream = h[0] === 2 || h[0] === 3 ? "stderr" : "stdout";
        this.#left = h[4] * 0x1000000 + (h[5] << 16) + (h[6] << 8) + h[7];
        this.#frameStart = true;
        continue;
      }
      const take = Math.min(this.#left, chunk.length - i);
      out.push({
        stream: this.#stream,
        bytes: chunk.subarray(i, i + take),
        start: this.#frameStart,
      });
      this.#frameStart = false;
      this.#left -= take;
      i += take;
    }
    return out;
  }

  /** What has been read of the first header looks like a frame header. */
  #plausible(): boolean {
    const h = this.#header;
    const n = this.#headerLength;
    if (n >= 1 && h[0] > 3) return false;
    for (let k = 1; k < Math.min(n, 4); k++) if (h[k] !== 0) return false;
    return true;
  }
}

const latin1 = new TextDecoder("latin1");

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * Turns the bytes of one stream (stdout or stderr) into lines: splits on `\n` (and drops the
 * `\r` of `\r\n`), joins lines that arrive in pieces, takes Docker's timestamp off the front
 * (at every frame start when framed, at every line start when raw), decodes UTF-8 with
 * replacement characters, caps the length and sanitizes the text.
 */
export class LineAssembler {
  #decoder = new TextDecoder("utf-8");
  #parts: string[] = [];
  #length = 0;
  #dropped = 0;
  #empty = true;
  #ts: string | undefined;
  #tsPending: boolean;
  #tsBytes: Uint8Array[] = [];
  #tsLength = 0;
  readonly #max: number;

  /**
   * `framed`: the bytes come from frames, one message (with its own timestamp) each.
   * `timestamps`: Docker was asked to prefix messages with their time.
   */
  constructor(
    readonly stream: LogStreamName,
    readonly opts: { framed: boolean; timestamps: boolean; maxChars?: number },
  ) {
    this.#tsPending = opts.timestamps && !opts.framed;
    this.#max = opts.maxChars ?? MAX_LINE_CHARS;
  }

  push(bytes: Uint8Array, frameStart: boolean, out: LogEntry[]): void {
    if (frameStart && this.opts.framed && this.opts.timestamps) this.#tsPending = true;
    let i = 0;
    while (i < bytes.length) {
      if (this.#tsPending) {
        const room = TS_MAX - this.#tsLength;
        const limit = Math.min(bytes.length, i + room);
        let j = i;
        while (j < limit && bytes[j] !== 0x20 && bytes[j] !== 0x0a) j++;
        if (j > i) {
          this.#tsBytes.push(bytes.subarray(i, j));
          this.#tsLength += j - i;
        }
        if (j < limit && bytes[j] === 0x20) {
          this.#timestamp();
          i = j + 1;
        } else if (j < limit || this.#tsLength >= TS_MAX) {
          // A newline, or too long for a time: there was no timestamp; what was read is text.
          this.#notATimestamp();
          i = j;
        } else {
          return; // the chunk ended inside the timestamp
        }
        continue;
      }
      const nl = bytes.indexOf(0x0a, i);
      const end = nl < 0 ? bytes.length : nl;
      if (end > i) this.#append(bytes.subarray(i, end));
      if (nl < 0) return;
      this.#finish(out);
      i = nl + 1;
      if (this.opts.timestamps && !this.opts.framed) this.#tsPending = true;
    }
  }

  /** The last line when it did not end with a newline. */
  flush(out: LogEntry[]): void {
    if (this.#tsLength) this.#notATimestamp();
    this.#tsPending = false;
    if (!this.#empty) this.#finish(out);
  }

  #timestamp(): void {
    const ts = this.#tsBytes.map((b) => latin1.decode(b)).join("");
    if (!TS_PATTERN.test(ts)) {
      this.#tsBytes.push(SPACE);
      this.#notATimestamp();
      return;
    }
    this.#tsBytes = [];
    this.#tsLength = 0;
    this.#tsPending = false;
    // A frame that continues a line (a message longer than Docker's 16 KiB, sent in parts)
    // has a timestamp of its own; the line keeps its first.
    if (this.#empty) this.#ts = ts;
  }

  #notATimestamp(): void {
    const pieces = this.#tsBytes;
    this.#tsBytes = [];
    this.#tsLength = 0;
    this.#tsPending = false;
    for (const p of pieces) this.#append(p);
  }

  #append(bytes: Uint8Array): void {
    this.#empty = false;
    if (this.#length >= this.#max) {
      this.#dropped += bytes.length;
      return;
    }
    this.#appendText(this.#decoder.decode(bytes, { stream: true }));
  }

  #appendText(text: string): void {
    if (this.#length + text.length > this.#max) {
      const keep = this.#max - this.#length;
      this.#dropped += utf8Length(text.slice(keep));
      text = text.slice(0, keep);
    }
    this.#parts.push(text);
    this.#length += text.length;
  }

  #finish(out: LogEntry[]): void {
    const rest = this.#decoder.decode();
    if (rest) this.#appendText(rest);
    let text = this.#parts.length === 1 ? this.#parts[0] : this.#parts.join("");
    if (text.endsWith("\r")) text = text.slice(0, -1);
    text = sanitize(text);
    if (this.#dropped > 0) text += ` … [line cut: ${this.#dropped} more bytes]`;
    const entry: LogEntry = { stream: this.stream, text };
    if (this.#ts) entry.ts = this.#ts;
    out.push(entry);
    this.#parts = [];
    this.#length = 0;
    this.#dropped = 0;
    this.#empty = true;
    this.#ts = undefined;
  }
}

const SPACE = new Uint8Array([0x20]);

/**
 * Bytes of a log stream in, lines out, chunk by chunk. Non-TTY streams are demultiplexed
 * (stdout and stderr each keep their own partial line); TTY streams are raw stdout.
 */
export class LogDecoder {
  #demuxer: FrameDemuxer | null;
  #framed: LineAssembler[];
  #raw: LineAssembler;

  constructor(tty: boolean, readonly timestamps: boolean, maxChars?: number) {
    this.#demuxer = tty ? null : new FrameDemuxer();
    const opts = { framed: true, timestamps, maxChars };
    this.#framed = [new LineAssembler("stdout", opts), new LineAssembler("stderr", opts)];
    this.#raw = new LineAssembler("stdout", { framed: false, timestamps, maxChars });
  }

  push(chunk: Uint8Array, out: LogEntry[] = []): LogEntry[] {
    if (!this.#demuxer) {
      this.#raw.push(chunk, false, out);
      return out;
    }
    for (const piece of this.#demuxer.push(chunk)) {
      if (this.#demuxer.raw) this.#raw.push(piece.bytes, false, out);
      else this.#framed[piece.stream === "stderr" ? 1 : 0].push(piece.bytes, piece.start, out);
    }
    return out;
  }

  end(out: LogEntry[] = []): LogEntry[] {
    for (const a of [...this.#framed, this.#raw]) a.flush(out);
    return out;
  }
}

/**
 * Splits Docker's multiplexed log format (8-byte frame headers: stream, 0, 0, 0, size) into
 * stdout and stderr lines. A TTY container's logs are raw text with no frames.
 */
export function demux(bytes: Uint8Array, tty: boolean): LogLine[] {
  const decoder = new LogDecoder(tty, false);
  const out = decoder.push(bytes);
  decoder.end(out);
  return out.map(({ stream, text }) => ({ stream, text }));
}

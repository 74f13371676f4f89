/** Reading the Engine API's newline-delimited JSON streams (events, pull progress). */

/** Splits a byte stream into lines, joining lines that arrive split across chunks. */
export async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of body.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) yield line;
    }
  }
  if (buffer.trim()) yield buffer.trim();
}

/** The JSON messages of a stream, one a line; a line that is not JSON is skipped. */
export async function* jsonLines<T>(body: ReadableStream<Uint8Array>): AsyncGenerator<T> {
  for await (const line of lines(body)) {
    let message: T;
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    yield message;
  }
}

/**
 * Text lines from a stream of byte or string chunks (UTF-8, '\n' or '\r\n' line ends), decoded
 * chunk by chunk so a large file is never held whole. Used by `data.csv` for files and URLs.
 */

/** Lines of the text made of `chunks`, without their line ends (a final line without '\n' included). */
export async function* linesFromChunks(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  for await (const chunk of chunks) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let nl = rest.indexOf('\n');
    let start = 0;
    while (nl >= 0) {
      let line = rest.slice(start, nl);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      yield line;
      start = nl + 1;
      nl = rest.indexOf('\n', start);
    }
    rest = rest.slice(start);
  }
  rest += decoder.decode();
  if (rest.endsWith('\r')) rest = rest.slice(0, -1);
  if (rest.length > 0) yield rest;
}

/** The chunks of a `fetch` response body (streamed when the platform gives a reader). */
export async function* responseChunks(url: string, init?: RequestInit): AsyncGenerator<Uint8Array | string> {
  const f = (globalThis as { fetch?: typeof fetch }).fetch;
  if (typeof f !== 'function') throw new Error(`data.csv: cannot read '${url}': no fetch() on this platform.`);
  const response = await f(url, init);
  if (!response.ok) throw new Error(`data.csv: fetching '${url}' failed with HTTP status ${response.status}.`);
  const body = response.body as ReadableStream<Uint8Array> | null;
  if (body && typeof body.getReader === 'function') {
    const reader = body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  }
  yield await response.text();
}

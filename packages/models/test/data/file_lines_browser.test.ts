/** file_lines.browser.ts (data.csv's line source in the browser build): same exports; file paths reject, URLs are fetched and streamed. */
import * as browserLines from '../../src/data/file_lines.browser';
import * as nodeLines from '../../src/data/file_lines';

describe('data.csv line source of the browser build', () => {
  it('has the exports of the Node source', () => {
    expect(Object.keys(browserLines).sort()).toEqual(Object.keys(nodeLines).sort());
  });

  it('rejects file:// and streams a fetched body in chunks split mid-line', async () => {
    await expect(browserLines.readLines('file:///tmp/a.csv').next()).rejects.toThrow(
      /reading the file 'file:\/\/\/tmp\/a.csv' needs Node.js/,
    );
    const chunks = ['a,b\r\n1,', '2\n3,4', '\n5,6'].map((s) => new TextEncoder().encode(s));
    const g = globalThis as { fetch?: unknown };
    const saved = g.fetch;
    g.fetch = async () => ({
      ok: true,
      status: 200,
      body: {
        getReader: () => {
          let i = 0;
          return { read: async () => (i < chunks.length ? { value: chunks[i++], done: false } : { value: undefined, done: true }) };
        },
      },
    });
    try {
      const lines: string[] = [];
      for await (const l of browserLines.readLines('data/table.csv')) lines.push(l);
      expect(lines).toEqual(['a,b', '1,2', '3,4', '5,6']);
    } finally {
      g.fetch = saved;
    }
  });
});

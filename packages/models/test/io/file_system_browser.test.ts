/**
 * file_system.browser.ts, the `file://` handler of the browser build (dist/index.browser.mjs): the real
 * handler's argument checks, and save/load reject with the "needs Node.js" error.
 */
import * as browserFs from '../../src/io/file_system.browser';
import * as nodeFs from '../../src/io/file_system';

describe('file:// in the browser build', () => {
  it('has the exports of the Node handler', () => {
    expect(Object.keys(browserFs).sort()).toEqual(Object.keys(nodeFs).sort());
    expect(browserFs.FILE_URL_SCHEME).toBe('file://');
  });

  it('checks its arguments as the Node handler does', () => {
    for (const fileSystem of [browserFs.fileSystem, nodeFs.fileSystem]) {
      expect(() => fileSystem('')).toThrow('fileSystem: expected a non-empty path, received "".');
      expect(() => fileSystem('/tmp/m', { weightsFileName: 'a/b.bin' })).toThrow(
        "fileSystem: weightsFileName must be a plain file name, received 'a/b.bin'.",
      );
    }
  });

  it('save and load reject: file:// needs Node.js', async () => {
    const handler = browserFs.fileSystemRouter('file:///tmp/model')!;
    const message = (m: string) =>
      `fileSystem('/tmp/model').${m}: file:// needs Node.js (fs); in a browser use localstorage://, indexeddb://, downloads:// or http(s)://.`;
    await expect(handler.load!()).rejects.toThrow(message('load'));
    await expect(handler.save!({ modelTopology: {} })).rejects.toThrow(message('save'));
    await expect(handler.save!({ modelTopology: {} })).rejects.toThrow("recurrent's browser build");
    expect(browserFs.fileSystemRouter('http://x/model.json')).toBeNull();
  });
});

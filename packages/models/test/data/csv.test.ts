/** data.csv over files (Node streams) against tfjs's parsing rules, and ragged rows. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { data } from '../../src/data';
import { splitCsvLine } from '../../src/data/csv';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

describe('data.csv', () => {
  test('rows are objects of numbers and strings; label columns give {xs, ys}', async () => {
    const p = write('a.csv', 'a,b,label,name\r\n1,2.5,0,x\n3,,1,"y, z"\n');
    expect(await data.csv(p).toArray()).toEqual([
      { a: 1, b: 2.5, label: 0, name: 'x' },
      { a: 3, b: undefined, label: 1, name: 'y, z' },
    ]);
    const ds = data.csv(`file://${p}`, { columnConfigs: { label: { isLabel: true, dtype: 'int32' }, b: { default: -1 } } });
    expect(await ds.columnNames()).toEqual(['a', 'b', 'label', 'name']);
    expect(await ds.toArray()).toEqual([
      { xs: { a: 1, b: 2.5, name: 'x' }, ys: { label: 0 } },
      { xs: { a: 3, b: -1, name: 'y, z' }, ys: { label: 1 } },
    ]);
  });

  test('the same rows as tf.data.csv for the same file and configs', async () => {
    const p = write('parity.csv', 'a,b,label,name\n1,2.5,0,x\n3,,1,"y, z"\n4,5,true,w\n-2,1e3,0,v\n');
    const configs: any[] = [
      {},
      { columnConfigs: { label: { isLabel: true, dtype: 'bool' } } },
      { columnConfigs: { a: { dtype: 'int32' }, label: { isLabel: true } }, configuredColumnsOnly: true },
      { columnConfigs: { b: { default: 7 } } },
    ];
    for (const cfg of configs) {
      const ours = JSON.stringify(await data.csv(`file://${p}`, cfg).toArray());
      const theirs = JSON.stringify(await tf.data.csv(`file://${p}`, cfg).toArray());
      expect(ours).toBe(theirs);
    }
    expect(await data.csv(p).columnNames()).toEqual(await (tf.data.csv(`file://${p}`) as any).columnNames());
  });

  test('an empty label cell is an error (as tfjs: a label is required), not an undefined target', async () => {
    const p = write('empty_label.csv', 'a,label\n1,0\n2,\n');
    const cfg = { columnConfigs: { label: { isLabel: true } } };
    await expect(tf.data.csv(`file://${p}`, cfg).toArray()).rejects.toThrow(/Required column label is empty/);
    await expect(data.csv(p, cfg).toArray()).rejects.toThrow(
      `data.csv: required column 'label' is empty in row 1 (line 3) of '${p}' (label columns are required).`,
    );
    // A default fills it, as tfjs.
    expect(await data.csv(p, { columnConfigs: { label: { isLabel: true, default: 5 } } }).toArray()).toEqual([
      { xs: { a: 1 }, ys: { label: 0 } },
      { xs: { a: 2 }, ys: { label: 5 } },
    ]);
  });

  test('configuredColumnsOnly, headerless files, delimiters, bool', async () => {
    const p = write('b.csv', '1;true;q\n0;false;r\n');
    const ds = data.csv(p, {
      hasHeader: false,
      columnNames: ['n', 'flag', 's'],
      delimiter: ';',
      columnConfigs: { flag: { dtype: 'bool' }, n: { isLabel: true } },
      configuredColumnsOnly: true,
    });
    expect(await ds.toArray()).toEqual([
      { xs: { flag: 1 }, ys: { n: 1 } },
      { xs: { flag: 0 }, ys: { n: 0 } },
    ]);
    const w = write('c.txt', 'x y\n 1   2\n3 4\n');
    expect(await data.csv(w, { delimWhitespace: true }).toArray()).toEqual([
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ]);
  });

  test('quoted fields follow RFC 4180 escapes', () => {
    expect(splitCsvLine('"a ""q"" b",2,', ',', false)).toEqual(['a "q" b', '2', '']);
  });

  test('a large file streams (batched, first rows read without reading it all)', async () => {
    const lines = ['x,y'];
    for (let i = 0; i < 20000; i++) lines.push(`${i},${i % 3}`);
    const p = write('big.csv', lines.join('\n'));
    const first = await data.csv(p).batch(4).take(1).toArray();
    expect(Array.from(first[0].x.values)).toEqual([0, 1, 2, 3]);
    let count = 0;
    await data.csv(p).forEachAsync(() => void count++);
    expect(count).toBe(20000);
  });

  test('a ragged row names the row, the line and the file', async () => {
    const p = write('ragged.csv', 'a,b\n1,2\n3,4,5\n');
    await expect(data.csv(p).toArray()).rejects.toThrow(
      `data.csv: row 1 (line 3) of '${p}' has 3 fields, but there are 2 columns (a, b): "3,4,5".`,
    );
  });

  test('bad input', async () => {
    await expect(data.csv(path.join(dir, 'missing.csv')).toArray()).rejects.toThrow(/cannot read '.*missing.csv': no such file/);
    const p = write('req.csv', 'a,b\n1,\n');
    await expect(data.csv(p, { columnConfigs: { b: { required: true } } }).toArray()).rejects.toThrow(
      `data.csv: required column 'b' is empty in row 0 (line 2) of '${p}'.`,
    );
    await expect(data.csv(p, { columnConfigs: { c: {} } }).toArray()).rejects.toThrow(
      /columnConfigs names column 'c', which is not among the columns \["a","b"\]/,
    );
    expect(() => data.csv(p, { hasHeadr: true } as any)).toThrow(/unknown option 'hasHeadr'/);
    expect(() => data.csv(p, { hasHeader: false })).toThrow(/needs columnNames/);
  });
});

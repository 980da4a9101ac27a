/** CSVLogger (Keras): appends each epoch's logs as a CSV row to a file (Node). */
import { Callback, Logs } from './callback';
import { nodeFiles } from './node_files';
import { ValueError } from '@recurrent/core';

/**
 * Writes `epoch,<sorted log keys>` then one row per epoch (epoch 0-based, as Keras), flushed each
 * epoch. With `append`, rows go after an existing file's (the header is written only to an empty file).
 *
 * ```js
 * await model.fit(x, y, {epochs: 20, callbacks: [callbacks.csvLogger('training.csv')]});
 * ```
 */
export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | null = null;
  private needHeader = true;

  constructor(filename: string, separator = ',', append = false) {
    super();
    if (typeof filename !== 'string' || filename.length === 0)
      throw new ValueError(`csvLogger: filename must be a file path, received ${String(filename)}.`);
    if (typeof separator !== 'string' || separator.length === 0)
      throw new ValueError(`csvLogger: separator must be a non-empty string, received ${String(separator)}.`);
    this.filename = filename.startsWith('file://') ? filename.slice(7) : filename;
    this.separator = separator;
    this.append = append;
  }

  override async onTrainBegin(): Promise<void> {
    const { fs } = await nodeFiles('csvLogger');
    this.keys = null;
    try {
      if (this.append) {
        const st = await fs.stat(this.filename).catch(() => null);
        this.needHeader = st === null || st.size === 0;
        if (st === null) await fs.writeFile(this.filename, '');
      } else {
        await fs.writeFile(this.filename, '');
        this.needHeader = true;
      }
    } catch (e) {
      throw new ValueError(`csvLogger: cannot write '${this.filename}': ${(e as Error).message}`);
    }
  }

  /** One CSV line of `values` (a value holding the separator, a quote or a newline is quoted). */
  private row(values: unknown[]): string {
    const cell = (v: unknown) => {
      const s = v == null ? '' : String(v);
      return s.includes(this.separator) || s.includes('"') || s.includes('\n') ? `"${s.replace(/"/g, '""')}"` : s;
    };
    return values.map(cell).join(this.separator) + '\n';
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const { fs } = await nodeFiles('csvLogger');
    this.keys ??= Object.keys(logs).sort();
    let text = '';
    if (this.needHeader) {
      text += this.row(['epoch', ...this.keys]);
      this.needHeader = false;
    }
    text += this.row([epoch, ...this.keys.map((k) => (k in logs ? logs[k] : 'NA'))]);
    await fs.appendFile(this.filename, text);
  }
}

/** Creates a `CSVLogger` callback (Node). */
export function csvLogger(filename: string, separator = ',', append = false): CSVLogger {
  return new CSVLogger(filename, separator, append);
}

/** `TextLineDataset`: the lines of a text file or URL as a dataset of strings (tfjs's `tf.data.TextLineDataset`). */
import { ValueError } from '@recurrent/core';
import { Dataset } from './dataset';
import { readLines } from './file_lines';

/**
 * A dataset of the lines of a text file (Node: a path or `file://` URL) or an `http(s)://` URL, read lazily, one
 * element per line without its line ending; each pass reads the source again. A corpus for a character model:
 *
 * ```js
 * const lines = new data.TextLineDataset('corpus.txt');
 * await lines.take(3).toArray();   // the first three lines
 * ```
 *
 * tfjs note: tfjs's constructor takes a `DataSource` (`FileDataSource`, `URLDataSource`); ours takes the path or URL
 * itself (as `data.csv` does), with `requestInit` passed to `fetch` for URLs.
 */
export class TextLineDataset extends Dataset<string> {
  constructor(source: string, requestInit?: RequestInit) {
    if (typeof source !== 'string' || source.length === 0) {
      throw new ValueError(`TextLineDataset: source must be a file path or URL string, received ${typeof source} ${String(source)}.`);
    }
    super(() => readLines(source, requestInit), null);
  }
}

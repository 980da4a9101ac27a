/**
 * `data.csv(source, config)`: a dataset of the rows of a CSV file (Node: a path or `file://` URL,
 * read as a stream) or URL (fetched), with tfjs's `CSVConfig` (`hasHeader`, `columnNames`,
 * `columnConfigs`, `configuredColumnsOnly`, `delimiter`, `delimWhitespace`). Rows are objects keyed
 * by column; with label columns (`columnConfigs: {y: {isLabel: true}}`) they are `{xs, ys}`.
 *
 * ```js
 * const ds = data.csv('file://./jena.csv', {columnConfigs: {T: {isLabel: true}}});
 * await ds.take(1).forEachAsync(({xs, ys}) => console.log(xs, ys));
 * ```
 */
import { checkArgKeys } from '@recurrent/layers';
import { Dataset } from './dataset';
import { readLines } from './file_lines';
import { ValueError } from '@recurrent/core';

/** How one column is read (tfjs's `ColumnConfig`). */
export interface ColumnConfig {
  /** Throw when the value is empty (default false). */
  required?: boolean;
  /** 'float32' (default for numbers), 'int32' (floored), 'bool' ('true'/'1' → 1), or 'string'. */
  dtype?: 'float32' | 'int32' | 'bool' | 'string';
  /** Value used when the field is empty. */
  default?: number | string | boolean;
  /** The column goes into `ys` instead of `xs`. */
  isLabel?: boolean;
}

/** Options of `data.csv` (tfjs's `CSVConfig`). */
export interface CSVConfig {
  /** The first line holds the column names (default true). */
  hasHeader?: boolean;
  /** Column names (override the header, or name the columns of a headerless file). */
  columnNames?: string[];
  /** Per-column options, keyed by column name. */
  columnConfigs?: { [name: string]: ColumnConfig };
  /** Keep only the columns in `columnConfigs` (default false). */
  configuredColumnsOnly?: boolean;
  /** Field separator (default ','). */
  delimiter?: string;
  /** Split fields on runs of whitespace (overrides `delimiter`). */
  delimWhitespace?: boolean;
  /** fetch() options for URLs. */
  requestInit?: RequestInit;
}

const CSV_KEYS = ['hasHeader', 'columnNames', 'columnConfigs', 'configuredColumnsOnly', 'delimiter', 'delimWhitespace', 'requestInit'];

/** Splits one line into fields: `"quoted, fields"` and `""` escapes as in RFC 4180 (one line per record). */
export function splitCsvLine(line: string, delimiter: string, delimWhitespace: boolean): string[] {
  if (delimWhitespace) return line.trim().split(/\s+/);
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += ch;
      }
    } else if (ch === '"' && field.length === 0) {
      quoted = true;
    } else if (line.startsWith(delimiter, i)) {
      out.push(field);
      field = '';
      i += delimiter.length - 1;
    } else {
      field += ch;
    }
  }
  out.push(field);
  return out;
}

function parseBool(v: string): number {
  const s = v.toLowerCase();
  return s === 'true' || s === '1' ? 1 : 0;
}

/** A CSV dataset (tfjs's `CSVDataset`); `columnNames()` resolves to the columns. */
export class CSVDataset extends Dataset {
  private readonly source: string;
  private readonly config: CSVConfig;
  private names: string[] | null = null;

  constructor(source: string, config: CSVConfig = {}) {
    const self = { ds: null as CSVDataset | null };
    super(() => self.ds!.rows(), null);
    self.ds = this;
    if (typeof source !== 'string' || source.length === 0)
      throw new ValueError(`data.csv: source must be a file path or URL string, received ${typeof source}.`);
    if (config == null || typeof config !== 'object')
      throw new ValueError(`data.csv: config must be an object, received ${typeof config}.`);
    checkArgKeys('data.csv', config, CSV_KEYS);
    if (config.delimiter != null && (typeof config.delimiter !== 'string' || config.delimiter.length === 0)) {
      throw new ValueError(`data.csv: delimiter must be a non-empty string, received ${String(config.delimiter)}.`);
    }
    if (config.columnNames != null && (!Array.isArray(config.columnNames) || config.columnNames.some((n) => typeof n !== 'string'))) {
      throw new ValueError(`data.csv: columnNames must be an array of strings.`);
    }
    if (config.hasHeader === false && config.columnNames == null) {
      throw new ValueError(`data.csv: a file without a header (hasHeader: false) needs columnNames.`);
    }
    this.source = source;
    this.config = config;
  }

  /** The column names (from `columnNames` or the header line). */
  async columnNames(): Promise<string[]> {
    if (this.names) return this.names;
    if (this.config.columnNames) return (this.names = this.checkNames(this.config.columnNames.slice()));
    const lines = readLines(this.source, this.config.requestInit);
    try {
      const first = await lines.next();
      if (first.done) throw new ValueError(`data.csv: '${this.source}' is empty; expected a header line.`);
      return (this.names = this.checkNames(this.split(first.value).map((s) => s.trim())));
    } finally {
      await lines.return(undefined);
    }
  }

  private checkNames(names: string[]): string[] {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw new ValueError(`data.csv: duplicate column name '${n}' in ${this.source}.`);
      seen.add(n);
    }
    for (const key of Object.keys(this.config.columnConfigs ?? {})) {
      if (!seen.has(key))
        throw new ValueError(`data.csv: columnConfigs names column '${key}', which is not among the columns ${JSON.stringify(names)}.`);
    }
    return names;
  }

  private split(line: string): string[] {
    return splitCsvLine(line, this.config.delimiter ?? ',', this.config.delimWhitespace ?? false);
  }

  private async *rows(): AsyncGenerator<unknown> {
    const names = await this.columnNames();
    const configs = this.config.columnConfigs ?? {};
    const only = this.config.configuredColumnsOnly ?? false;
    const hasLabels = Object.values(configs).some((c) => c?.isLabel);
    const hasHeader = this.config.hasHeader ?? true;
    let lineNo = 0;
    let row = 0;
    for await (const line of readLines(this.source, this.config.requestInit)) {
      lineNo++;
      if (lineNo === 1 && hasHeader) continue;
      if (line.trim().length === 0) continue;
      const values = this.split(line);
      if (values.length !== names.length) {
        throw new ValueError(
          `data.csv: row ${row} (line ${lineNo}) of '${this.source}' has ${values.length} fields, but there are ${names.length} columns ` +
            `(${names.join(', ')}): ${JSON.stringify(line.length > 200 ? line.slice(0, 200) + '…' : line)}.`,
        );
      }
      const xs: { [k: string]: unknown } = {};
      const ys: { [k: string]: unknown } = {};
      names.forEach((name, i) => {
        const cfg = configs[name];
        if (only && !cfg) return;
        let value: unknown;
        const raw = values[i];
        if (raw === '') {
          if (cfg && cfg.default !== undefined) value = cfg.default;
          else if (cfg?.required || cfg?.isLabel)
            // As tfjs, a label column is required: an empty target is an error, not an undefined label.
            throw new ValueError(
              `data.csv: required column '${name}' is empty in row ${row} (line ${lineNo}) of '${this.source}'` +
                `${cfg.isLabel && !cfg.required ? ' (label columns are required)' : ''}.`,
            );
          else value = undefined;
        } else {
          const num = Number(raw);
          if (cfg?.dtype === 'string') value = raw;
          else if (Number.isNaN(num)) value = cfg?.dtype === 'bool' ? parseBool(raw) : raw;
          else if (cfg?.dtype === 'int32') value = Math.floor(num);
          else if (cfg?.dtype === 'bool') value = parseBool(raw);
          else value = num;
        }
        if (cfg?.isLabel) ys[name] = value;
        else xs[name] = value;
      });
      row++;
      yield hasLabels ? { xs, ys } : xs;
    }
  }
}

/** A dataset of the rows of a CSV file or URL (tfjs `tf.data.csv`). */
export function csv(source: string, config: CSVConfig = {}): CSVDataset {
  return new CSVDataset(source, config);
}

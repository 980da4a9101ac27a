/** The `data` namespace (tfjs `tf.data`): datasets, sources, and csv. */

export { Dataset } from './dataset';
export type { DatasetIterator, IteratorFn } from './dataset';
export { CSVDataset } from './csv';
export { TextLineDataset } from './text_line_dataset';
export type { CSVConfig, ColumnConfig } from './csv';
export type { GeneratorFn, DatasetContainer } from './sources';
export { batchElements } from './deep_batch';

/**
 * Dataset constructors, as tfjs's `tf.data`: `data.array`, `data.generator`, `data.zip`, `data.csv`, and the classes
 * a user types against or constructs: `data.Dataset<T>` (a type too), `data.CSVDataset`, `data.TextLineDataset`.
 */
export * as data from './data_namespace';

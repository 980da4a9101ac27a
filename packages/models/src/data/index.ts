/** The `data` namespace (tfjs `tf.data`): datasets, sources, and csv. */
import { array, generator, zip } from './sources';
import { csv } from './csv';

export { Dataset } from './dataset';
export type { DatasetIterator, IteratorFn } from './dataset';
export { CSVDataset } from './csv';
export type { CSVConfig, ColumnConfig } from './csv';
export type { GeneratorFn, DatasetContainer } from './sources';
export { batchElements } from './deep_batch';

/** Dataset constructors, as tfjs's `tf.data`: `data.array`, `data.generator`, `data.zip`, `data.csv`. */
export const data = { array, generator, zip, csv };

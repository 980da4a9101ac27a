/**
 * The members of the `data` namespace (tfjs's `tf.data`), as a module so that `data.Dataset<T>` works in type
 * positions as well as values: `data.array`, `data.generator`, `data.zip`, `data.csv`, and the classes a user types
 * against or constructs, `data.Dataset`, `data.CSVDataset`, `data.TextLineDataset`.
 *
 * ```ts
 * const ds: data.Dataset<number> = data.array([1, 2, 3]);
 * ```
 */
export { array, generator, zip } from './sources';
export { csv, CSVDataset } from './csv';
export { Dataset } from './dataset';
export { TextLineDataset } from './text_line_dataset';

/** The `preprocessing` namespace: `padSequences` and `timeseriesDataset` (Keras's sequence utilities). */
import { padSequences } from './pad_sequences';
import { timeseriesDataset } from './timeseries_dataset';

export { padSequences } from './pad_sequences';
export type { PadSequencesArgs } from './pad_sequences';
export { timeseriesDataset } from './timeseries_dataset';
export type { TimeseriesDatasetArgs } from './timeseries_dataset';

/** Sequence preprocessing, as Keras's `keras.utils.pad_sequences` / `timeseries_dataset_from_array`. */
export const preprocessing = { padSequences, timeseriesDataset };

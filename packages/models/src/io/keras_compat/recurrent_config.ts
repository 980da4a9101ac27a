/** Keras-only keys of recurrent layer configs (time_major, use_cudnn, zero_output_for_mask). */
import type { Context } from './types';
import { at, fail } from './util';
import type { JsonObject } from './json';

/** The classes whose configs `normalizeRecurrentConfig` handles. */
export const RNN_CLASSES = ['LSTM', 'GRU', 'SimpleRNN', 'RNN', 'CuDNNLSTM', 'CuDNNGRU'];

/**
 * Drops the Keras-only keys of a recurrent layer config (in place on the copy); refuses time_major true.
 * `zero_output_for_mask` true is kept (the layers implement it; Keras's Bidirectional writes it on its copies
 * when they return sequences); false, the default, is dropped.
 */
export function normalizeRecurrentConfig(_ctx: Context, config: JsonObject, here: string): void {
  if (config.time_major === true) {
    fail(
      at(here, 'time_major'),
      'time_major true (inputs [time, batch, features]) is not supported; recurrent layers take [batch, time, features].',
    );
  }
  delete config.time_major;
  delete config.use_cudnn;
  if (config.zero_output_for_mask !== true) delete config.zero_output_for_mask;
}

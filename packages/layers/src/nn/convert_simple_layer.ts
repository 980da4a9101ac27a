/** Conversion of the non-recurrent Keras-style layers nn.convert.fromLayers supports (Embedding, linear Dense, Dropout). */
import { transpose, ValueError } from '@recurrent/core';
import type { Layer } from '../engine/layer';
import { Dense as DenseLayer } from '../layers/dense';
import { Dropout as DropoutLayer } from '../layers/dropout';
import { Embedding as EmbeddingLayer } from '../layers/embedding';
import { Dropout as NNDropout } from './dropout';
import { Embedding as NNEmbedding } from './embedding';
import { Linear as NNLinear } from './linear';
import type { UnaryModule } from './sequential';

function activationName(a: unknown): string {
  return a && typeof (a as { getClassName?: unknown }).getClassName === 'function'
    ? (a as { getClassName(): string }).getClassName()
    : String(a);
}

/** The nn module equivalent to one Embedding / linear Dense / Dropout layer (built), or a clear error. */
export function convertSimpleLayer(who: string, layer: Layer): UnaryModule {
  if (layer instanceof EmbeddingLayer) {
    if (!layer.built) throw new ValueError(`${who}: layer ${layer.name} is not built; build the model (or apply it to an input) first.`);
    if (layer.maskZero) {
      throw new ValueError(
        `${who}: Embedding ${layer.name} has maskZero: true; nn modules have no implicit masks (pack the batch with nn.utils.rnn.packPaddedSequence instead), so the converted model would compute something else.`,
      );
    }
    const [table] = layer.getWeights();
    const m = new NNEmbedding(table.shape[0], table.shape[1]);
    m.loadStateDict({ weight: table });
    return m;
  }
  if (layer instanceof DenseLayer) {
    if (!layer.built) throw new ValueError(`${who}: layer ${layer.name} is not built; build the model (or apply it to an input) first.`);
    const act = activationName(layer.activation);
    if (act !== 'linear')
      throw new ValueError(
        `${who}: Dense ${layer.name} has activation '${act}'; only a linear Dense maps to nn.Linear (put the activation in your loss or forward).`,
      );
    const [kernel, bias] = layer.getWeights();
    const m = new NNLinear(kernel.shape[0], kernel.shape[1], { bias: layer.useBias });
    m.loadStateDict(layer.useBias ? { weight: transpose(kernel), bias } : { weight: transpose(kernel) });
    return m;
  }
  if (layer instanceof DropoutLayer) return new NNDropout(layer.rate);
  throw new ValueError(
    `${who}: layer ${(layer as Layer)?.name ?? typeof layer} (${(layer as Layer)?.getClassName?.() ?? typeof layer}) has no nn equivalent here; supported: Embedding, Dense (linear), Dropout, LSTM, GRU, SimpleRNN, Bidirectional.`,
  );
}

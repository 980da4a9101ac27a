/**
 * Keras 3 configs of the attention layers (snake_case, as Keras 3.15 `get_config()` writes them) load through the
 * Keras-format conversion and the registry, and our configs convert back to Keras's key set.
 */
import { randomNormal, Tensor } from '@recurrent/core';
import { AdditiveAttention, Attention, deserialize, Layer, MultiHeadAttention, serialize } from '@recurrent/layers';
import { convertPythonicToTs, convertTsToPythonic } from '@recurrent/models';

type Json = Parameters<typeof convertPythonicToTs>[0];

const KERAS_MHA = {
  class_name: 'MultiHeadAttention',
  config: {
    name: 'mha',
    trainable: true,
    dtype: 'float32',
    num_heads: 2,
    key_dim: 3,
    value_dim: 4,
    dropout: 0.1,
    use_bias: false,
    output_shape: [5],
    attention_axes: [1],
    use_gate: false,
    sliding_window: null,
    kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
    bias_initializer: { class_name: 'Zeros', config: {} },
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    seed: 7,
  },
};
const KERAS_ATTENTION = {
  class_name: 'Attention',
  config: { name: 'att', trainable: true, dtype: 'float32', use_scale: true, score_mode: 'concat', dropout: 0.0, seed: null },
};
const KERAS_ADDITIVE = {
  class_name: 'AdditiveAttention',
  config: { name: 'add_att', trainable: true, dtype: 'float32', use_scale: true, dropout: 0.2 },
};

function load<T extends Layer>(keras: object): T {
  return deserialize<T>(convertPythonicToTs(keras as Json) as never, 'layer');
}

describe('Keras 3 attention configs', () => {
  it('MultiHeadAttention loads with its options and builds Keras-shaped weights', () => {
    const mha = load<MultiHeadAttention>(KERAS_MHA);
    expect(mha).toBeInstanceOf(MultiHeadAttention);
    expect([mha.numHeads, mha.keyDim, mha.valueDim, mha.dropout, mha.useBias, mha.outputShapeArg, mha.attentionAxes, mha.seed]).toEqual([
      2,
      3,
      4,
      0.1,
      false,
      [5],
      [1],
      7,
    ]);
    const q = randomNormal([1, 2, 6], 0, 1, 'float32', 1);
    const v = randomNormal([1, 3, 8], 0, 1, 'float32', 2);
    expect((mha.apply([q, v]) as Tensor).shape).toEqual([1, 2, 5]);
    expect(mha.weights.map((w) => [w.originalName, w.shape])).toEqual([
      ['mha/query/kernel', [6, 2, 3]],
      ['mha/key/kernel', [8, 2, 3]],
      ['mha/value/kernel', [8, 2, 4]],
      ['mha/attention_output/kernel', [2, 4, 5]],
    ]);
    // Our config written in Keras format has Keras's keys.
    const back = convertTsToPythonic(serialize(mha) as unknown as Json) as { config: Record<string, unknown> };
    for (const key of Object.keys(KERAS_MHA.config)) expect(back.config).toHaveProperty(key);
    expect(back.config.num_heads).toBe(2);
    expect(back.config.output_shape).toEqual([5]);
  });

  it('Attention and AdditiveAttention load with their options', () => {
    const att = load<Attention>(KERAS_ATTENTION);
    expect(att).toBeInstanceOf(Attention);
    expect([att.useScale, att.scoreMode, att.dropout]).toEqual([true, 'concat', 0]);
    const add = load<AdditiveAttention>(KERAS_ADDITIVE);
    expect(add).toBeInstanceOf(AdditiveAttention);
    expect([add.useScale, add.dropout]).toEqual([true, 0.2]);
    for (const [layer, keras] of [
      [att, KERAS_ATTENTION],
      [add, KERAS_ADDITIVE],
    ] as const) {
      const back = convertTsToPythonic(serialize(layer) as unknown as Json) as { class_name: string; config: Record<string, unknown> };
      expect(back.class_name).toBe(keras.class_name);
      for (const key of Object.keys(keras.config)) expect(back.config).toHaveProperty(key);
    }
  });
});

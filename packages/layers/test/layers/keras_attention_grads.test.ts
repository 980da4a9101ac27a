/**
 * Attention, AdditiveAttention and MultiHeadAttention gradients against Keras 3's (fixtures/keras_attention/
 * keras_attention_grads.json, written by generate_grads.py with Keras 3.15 on TensorFlow 2.21, tf.GradientTape):
 * same weights, inputs, masks and call options → same outputs, and the same gradients of Σ r·output with respect to
 * every input and every trainable weight.
 */
import * as fs from 'fs';
import * as path from 'path';
import { mul, sum, Tensor, tensor, variable, variableGrads } from '@recurrent/core';
import type { Variable } from '@recurrent/core';
import { AdditiveAttention, Attention, Layer, MultiHeadAttention } from '@recurrent/layers';

interface Enc {
  shape: number[];
  values: number[];
}
interface Case {
  name: string;
  layer: 'Attention' | 'AdditiveAttention' | 'MultiHeadAttention';
  args: Record<string, unknown>;
  weights: (Enc & { name: string })[];
  inputs: Enc[];
  masks: (Enc | null)[] | null;
  call: Record<string, unknown>;
  attentionMask: Enc | null;
  outputs: Enc[];
  cotangent: Enc;
  inputGrads: Enc[];
  weightGrads: Enc[];
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/keras_attention/keras_attention_grads.json'), 'utf8')) as {
  keras_version: string;
  backend: string;
  cases: Case[];
};
const t = (e: Enc) => tensor(Float32Array.from(e.values), e.shape);

function make(c: Case): Layer {
  if (c.layer === 'Attention') return new Attention(c.args);
  if (c.layer === 'AdditiveAttention') return new AdditiveAttention(c.args);
  return new MultiHeadAttention(c.args as never);
}

function expectClose(got: ArrayLike<number>, want: Enc, what: string): void {
  let worst = got.length === want.values.length ? 0 : Infinity;
  want.values.forEach((v, i) => (worst = Math.max(worst, Math.abs(got[i] - v) / (1e-5 + 1e-4 * Math.abs(v)))));
  if (!(worst <= 1))
    throw new Error(
      `${what} differs from Keras (worst ratio ${worst}):\n got  ${Array.from(got).join(', ')}\n want ${want.values.join(', ')}`,
    );
}

describe(`attention layer gradients vs Keras ${fixture.keras_version} (${fixture.backend})`, () => {
  it('the fixture has every case', () => {
    expect(fixture.cases.length).toBe(9);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const layer = make(c);
      const inputs: Variable[] = c.inputs.map((e) => variable(t(e)));
      layer.apply(inputs);
      expect(layer.weights.map((w) => w.originalName.split('/').slice(1).join('/'))).toEqual(
        c.weights.map((w) => w.name.split('/').slice(1).join('/')),
      );
      layer.setWeights(c.weights.map(t));
      const kwargs: Record<string, unknown> = { ...c.call };
      if (c.masks) kwargs.mask = c.masks.map((m) => (m ? t(m) : null));
      if (c.attentionMask) kwargs.attentionMask = t(c.attentionMask);
      const r = t(c.cotangent);
      let outs: Tensor[] = [];
      const { grads } = variableGrads(() => {
        const out = layer.apply(inputs, kwargs) as Tensor | Tensor[];
        outs = Array.isArray(out) ? out : [out];
        return sum(mul(r, outs[0]));
      }, [...inputs, ...layer.trainableWeights]);
      expect(outs.length).toBe(c.outputs.length);
      outs.forEach((o, i) => {
        expect(o.shape).toEqual(c.outputs[i].shape);
        expectClose(o.dataSync(), c.outputs[i], `output ${i}`);
      });
      inputs.forEach((x, i) => expectClose(grads[x.name].dataSync(), c.inputGrads[i], `d/d input ${i}`));
      expect(layer.trainableWeights.length).toBe(c.weightGrads.length);
      layer.trainableWeights.forEach((w, i) => expectClose(grads[w.name].dataSync(), c.weightGrads[i], `d/d ${c.weights[i].name}`));
    });
  }
});

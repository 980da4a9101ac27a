/**
 * Attention, AdditiveAttention and MultiHeadAttention against Keras 3's own outputs (fixtures/keras_attention,
 * written by generate.py with Keras 3.15 on its NumPy backend): same weights (Keras's names and order), inputs,
 * masks and call options → same outputs and attention scores.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Tensor, tensor } from '@recurrent/core';
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
  outputs: Enc[];
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/keras_attention/keras_attention.json'), 'utf8')) as {
  keras_version: string;
  cases: Case[];
};
const t = (e: Enc) => tensor(Float32Array.from(e.values), e.shape);

function make(c: Case): Layer {
  if (c.layer === 'Attention') return new Attention(c.args);
  if (c.layer === 'AdditiveAttention') return new AdditiveAttention(c.args);
  return new MultiHeadAttention(c.args as never);
}

describe(`attention layers vs Keras ${fixture.keras_version}`, () => {
  it('the fixture has every case', () => {
    expect(fixture.cases.length).toBe(9);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const layer = make(c);
      const inputs = c.inputs.map(t);
      layer.apply(inputs);
      // Same weights in the same order, under the same names (after the layer name).
      expect(layer.weights.map((w) => w.originalName.split('/').slice(1).join('/'))).toEqual(
        c.weights.map((w) => w.name.split('/').slice(1).join('/')),
      );
      layer.setWeights(c.weights.map(t));
      const kwargs: Record<string, unknown> = { ...c.call };
      if (c.masks) kwargs.mask = c.masks.map((m) => (m ? t(m) : null));
      if (kwargs.attentionMask) kwargs.attentionMask = t(kwargs.attentionMask as Enc);
      const out = layer.apply(inputs, kwargs);
      const outs = Array.isArray(out) ? out : [out];
      expect(outs.length).toBe(c.outputs.length);
      outs.forEach((o: Tensor, i) => {
        expect(o.shape).toEqual(c.outputs[i].shape);
        const a = o.dataSync();
        let worst = 0;
        c.outputs[i].values.forEach((v, j) => (worst = Math.max(worst, Math.abs(a[j] - v))));
        expect(worst).toBeLessThan(2e-5);
      });
    });
  }
});

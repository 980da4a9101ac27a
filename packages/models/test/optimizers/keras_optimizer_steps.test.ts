/**
 * The optimizer features tfjs does not have, against Keras 3's own steps (fixtures/keras/optimizers/keras_steps.json,
 * written by generate.py there with Keras 3.15 on TensorFlow 2.21): AdamW (also with a warmup cosine schedule, so its
 * decay follows the scheduled rate), Nadam, the learning-rate schedules driving SGD, and clipnorm / clipvalue /
 * globalClipnorm. Two variables, six gradient pairs, both variables compared after every step.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tensor, variable } from '@recurrent/core';
import { train } from '@recurrent/models';
import type { Optimizer } from '@recurrent/models';

interface Enc {
  shape: number[];
  values: number[];
}
interface Case {
  name: string;
  ours: {
    optimizer: 'adamw' | 'nadam' | 'sgd';
    args?: number[];
    schedule?: [string, Record<string, unknown>];
    clip?: Record<string, number>;
  };
  steps: Enc[][];
}
const K = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/keras/optimizers/keras_steps.json'), 'utf8')) as {
  keras_version: string;
  init: Enc[];
  grads: Enc[][];
  cases: Case[];
};

function make(c: Case): Optimizer {
  const { optimizer, args = [], schedule, clip } = c.ours;
  const schedules = train.schedules as unknown as Record<string, (a: Record<string, unknown>) => never>;
  const lead = schedule ? [schedules[schedule[0]](schedule[1])] : [];
  const all = [...lead, ...args];
  if (optimizer === 'sgd') return train.sgd(all[0] as number, clip);
  if (optimizer === 'nadam') {
    return train.nadam(all[0] as number, (all[1] as number) ?? 0.9, (all[2] as number) ?? 0.999, (all[3] as number) ?? null, clip);
  }
  return train.adamw(all[0] as number, all[1] as number, 0.9, 0.999, null, clip);
}

describe(`optimizer steps as Keras ${K.keras_version}`, () => {
  test.each(K.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const opt = make(c);
    const stamp = Math.random().toString(36).slice(2);
    const vars = K.init.map((e, i) => variable(tensor(e.values, e.shape), true, `keras_opt_${stamp}_${i}`));
    K.grads.forEach((g, step) => {
      opt.applyGradients(Object.fromEntries(vars.map((v, i) => [v.name, tensor(g[i].values, g[i].shape)])));
      vars.forEach((v, i) => {
        const want = c.steps[step][i].values;
        const got = v.dataSync();
        want.forEach((w, j) => {
          if (!(Math.abs(got[j] - w) <= 2e-6 + 2e-5 * Math.abs(w))) {
            throw new Error(`step ${step + 1}, variable ${i}: got ${Array.from(got).join(', ')}, Keras ${want.join(', ')}`);
          }
        });
      });
    });
  });
});

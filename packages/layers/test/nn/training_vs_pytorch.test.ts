/**
 * PyTorch-style training loops against PyTorch 1.13 (fixtures/training.json, written by
 * fixtures/generate_training.py): a 2-layer LSTM classifier (CrossEntropyLoss with label smoothing) and a GRU
 * seq2seq (MSELoss) trained 20 steps from the same initial state dict on the same batches with every optimizer,
 * and with clipGradNorm_ plus StepLR / CosineAnnealingLR, end with PyTorch's parameters (1e-4 relative, at each
 * tensor's scale: see the comparison below) and pass through the same losses.
 */
import * as fs from 'fs';
import * as path from 'path';
import { concat, reshape, slice, Tensor, tensor, zeros } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { num } from './helpers';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'training.json'), 'utf8'));

function det(shape: number[], seed: number, scale = 1): Tensor {
  const n = shape.reduce((a, d) => a * d, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = scale * Math.sin(0.37 * i * (1 + 0.1 * (seed % 7)) + seed);
  return tensor(v, shape, 'float32');
}

class LSTMClassifier extends nn.Module {
  lstm = this.registerModule('lstm', new nn.LSTM(4, 8, { numLayers: 2 }));
  head = this.registerModule('head', new nn.Linear(8, 3));
  forward(x: Tensor): Tensor {
    const out = this.lstm.forward(x);
    const [b, t, h] = out.shape;
    return this.head.forward(reshape(slice(out, [0, t - 1, 0], [b, 1, h]), [b, h]));
  }
}

class Seq2Seq extends nn.Module {
  encoder = this.registerModule('encoder', new nn.GRU(3, 6));
  decoder = this.registerModule('decoder', new nn.GRU(3, 6));
  head = this.registerModule('head', new nn.Linear(6, 3));
  forward(src: Tensor, tgtIn: Tensor): Tensor {
    const [, h] = this.encoder.forwardWithState(src);
    return this.head.forward(this.decoder.forward(tgtIn, h));
  }
}

const batches: { [k: string]: (k: number) => [Tensor[], Tensor] } = {
  lstm_classifier: (k) => [[det([5, 6, 4], 10 + k)], tensor(Int32Array.from([0, 1, 2, 3, 4].map((i) => (3 * k + i) % 3)), [5], 'int32')],
  gru_seq2seq: (k) => {
    const src = det([4, 5, 3], 20 + k);
    const tgt = det([4, 5, 3], 40 + k, 0.5);
    const tgtIn = concat([zeros([4, 1, 3]), slice(tgt, [0, 0, 0], [4, 4, 3])], 1);
    return [[src, tgtIn], tgt];
  },
};

function stateDict(json: { [k: string]: { shape: number[]; data: number[] } }): nn.StateDict {
  const sd: nn.StateDict = {};
  for (const [k, v] of Object.entries(json)) sd[k] = tensor(Float32Array.from(v.data), v.shape, 'float32');
  return sd;
}

const optimizers: { [k: string]: new (p: any, o: any) => nn.optim.Optimizer } = {
  SGD: nn.optim.SGD,
  Adam: nn.optim.Adam,
  AdamW: nn.optim.AdamW,
  RMSprop: nn.optim.RMSprop,
  Adagrad: nn.optim.Adagrad,
};

for (const [modelName, m] of Object.entries<any>(fx.models)) {
  describe(`${modelName}: ${fx.steps} steps match PyTorch`, () => {
    for (const run of m.runs) {
      const label = `${run.optimizer} ${JSON.stringify(run.options)}${run.clipNorm ? ` clip ${run.clipNorm}` : ''}${run.scheduler ? ` ${run.scheduler.name}` : ''}`;
      test(label, () => {
        const model: nn.Module & { forward(...a: Tensor[]): Tensor } =
          modelName === 'lstm_classifier' ? new LSTMClassifier() : new Seq2Seq();
        model.loadStateDict(stateDict(m.initial));
        const opt = new optimizers[run.optimizer](model.parameters(), run.options);
        const sched = run.scheduler
          ? run.scheduler.name === 'StepLR'
            ? new nn.optim.lrScheduler.StepLR(opt, run.scheduler.options)
            : new nn.optim.lrScheduler.CosineAnnealingLR(opt, run.scheduler.options)
          : null;
        const lossFn = modelName === 'lstm_classifier' ? new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }) : new nn.MSELoss();
        const losses: number[] = [];
        for (let k = 0; k < fx.steps; k++) {
          const [inputs, target] = batches[modelName](k % 4);
          opt.zeroGrad();
          const loss = lossFn.forward(model.forward(...inputs) as Tensor, target);
          loss.backward();
          if (run.clipNorm) nn.utils.clipGradNorm_(model.parameters(), run.clipNorm);
          opt.step();
          sched?.step();
          losses.push(Number(loss.dataSync()[0]));
        }
        losses.forEach((l, k) => expect(Math.abs(l - run.losses[k])).toBeLessThan(1e-4 * Math.max(1, Math.abs(run.losses[k]))));
        const final = model.stateDict();
        let worst = 0;
        for (const [k, v] of Object.entries<any>(run.final)) {
          const a = num(final[k]);
          const rms = Math.sqrt(v.data.reduce((acc: number, e: number) => acc + e * e, 0) / v.data.length);
          v.data.forEach((e: number, i: number) => (worst = Math.max(worst, Math.abs(a[i] - e) / Math.max(Math.abs(e), rms))));
        }
        // 1e-4 relative, per element: |ours − PyTorch| / max(|PyTorch|, rms of that tensor) (elements much smaller than
        // their tensor's typical value are compared at the tensor's scale: float32 rounding noise, amplified by the
        // normalizing optimizers, is absolute, ~1e-6 here).
        expect(worst).toBeLessThan(1e-4);
      });
    }
  });
}

/**
 * nn loss modules against torch.nn.functional (fixtures/losses.json, written by fixtures/generate_losses.py):
 * values and input gradients (through loss.backward()), for every reduction, weights, ignoreIndex, label
 * smoothing, sequences with classes in dimension 1, probability targets, posWeight.
 */
import * as fs from 'fs';
import * as path from 'path';
import { sum, Tensor, tensor } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { expectClose, num } from '../helpers';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'losses.json'), 'utf8'));

function make(kind: string, options: any): nn.Loss {
  const o = { ...options };
  if (o.weight && !Array.isArray(o.weight)) o.weight = tensor(Float32Array.from(o.weight.data), o.weight.shape, 'float32');
  switch (kind) {
    case 'CrossEntropyLoss':
      return new nn.CrossEntropyLoss(o);
    case 'NLLLoss':
      return new nn.NLLLoss(o);
    case 'MSELoss':
      return new nn.MSELoss(o);
    case 'L1Loss':
      return new nn.L1Loss(o);
    case 'SmoothL1Loss':
      return new nn.SmoothL1Loss(o);
    default:
      return new nn.BCEWithLogitsLoss(o);
  }
}

describe('losses match torch.nn.functional (value and input gradient)', () => {
  for (const c of fx.cases) {
    test(c.name, () => {
      const x = tensor(Float32Array.from(c.input.data), c.input.shape, 'float32').requiresGrad_();
      const target =
        c.target.dtype === 'int32'
          ? tensor(Int32Array.from(c.target.data), c.target.shape, 'int32')
          : tensor(Float32Array.from(c.target.data), c.target.shape, 'float32');
      const out = make(c.loss, c.options).forward(x, target);
      expect(out.shape).toEqual(c.output.shape);
      expectClose(num(out), c.output.data, 2e-6 * Math.max(1, ...c.output.data.map(Math.abs)), `${c.name} value`);
      (out.rank === 0 ? out : sum(out)).backward();
      expectClose(num(x.grad!), c.inputGrad, 2e-6, `${c.name} gradient`);
    });
  }
});

describe('loss bad input', () => {
  const x = tensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], 'float32');
  test('target out of range / wrong shape / wrong kind', () => {
    const ce = new nn.CrossEntropyLoss();
    expect(() => ce.forward(x, tensor(Int32Array.from([0, 3]), [2], 'int32'))).toThrow(
      /nn\.CrossEntropyLoss: target value 3 at flat position 1 is not a class index in \[0, 2\] \(nor ignoreIndex -100\)/,
    );
    expect(() => ce.forward(x, tensor(Int32Array.from([0, 1, 2]), [3], 'int32'))).toThrow(
      /target must hold class indices with shape \[2\] \(the input \[2,3\] without its class dimension 1\).*received int32 shape \[3\]/,
    );
    expect(() => ce.forward(x, 'a' as never)).toThrow(/target must be a Tensor of class indices/);
    // A tagger's logits [batch, time, classes] straight from nn.Linear, with tags [batch, time]: the message says what to do.
    const tags = tensor(Int32Array.from([0, 1, 2, 1]), [1, 4], 'int32');
    expect(() => new nn.NLLLoss().forward(tensor(new Float32Array(12), [1, 4, 3], 'float32'), tags)).toThrow(
      "nn.NLLLoss: target must hold class indices with shape [1,3] (the input [1,4,3] without its class dimension 1), or class probabilities with the input's shape; received int32 shape [1,4]; for logits [batch, time, classes], move the classes to dimension 1 first: transpose(logits, [0, 2, 1]).",
    );
    expect(() => ce.forward(tensor(new Float32Array(24), [1, 2, 4, 3], 'float32'), tensor(new Int32Array(8), [1, 2, 4], 'int32'))).toThrow(
      /received int32 shape \[1,2,4\]; for logits \[batch, time, classes\], move the classes to dimension 1 first: transpose\(logits, \[0, 3, 1, 2\]\)\.$/,
    );
    expect(() => new nn.NLLLoss().forward(x, x)).toThrow(/probability targets are for nn\.CrossEntropyLoss/);
    expect(() => new nn.MSELoss().forward(x, tensor([1, 2]))).toThrow(
      /nn\.MSELoss: target must have the input's shape \[2,3\], received \[2\]/,
    );
  });
  test('options', () => {
    expect(() => new nn.CrossEntropyLoss({ reduction: 'avg' as never })).toThrow(
      /reduction must be 'mean', 'sum' or 'none', received 'avg'/,
    );
    expect(() => new nn.CrossEntropyLoss({ label_smoothing: 0.1 } as never)).toThrow(/unknown option 'label_smoothing'/);
    expect(() => new nn.CrossEntropyLoss({ labelSmoothing: 2 })).toThrow(/labelSmoothing must be a number in \[0, 1\], received 2/);
    expect(() => new nn.CrossEntropyLoss({ weight: [1, 2] }).forward(x, tensor(Int32Array.from([0, 1]), [2], 'int32'))).toThrow(
      /weight must have one value per class \(3\), received 2/,
    );
    expect(() => new nn.SmoothL1Loss({ beta: -1 })).toThrow(/beta must be a number >= 0, received -1/);
  });
  test('int input is refused', () => {
    expect(() => new nn.L1Loss().forward(tensor(Int32Array.from([1]), [1], 'int32') as Tensor, [1])).toThrow(
      /nn\.L1Loss: input must be float32, received int32/,
    );
  });
});

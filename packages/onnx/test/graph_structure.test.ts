/**
 * The encoded ModelProto, decoded with onnx-proto: IR/opset versions, input/output dims, the recurrent
 * operators' attributes, and weights in ONNX's gate order (hand-worked one-unit examples).
 */
import { tensor } from '@recurrent/core';
import { layers, nn } from '@recurrent/layers';
import { sequential } from '@recurrent/models';
import { exportModel, GraphBuilder, irVersionFor } from '../src';
import { onnx } from '../src/onnx_proto';
import type { OnnxTypes } from '../src/onnx_proto';

function decode(bytes: Uint8Array): OnnxTypes.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

function dims(info: OnnxTypes.IValueInfoProto): (string | number)[] {
  return info.type!.tensorType!.shape!.dim!.map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue)));
}

function node(model: OnnxTypes.ModelProto, op: string): OnnxTypes.INodeProto {
  const found = model.graph!.node!.find((n) => n.opType === op);
  if (!found) throw new Error(`no ${op} node`);
  return found;
}

function attr(n: OnnxTypes.INodeProto, name: string): unknown {
  const a = n.attribute!.find((x) => x.name === name);
  if (!a) return undefined;
  if (a.strings && a.strings.length) return a.strings.map((s) => new TextDecoder().decode(s));
  if (a.floats && a.floats.length) return Array.from(a.floats);
  if (a.s && a.s.length) return new TextDecoder().decode(a.s);
  return Number(a.i);
}

function initializer(model: OnnxTypes.ModelProto, name: string): { dims: number[]; values: number[] } {
  const t = model.graph!.initializer!.find((x) => x.name === name)!;
  const raw = t.rawData!;
  const f = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  return { dims: t.dims!.map(Number), values: Array.from(f) };
}

test('IR version follows the opset (ONNX release table) and the producer is recurrent', () => {
  expect([13, 17, 18, 19, 20, 21].map(irVersionFor)).toEqual([8, 8, 8, 9, 9, 10]);
  const model = decode(exportModel(sequential({ layers: [layers.simpleRNN({ units: 2, inputShape: [3, 4] })] }), { opset: 19 }));
  expect(Number(model.irVersion)).toBe(9);
  expect(model.opsetImport!.map((o) => [o.domain, Number(o.version)])).toEqual([['', 19]]);
  expect(model.producerName).toBe('recurrent');
});

test("input and output dims: symbolic 'batch'/'time' by default, the model's sizes when fixed", () => {
  const model = sequential({
    layers: [layers.lstm({ units: 2, batchInputShape: [4, 6, 3], returnSequences: true }), layers.dense({ units: 5 })],
  });
  const dynamic = decode(exportModel(model));
  expect(dims(dynamic.graph!.input![0])).toEqual(['batch', 'time', 3]);
  expect(dims(dynamic.graph!.output![0])).toEqual(['batch', 'time', 5]);
  const fixed = decode(exportModel(model, { dynamicBatch: false, dynamicTime: false, inputName: 'x', outputName: 'y' }));
  expect(fixed.graph!.input![0].name).toBe('x');
  expect(dims(fixed.graph!.input![0])).toEqual([4, 6, 3]);
  expect(fixed.graph!.output![0].name).toBe('y');
  expect(dims(fixed.graph!.output![0])).toEqual([4, 6, 5]);
  const ids = decode(
    exportModel(sequential({ layers: [layers.embedding({ inputDim: 4, outputDim: 2, inputLength: 7 }), layers.gru({ units: 2 })] })),
  );
  expect(ids.graph!.input![0].type!.tensorType!.elemType).toBe(onnx.TensorProto.DataType.INT64);
  expect(dims(ids.graph!.input![0])).toEqual(['batch', 'time']);
  expect(dims(ids.graph!.output![0])).toEqual(['batch', 2]);
});

test("Keras LSTM kernel i,f,c,o → ONNX W i,o,f,c; tfjs's hardSigmoid → HardSigmoid(0.2, 0.5)", () => {
  const model = sequential({ layers: [layers.lstm({ units: 1, inputShape: [2, 1], name: 'l' })] });
  // kernel [1, 4], recurrentKernel [1, 4], bias [4], each gate's value = its Keras position (+10, +20).
  model.setWeights([tensor([1, 2, 3, 4], [1, 4]), tensor([11, 12, 13, 14], [1, 4]), tensor([21, 22, 23, 24], [4])]);
  const m = decode(exportModel(model));
  expect(initializer(m, 'l_W')).toEqual({ dims: [1, 4, 1], values: [1, 4, 2, 3] });
  expect(initializer(m, 'l_R')).toEqual({ dims: [1, 4, 1], values: [11, 14, 12, 13] });
  expect(initializer(m, 'l_B')).toEqual({ dims: [1, 8], values: [21, 24, 22, 23, 0, 0, 0, 0] });
  const lstm = node(m, 'LSTM');
  expect(attr(lstm, 'activations')).toEqual(['HardSigmoid', 'Tanh', 'Tanh']);
  expect(attr(lstm, 'activation_alpha')).toEqual([expect.closeTo(0.2, 7)]);
  expect(attr(lstm, 'activation_beta')).toEqual([0.5]);
  expect(attr(lstm, 'direction')).toBe('forward');
  expect(attr(lstm, 'hidden_size')).toBe(1);
});

test('Keras GRU bias: resetAfter [2, 3·units] → Wb, Rb with linear_before_reset 1; resetAfter false → Rb zero, 0', () => {
  const after = sequential({ layers: [layers.gru({ units: 1, inputShape: [2, 1], resetAfter: true, name: 'ga' })] });
  after.setWeights([tensor([1, 2, 3], [1, 3]), tensor([4, 5, 6], [1, 3]), tensor([7, 8, 9, 10, 11, 12], [2, 3])]);
  const a = decode(exportModel(after));
  expect(initializer(a, 'ga_W').values).toEqual([1, 2, 3]);
  expect(initializer(a, 'ga_B')).toEqual({ dims: [1, 6], values: [7, 8, 9, 10, 11, 12] });
  expect(attr(node(a, 'GRU'), 'linear_before_reset')).toBe(1);
  const before = sequential({ layers: [layers.gru({ units: 1, inputShape: [2, 1], name: 'gb' })] });
  before.setWeights([tensor([1, 2, 3], [1, 3]), tensor([4, 5, 6], [1, 3]), tensor([7, 8, 9], [3])]);
  const b = decode(exportModel(before));
  expect(initializer(b, 'gb_B').values).toEqual([7, 8, 9, 0, 0, 0]);
  expect(attr(node(b, 'GRU'), 'linear_before_reset')).toBe(0);
});

test('PyTorch GRU r,z,n → ONNX z,r,h, LSTM i,f,g,o → i,o,f,c; bidirectional lists both directions', () => {
  const gru = new nn.GRU(1, 1);
  gru.loadStateDict({
    weight_ih_l0: tensor([1, 2, 3], [3, 1]),
    weight_hh_l0: tensor([4, 5, 6], [3, 1]),
    bias_ih_l0: tensor([7, 8, 9], [3]),
    bias_hh_l0: tensor([10, 11, 12], [3]),
  });
  const g = decode(exportModel(gru));
  expect(initializer(g, 'gru_l0_W').values).toEqual([2, 1, 3]);
  expect(initializer(g, 'gru_l0_R').values).toEqual([5, 4, 6]);
  expect(initializer(g, 'gru_l0_B').values).toEqual([8, 7, 9, 11, 10, 12]);
  expect(attr(node(g, 'GRU'), 'linear_before_reset')).toBe(1);
  const lstm = new nn.LSTM(1, 1, { bidirectional: true });
  const sd = lstm.stateDict();
  const fill: { [k: string]: ReturnType<typeof tensor> } = {};
  for (const k of Object.keys(sd)) fill[k] = tensor(k.startsWith('weight_ih') ? [1, 2, 3, 4] : [0, 0, 0, 0], sd[k].shape.slice());
  lstm.loadStateDict(fill);
  const l = decode(exportModel(lstm));
  expect(initializer(l, 'lstm_l0_W')).toEqual({ dims: [2, 4, 1], values: [1, 4, 2, 3, 1, 4, 2, 3] });
  const n = node(l, 'LSTM');
  expect(attr(n, 'direction')).toBe('bidirectional');
  expect(attr(n, 'activations')).toEqual(['Sigmoid', 'Tanh', 'Tanh', 'Sigmoid', 'Tanh', 'Tanh']);
  expect(attr(n, 'activation_alpha')).toBeUndefined();
});

test('GraphBuilder: unique names, reserved names, initializer size check', () => {
  const g = new GraphBuilder(17);
  expect(g.uniqueName('w')).toBe('w');
  expect(g.uniqueName('w')).toBe('w_1');
  g.reserveName('input', 'inputName');
  expect(() => g.reserveName('input', 'outputName')).toThrow(
    "onnx.exportModel: outputName 'input' is already used by another tensor of the graph.",
  );
  expect(() => g.addInitializer('bad', new Float32Array(5), [2, 3])).toThrow(
    "onnx.exportModel: initializer 'bad' has 5 values but shape [2,3] holds 6.",
  );
});

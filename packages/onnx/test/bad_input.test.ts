/** What ONNX cannot express, and misuse of exportModel: errors name the layer/module, the option, what was expected and what came. */
import { layers } from '@recurrent/layers';
import { nn } from '@recurrent/layers';
import { sequential } from '@recurrent/models';
import { exportModel } from '../src';

const inputShape = [5, 3];

describe('layers ONNX cannot express', () => {
  test('an unsupported layer is named with its class and the supported list', () => {
    const model = sequential({
      layers: [layers.lstm({ units: 4, inputShape, returnSequences: true }), layers.prelu({ name: 'act' })],
    });
    expect(() => exportModel(model)).toThrow(
      /layer 'act' \(PReLU\) cannot be exported: no ONNX conversion for PReLU \(supported: LSTM, GRU, SimpleRNN/,
    );
  });

  test('a Masking layer refuses: per-step masks are not sequence lengths', () => {
    const model = sequential({ layers: [layers.masking({ maskValue: 0, inputShape }), layers.lstm({ units: 4 })] });
    expect(() => exportModel(model)).toThrow(
      /layer 'masking\w*' \(Masking\) cannot be exported: ONNX's recurrent operators take per-sequence lengths \(sequence_lens\), not per-step masks/,
    );
  });

  test('Embedding with maskZero refuses', () => {
    const model = sequential({
      layers: [layers.embedding({ inputDim: 5, outputDim: 2, inputLength: 4, maskZero: true, name: 'emb' }), layers.gru({ units: 3 })],
    });
    expect(() => exportModel(model)).toThrow(/layer 'emb' \(Embedding\) cannot be exported: maskZero is true/);
  });

  test('a stateful layer refuses', () => {
    const model = sequential({ layers: [layers.lstm({ units: 4, batchInputShape: [2, 5, 3], stateful: true, name: 'memory' })] });
    expect(() => exportModel(model)).toThrow(/layer 'memory' \(LSTM\) cannot be exported: stateful is true/);
    const bi = sequential({
      layers: [layers.bidirectional({ layer: layers.gru({ units: 2, stateful: true, batchInputShape: [2, 5, 3] }), name: 'bi' })],
    });
    expect(() => exportModel(bi)).toThrow(/layer 'bi' \(Bidirectional\) cannot be exported: stateful is true/);
  });

  test('Bidirectional with mergeMode null (two outputs) refuses', () => {
    // A Sequential refuses such a layer itself; exported alone, the exporter refuses it.
    const layer = layers.bidirectional({ layer: layers.lstm({ units: 2 }), mergeMode: null, inputShape, name: 'both' });
    expect(() => exportModel(layer)).toThrow(/layer 'both' \(Bidirectional\) cannot be exported: mergeMode null gives two outputs/);
  });

  test("a recurrent activation outside ONNX's list is named", () => {
    const model = sequential({ layers: [layers.gru({ units: 2, inputShape, activation: 'selu', name: 'g' })] });
    expect(() => exportModel(model)).toThrow(
      /layer 'g' \(GRU\) \(activation\) cannot be exported: ONNX's recurrent operators have no activation "selu"/,
    );
  });

  test('TimeDistributed of a layer it cannot run per step refuses, naming the ones it can', () => {
    const model = sequential({
      layers: [layers.lstm({ units: 4, inputShape, returnSequences: true }), layers.timeDistributed({ layer: layers.prelu(), name: 'td' })],
    });
    expect(() => exportModel(model)).toThrow(
      /layer 'td' \(TimeDistributed\) cannot be exported: only TimeDistributed\(Dense \/ Activation \/ Dropout \/ Conv2D \/ MaxPooling2D .* is supported, received TimeDistributed\(PReLU\)/,
    );
  });

  test('an LSTM with projSize refuses (ONNX has no projection)', () => {
    expect(() => exportModel(new nn.LSTM(3, 4, { projSize: 2 }))).toThrow(/nn.LSTM 'lstm' cannot be exported: projSize 2/);
  });

  test('a custom nn module refuses, naming its kind', () => {
    class Twice extends nn.Module {
      forward(x: unknown): unknown {
        return x;
      }
    }
    expect(() => exportModel(new nn.Sequential(new nn.Linear(2, 2), new Twice()))).toThrow(
      /module nn.Twice cannot be exported: no ONNX conversion for it \(supported: nn.LSTM/,
    );
  });
});

describe('options', () => {
  const model = sequential({ layers: [layers.simpleRNN({ units: 2, inputShape })] });

  test('an unknown option suggests the right name', () => {
    expect(() => exportModel(model, { ouputName: 'y' } as never)).toThrow(
      /onnx.exportModel: unknown option 'ouputName'; did you mean 'outputName'\?/,
    );
  });

  test.each([12, 22, 17.5])('opset %s out of 13..21 refuses', (opset) => {
    expect(() => exportModel(model, { opset })).toThrow(/onnx.exportModel: opset must be/);
  });

  test('indexType, names and flags are checked', () => {
    expect(() => exportModel(model, { indexType: 'float32' as never })).toThrow(
      "onnx.exportModel: indexType must be 'int32' or 'int64', received \"float32\".",
    );
    expect(() => exportModel(model, { inputName: 'x', outputName: 'x' })).toThrow(
      "onnx.exportModel: inputName and outputName must differ, both are 'x'.",
    );
    expect(() => exportModel(model, { inputName: '' })).toThrow('onnx.exportModel: inputName must be a non-empty string, received "".');
    expect(() => exportModel(model, { dynamicBatch: 'yes' as never })).toThrow(
      /onnx.exportModel: dynamicBatch must be true or false, received the string 'yes'/,
    );
  });

  test('a fixed batch or time dimension the model does not know refuses', () => {
    expect(() => exportModel(model, { dynamicBatch: false })).toThrow(
      "onnx.exportModel: the input's batch size is unknown; use dynamicBatch true or a batchInputShape.",
    );
    const free = sequential({ layers: [layers.lstm({ units: 2, inputShape: [null, 3] })] });
    expect(() => exportModel(free, { dynamicTime: false })).toThrow(
      "onnx.exportModel: the input's number of time steps is unknown; use dynamicTime true or options.inputShape.",
    );
  });

  test('an unbuilt model without input shape refuses', () => {
    const unbuilt = sequential({ layers: [layers.lstm({ units: 2 })] });
    expect(() => exportModel(unbuilt)).toThrow(
      /the input shape of model '\w+' is unknown: give its first layer inputShape, build it, or pass options.inputShape/,
    );
  });

  test('not a model', () => {
    expect(() => exportModel({} as never)).toThrow(
      'onnx.exportModel: expected a Sequential or functional model, a layer or an nn.Module, received Object.',
    );
    expect(() => exportModel(null as never)).toThrow(
      'onnx.exportModel: expected a Sequential or functional model, a layer or an nn.Module, received null.',
    );
  });
});

describe('convolution and pooling layers', () => {
  test('a masked sequence into Conv1D refuses (Keras drops the mask)', () => {
    const model = sequential({
      layers: [
        layers.embedding({ inputDim: 5, outputDim: 3, inputLength: 4, maskZero: true }),
        layers.conv1d({ filters: 2, kernelSize: 2, name: 'c' }),
      ],
    });
    expect(() => exportModel(model, { sequenceLengths: true })).toThrow(
      /layer 'c' \(Conv1D\) cannot be exported: it receives a masked sequence/,
    );
  });

  test('TimeDistributed of a per-frame layer on a masked sequence refuses', () => {
    const model = sequential({
      layers: [
        layers.embedding({ inputDim: 5, outputDim: 3, inputLength: 4, maskZero: true }),
        layers.timeDistributed({ layer: layers.batchNormalization(), name: 'tdbn' }),
      ],
    });
    expect(() => exportModel(model, { sequenceLengths: true })).toThrow(
      /layer 'tdbn' \(TimeDistributed\) cannot be exported: TimeDistributed\(BatchNormalization\) on a masked sequence/,
    );
  });
});

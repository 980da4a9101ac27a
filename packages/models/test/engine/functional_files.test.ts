/**
 * Functional model files both ways and from Keras: graph models saved by tfjs load here and predict the same;
 * graph models saved here load in tfjs (`tf.loadLayersModel(tf.io.fromMemory(...))`) and predict the same; and
 * hand-written Keras 2 (list-form inbound nodes, `initial_state` refs in kwargs) and Keras 3 (`{args, kwargs}` with
 * `__keras_tensor__`) Functional topologies load and predict what the same graph built with the API predicts.
 * Malformed graphs (missing layer, node index, output index, cycle) are refused naming the layer.
 */
import * as tf from '@tensorflow/tfjs';
import { tensor } from '@recurrent/core';
import { input, layers, resetNameCounters, SymbolicTensor } from '@recurrent/layers';
import { io, loadLayersModel, model, Sequential, sequential } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';
import { CASES } from './functional_cases';
import { copyWeights, lcgData, worstRatio } from './parity_helpers';
import { saveToMemory } from '../serialization/helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

const arg = <T>(list: T[]): T | T[] => (list.length === 1 ? list[0] : list);
const flat = (out: any): number[][] =>
  (Array.isArray(out) ? out : [out]).map((t: any) => Array.from(t.dataSync() as ArrayLike<number>, Number));

function expectClose(a: number[][], b: number[][]): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(worstRatio(v, b[i], 0, 1e-5)).toBeLessThanOrEqual(1));
}

describe.each(CASES)('%s', (_name, build) => {
  test('saved by tfjs, loaded here: same predictions', async () => {
    const b = build();
    const artifacts = await saveToMemory(b.theirs, tf.io);
    expect((artifacts.modelTopology as any).class_name).toBe('Model');
    const ours = await loadLayersModel(io.fromMemory(artifacts));
    expect(ours.getClassName()).toBe('Model');
    expect(ours.inputNames).toEqual(b.theirs.inputNames);
    expect(ours.outputNames).toEqual(b.theirs.outputNames);
    expectClose(flat(ours.predict(arg(b.xs.map((x) => x.r)))), flat(b.theirs.predict(arg(b.xs.map((x) => x.t)))));
  });

  test('saved here, loaded by tfjs: same predictions', async () => {
    const b = build();
    copyWeights(b.theirs, b.ours);
    const artifacts = await saveToMemory(b.ours, io);
    const topology = artifacts.modelTopology as any;
    expect(topology.class_name).toBe('Model');
    expect(topology.config.layers.every((l: any) => Array.isArray(l.inbound_nodes))).toBe(true);
    const theirs = await tf.loadLayersModel(tf.io.fromMemory(artifacts as any));
    expectClose(flat(theirs.predict(arg(b.xs.map((x) => x.t)) as any)), flat(b.ours.predict(arg(b.xs.map((x) => x.r)))));
    // And back here from our own file.
    const again = await loadLayersModel(io.fromMemory(artifacts));
    expectClose(flat(again.predict(arg(b.xs.map((x) => x.r)))), flat(b.ours.predict(arg(b.xs.map((x) => x.r)))));
  });
});

// ------------------------------------------------------------------------------------------------------------
// Hand-written Keras files (written from Keras's serialization format) of one encoder–decoder.

const T = 4;
const F = 3;
const U = 2;

/** The reference: the same graph built with the API (names match the files). */
function reference() {
  const enc = input({ shape: [T, F], name: 'enc' });
  const [, h, c] = layers
    .lstm({ units: U, returnState: true, recurrentActivation: 'sigmoid', name: 'encoder' })
    .apply(enc) as SymbolicTensor[];
  const dec = input({ shape: [T, F], name: 'dec' });
  const seq = layers
    .lstm({ units: U, returnSequences: true, recurrentActivation: 'sigmoid', name: 'decoder' })
    .apply(dec, { initialState: [h, c] }) as SymbolicTensor;
  const out = layers.dense({ units: 1, name: 'head' }).apply(seq) as SymbolicTensor;
  return model({ inputs: [enc, dec], outputs: out, name: 'seq2seq' });
}

const kerasTensor = (name: string, node: number, index: number, shape: (number | null)[]) => ({
  class_name: '__keras_tensor__',
  config: { shape, dtype: 'float32', keras_history: [name, node, index] },
});
const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };

function lstmConfig(name: string, returnState: boolean, returnSequences: boolean, keras3: boolean) {
  return {
    name,
    trainable: true,
    dtype: keras3 ? policy : 'float32',
    return_sequences: returnSequences,
    return_state: returnState,
    go_backwards: false,
    stateful: false,
    unroll: false,
    units: U,
    activation: 'tanh',
    recurrent_activation: 'sigmoid',
    use_bias: true,
    unit_forget_bias: true,
    dropout: 0.0,
    recurrent_dropout: 0.0,
  };
}

function keras2Topology() {
  return {
    class_name: 'Functional',
    config: {
      name: 'seq2seq',
      layers: [
        {
          class_name: 'InputLayer',
          config: { batch_input_shape: [null, T, F], dtype: 'float32', sparse: false, name: 'enc' },
          name: 'enc',
          inbound_nodes: [],
        },
        {
          class_name: 'InputLayer',
          config: { batch_input_shape: [null, T, F], dtype: 'float32', sparse: false, name: 'dec' },
          name: 'dec',
          inbound_nodes: [],
        },
        { class_name: 'LSTM', config: lstmConfig('encoder', true, false, false), name: 'encoder', inbound_nodes: [[['enc', 0, 0, {}]]] },
        {
          class_name: 'LSTM',
          config: lstmConfig('decoder', false, true, false),
          name: 'decoder',
          inbound_nodes: [
            [
              [
                'dec',
                0,
                0,
                {
                  initial_state: [
                    ['encoder', 0, 1],
                    ['encoder', 0, 2],
                  ],
                },
              ],
            ],
          ],
        },
        {
          class_name: 'Dense',
          config: { name: 'head', units: 1, activation: 'linear', use_bias: true },
          name: 'head',
          inbound_nodes: [[['decoder', 0, 0, {}]]],
        },
      ],
      input_layers: [
        ['enc', 0, 0],
        ['dec', 0, 0],
      ],
      output_layers: [['head', 0, 0]],
    },
    keras_version: '2.15.0',
    backend: 'tensorflow',
  };
}

function keras3Topology() {
  const layer = (class_name: string, config: object, inbound_nodes: unknown[]) => ({
    module: 'keras.layers',
    class_name,
    config,
    registered_name: null,
    name: (config as any).name,
    inbound_nodes,
  });
  return {
    module: 'keras',
    class_name: 'Functional',
    registered_name: 'Functional',
    config: {
      name: 'seq2seq',
      trainable: true,
      layers: [
        layer('InputLayer', { batch_shape: [null, T, F], dtype: 'float32', sparse: false, name: 'enc' }, []),
        layer('InputLayer', { batch_shape: [null, T, F], dtype: 'float32', sparse: false, name: 'dec' }, []),
        layer('LSTM', lstmConfig('encoder', true, false, true), [
          { args: [kerasTensor('enc', 0, 0, [null, T, F])], kwargs: { training: false, mask: null } },
        ]),
        layer('LSTM', lstmConfig('decoder', false, true, true), [
          {
            args: [kerasTensor('dec', 0, 0, [null, T, F])],
            kwargs: {
              initial_state: [kerasTensor('encoder', 0, 1, [null, U]), kerasTensor('encoder', 0, 2, [null, U])],
              training: false,
              mask: null,
            },
          },
        ]),
        layer('Dense', { name: 'head', trainable: true, dtype: policy, units: 1, activation: 'linear', use_bias: true }, [
          { args: [kerasTensor('decoder', 0, 0, [null, T, U])], kwargs: {} },
        ]),
      ],
      input_layers: [
        ['enc', 0, 0],
        ['dec', 0, 0],
      ],
      output_layers: ['head', 0, 0],
    },
    keras_version: '3.6.0',
    backend: 'tensorflow',
  };
}

async function artifactsWith(topology: object): Promise<{ artifacts: ModelArtifacts; ref: ReturnType<typeof reference> }> {
  const ref = reference();
  ref.setWeights(ref.getWeights().map((w, i) => tensor(lcgData(w.size, 20 + i), w.shape)));
  const saved = await saveToMemory(ref, io);
  return {
    artifacts: { ...saved, modelTopology: topology, generatedBy: 'keras', convertedBy: 'TensorFlow.js Converter' } as ModelArtifacts,
    ref,
  };
}

describe('hand-written Keras Functional topologies', () => {
  const x = [tensor(lcgData(2 * T * F, 31), [2, T, F]), tensor(lcgData(2 * T * F, 32), [2, T, F])];

  test.each([
    ['Keras 2 (list-form nodes, initial_state refs in kwargs)', keras2Topology],
    ['Keras 3 ({args, kwargs} with __keras_tensor__, single output ref)', keras3Topology],
  ])('%s loads and predicts as the API-built graph', async (_title, topology) => {
    const { artifacts, ref } = await artifactsWith(topology());
    const loaded = await loadLayersModel(io.fromMemory(artifacts));
    expect(loaded.name).toBe('seq2seq');
    expect(loaded.inputNames).toEqual(['enc', 'dec']);
    expect(loaded.getLayer('decoder').inboundNodes[0].inputTensors.map((t) => t.sourceLayer.name)).toEqual(['dec', 'encoder', 'encoder']);
    expectClose(flat(loaded.predict(x)), flat(ref.predict(x)));
  });

  test('a Sequential nested in a functional model loads, and its weights are found by name', async () => {
    const inner = sequential({
      layers: [layers.dense({ units: 3, inputShape: [4], activation: 'tanh', name: 'in_a' }), layers.dense({ units: 2, name: 'in_b' })],
      name: 'inner',
    });
    const xi = input({ shape: [4], name: 'x' });
    const y = layers.dense({ units: 1, name: 'top' }).apply(inner.apply(xi) as SymbolicTensor) as SymbolicTensor;
    const outer = model({ inputs: xi, outputs: y, name: 'outer' });
    outer.setWeights(outer.getWeights().map((w, i) => tensor(lcgData(w.size, 40 + i), w.shape)));
    const artifacts = await saveToMemory(outer, io);
    const loaded = await loadLayersModel(io.fromMemory(artifacts));
    expect(loaded.getLayer('inner')).toBeInstanceOf(Sequential);
    const xv = tensor(lcgData(8, 41), [2, 4]);
    expectClose(flat(loaded.predict(xv)), flat(outer.predict(xv)));
    const theirs = await tf.loadLayersModel(tf.io.fromMemory(artifacts as any));
    expectClose(flat(theirs.predict(tf.tensor(lcgData(8, 41), [2, 4]))), flat(outer.predict(xv)));
  });
});

describe('malformed graphs are refused naming the layer', () => {
  const broken = async (edit: (t: any) => void) => {
    const t = keras2Topology();
    edit(t);
    const { artifacts } = await artifactsWith(t);
    return loadLayersModel(io.fromMemory(artifacts));
  };
  test('a reference to a missing layer', async () => {
    await expect(broken((t) => (t.config.layers[4].inbound_nodes = [[['nowhere', 0, 0, {}]]]))).rejects.toThrow(
      /^loadLayersModel: layer 'head', inbound node 0: refers to layer 'nowhere', which is not in the model/,
    );
  });
  test('a missing node index and a missing output index', async () => {
    await expect(broken((t) => (t.config.layers[4].inbound_nodes = [[['decoder', 3, 0, {}]]]))).rejects.toThrow(
      /layer 'head', inbound node 0: refers to node 3 of layer 'decoder', which has 1 node/,
    );
    await expect(broken((t) => (t.config.layers[4].inbound_nodes = [[['decoder', 0, 5, {}]]]))).rejects.toThrow(
      /layer 'head', inbound node 0: refers to output 5 of layer 'decoder'/,
    );
  });
  test('a cycle', async () => {
    await expect(
      broken((t) => {
        t.config.layers[2].inbound_nodes = [[['head', 0, 0, {}]]];
      }),
    ).rejects.toThrow(/^loadLayersModel: layer '(encoder|decoder|head)', inbound node 0: its inputs depend on each other in a cycle/);
  });
  test('an output that is not a layer of the model, and malformed node entries', async () => {
    await expect(broken((t) => (t.config.output_layers = [['ghost', 0, 0]]))).rejects.toThrow(/output_layers\[0\] refers to layer 'ghost'/);
    await expect(broken((t) => (t.config.layers[4].inbound_nodes = [['decoder']]))).rejects.toThrow(
      /layer 'head', inbound node 0: entry 0 must be \[layerName, nodeIndex, tensorIndex, kwargs\]/,
    );
    await expect(
      broken((t) => (t.config.layers[4].inbound_nodes = [{ args: [{ class_name: '__keras_tensor__', config: {} }] }])),
    ).rejects.toThrow(/layer 'head', inbound node 0: .*keras_history/);
  });
  test('an input that does not reach the outputs', async () => {
    await expect(broken((t) => (t.config.layers[3].inbound_nodes = [[['enc', 0, 0, {}]]]))).rejects.toThrow(
      /inputs\[1\] \(input layer 'dec'\) does not reach any output/,
    );
  });
});

describe('the tfjs translation example pattern on a loaded model', () => {
  test('sampling models built from a saved-and-loaded seq2seq model (model.input[i], layers[i].output) decode as the training model', async () => {
    // Train-time graph as Keras's lstm_seq2seq writes it: input_1, input_2, lstm (returnState), lstm_1, dense.
    const V = 4;
    const latent = 3;
    const encoderInputs = input({ shape: [null, V] });
    const [, stateH, stateC] = layers.lstm({ units: latent, returnState: true }).apply(encoderInputs) as SymbolicTensor[];
    const decoderInputs = input({ shape: [null, V] });
    const [decSeq] = layers
      .lstm({ units: latent, returnSequences: true, returnState: true })
      .apply(decoderInputs, { initialState: [stateH, stateC] }) as SymbolicTensor[];
    const trained = model({
      inputs: [encoderInputs, decoderInputs],
      outputs: layers.dense({ units: V, activation: 'softmax' }).apply(decSeq) as SymbolicTensor,
    });
    trained.setWeights(trained.getWeights().map((w, i) => tensor(lcgData(w.size, 70 + i), w.shape)));
    const loaded = await loadLayersModel(io.fromMemory(await saveToMemory(trained, io)));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'InputLayer', 'LSTM', 'LSTM', 'Dense']);

    // What the tfjs translation example does with the loaded model.
    const encIn = (loaded.input as SymbolicTensor[])[0];
    const encOut = loaded.layers[2].output as SymbolicTensor[];
    const encoderModel = model({ inputs: encIn, outputs: [encOut[1], encOut[2]] });
    const hIn = input({ shape: [latent], name: 'decoder_state_input_h' });
    const cIn = input({ shape: [latent], name: 'decoder_state_input_c' });
    const [decOut, h, c] = loaded.layers[3].apply((loaded.input as SymbolicTensor[])[1], { initialState: [hIn, cIn] }) as SymbolicTensor[];
    const decoderModel = model({
      inputs: [(loaded.input as SymbolicTensor[])[1], hIn, cIn],
      outputs: [loaded.layers[4].apply(decOut) as SymbolicTensor, h, c],
    });

    const xe = tensor(lcgData(2 * 5 * V, 71), [2, 5, V]);
    const xd = tensor(lcgData(2 * 3 * V, 72), [2, 3, V]);
    const whole = flat(trained.predict([xe, xd]))[0];
    let [sh, sc] = encoderModel.predict(xe) as any[];
    const xdv = xd.dataSync();
    for (let t = 0; t < 3; t++) {
      const step: number[] = [];
      for (let b = 0; b < 2; b++) for (let k = 0; k < V; k++) step.push(xdv[(b * 3 + t) * V + k]);
      const [p, nh, nc] = decoderModel.predict([tensor(step, [2, 1, V]), sh, sc]) as any[];
      const expected: number[] = [];
      for (let b = 0; b < 2; b++) for (let k = 0; k < V; k++) expected.push(whole[(b * 3 + t) * V + k]);
      expect(worstRatio(Array.from(p.dataSync() as Float32Array), expected, 0, 1e-5)).toBeLessThanOrEqual(1);
      [sh, sc] = [nh, nc];
    }
  });
});

/**
 * Custom classes through save/load: a user's layer and a user's cell inside layers.rnn, registered with
 * serialization.registerClass under their static className, round-trip (config, weights, predictions); without
 * registration the load fails with an error naming the class, listing the known ones and saying how to register.
 * Also: a model saved with includeOptimizer comes back compiled and trains.
 */
import { add, matMul, mul, tanh, Tensor, tensor } from '@recurrent/core';
import { CallKwargs, Layer, LayerArgs, layers, LayerVariable, RNNCell, resetNameCounters, Shape } from '@recurrent/layers';
import { io, loadLayersModel, sequential, serialization } from '@recurrent/models';
import { saveToMemory, values } from './helpers';

interface ScaleArgs extends LayerArgs {
  factor: number;
}

/** A custom layer with a weight and a config value. */
class LearnedScale extends Layer {
  static override className = 'LearnedScale';
  readonly factor: number;
  private w!: LayerVariable;
  constructor(args: ScaleArgs) {
    super(args);
    this.factor = args.factor;
  }
  override build(inputShape: Shape | Shape[]): void {
    const s = inputShape as Shape;
    this.w = this.addWeight('w', [s[s.length - 1]!], 'float32', 'ones');
  }
  override call(inputs: Tensor | Tensor[]): Tensor {
    return mul(mul(inputs as Tensor, this.w), this.factor);
  }
  override getConfig() {
    return { ...super.getConfig(), factor: this.factor };
  }
}

/** A custom cell: h' = tanh(x K + h R). */
class MinimalCell extends RNNCell {
  static override className = 'MinimalCell';
  readonly stateSize: number;
  readonly units: number;
  private kernel!: LayerVariable;
  private recurrent!: LayerVariable;
  constructor(args: LayerArgs & { units: number }) {
    super(args);
    this.units = args.units;
    this.stateSize = args.units;
  }
  override build(inputShape: Shape | Shape[]): void {
    const s = inputShape as Shape;
    this.kernel = this.addWeight('kernel', [s[s.length - 1]!, this.units]);
    this.recurrent = this.addWeight('recurrent_kernel', [this.units, this.units]);
  }
  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs = {}): Tensor[] {
    const [x, h] = inputs as Tensor[];
    const y = tanh(add(matMul(x, this.kernel), matMul(h, this.recurrent)));
    return [y, y];
  }
  override getConfig() {
    return { ...super.getConfig(), units: this.units };
  }
}

const x = tensor(
  Array.from({ length: 2 * 4 * 3 }, (_, i) => Math.cos(i * 0.7)),
  [2, 4, 3],
);

function buildModel() {
  return sequential({
    layers: [
      layers.rnn({ cell: new MinimalCell({ units: 3 }), returnSequences: true, inputShape: [4, 3], name: 'rnn' }),
      new LearnedScale({ factor: 2, name: 'learned_scale' }),
      layers.lstm({ units: 2, name: 'lstm' }),
    ],
  });
}

beforeEach(() => resetNameCounters());

describe('custom classes', () => {
  it('without registration, the load fails naming the class, listing the known ones and how to register', async () => {
    const a = await saveToMemory(buildModel());
    const err = await loadLayersModel(io.fromMemory(a)).then(
      () => new Error('loaded'),
      (e) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    // The cell is inside layer 0 (RNN), so the first failure is the nested cell class.
    expect(err.message).toMatch(
      /^loadLayersModel: layer 0 \('rnn', class RNN\): cannot create the layer from its config: Unknown layer class 'MinimalCell'/,
    );
    expect(err.message).toMatch(/Known layer classes: .*LSTM.*/);
    expect(err.message).toContain('serialization.registerClass(MinimalCell)');
    // A top-level unknown class.
    const b = JSON.parse(JSON.stringify(a.modelTopology));
    b.config.layers.splice(0, 1);
    b.config.layers[0].config.batch_input_shape = [null, 4, 3];
    const err2 = await loadLayersModel(io.fromMemory({ modelTopology: b })).then(
      () => new Error('loaded'),
      (e) => e as Error,
    );
    expect(err2.message).toMatch(
      /^loadLayersModel: layer 0 \('learned_scale', class LearnedScale\): unknown layer class 'LearnedScale'\. Known layer classes: .*Bidirectional.*GRU.*/,
    );
    expect(err2.message).toContain("static className = 'LearnedScale'");
    expect(err2.message).toContain('serialization.registerClass(LearnedScale)');
  });

  it('registered with serialization.registerClass, a custom layer and a custom cell round-trip', async () => {
    expect(serialization.registerClass(LearnedScale)).toBe(LearnedScale);
    serialization.registerClass(MinimalCell);
    const model = buildModel();
    const expected = values(model.predict(x));
    const a = await saveToMemory(model);
    const topo = a.modelTopology as any;
    expect(topo.config.layers[0].config.cell).toMatchObject({ class_name: 'MinimalCell', config: { units: 3 } });
    expect(topo.config.layers[1]).toMatchObject({ class_name: 'LearnedScale', config: { factor: 2 } });
    expect(a.weightSpecs!.map((s) => s.name)).toEqual([
      'rnn/kernel',
      'rnn/recurrent_kernel',
      'learned_scale/w',
      'lstm/kernel',
      'lstm/recurrent_kernel',
      'lstm/bias',
    ]);
    const back = await loadLayersModel(io.fromMemory(a));
    expect(back.getLayer('learned_scale')).toBeInstanceOf(LearnedScale);
    expect(values(back.predict(x))).toEqual(expected);
    expect(back.toJSON(null, false)).toEqual(model.toJSON(null, false));
  });

  it('the serialization namespace: SerializationMap view, getRegisteredName, (de)serialize, bad kinds', () => {
    serialization.registerClass(LearnedScale);
    const map = serialization.SerializationMap.getMap().classNameMap;
    expect(map.LSTM[0].className).toBe('LSTM');
    expect(map.LearnedScale[0]).toBe(LearnedScale);
    expect(map.GlorotUniform).toBeDefined();
    expect(serialization.getRegisteredName(LearnedScale)).toBe('LearnedScale');
    const l = serialization.deserialize<LearnedScale>({ class_name: 'LearnedScale', config: { factor: 3, name: 's' } });
    expect(l.factor).toBe(3);
    expect(serialization.serialize(l)).toMatchObject({ className: 'LearnedScale', config: { factor: 3, name: 's' } });
    expect(() => serialization.registerClass(LearnedScale, 'my-package' as any)).toThrow(/package-qualified names .* are not supported/);
  });
});

describe('training config', () => {
  it('saved with includeOptimizer, the loaded model is compiled with the same loss, metrics and optimizer settings and trains', async () => {
    const model = sequential({ layers: [layers.gru({ units: 3, inputShape: [4, 3] }), layers.dense({ units: 1 })] });
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError', metrics: ['mae'] });
    const a = await saveToMemory(model, io, { includeOptimizer: true });
    expect(a.trainingConfig).toEqual({
      loss: 'mean_squared_error',
      metrics: ['mae'],
      optimizer_config: { class_name: 'Adam', config: model.optimizer.getConfig() },
    });
    const back = await loadLayersModel(io.fromMemory(a));
    expect(back.compiled).toBe(true);
    expect(back.optimizer.getConfig()).toEqual(model.optimizer.getConfig());
    const y = tensor([0.5, -0.5], [2, 1]);
    const h = await back.fit(x, y, { epochs: 5, batchSize: 2, verbose: 0, shuffle: false });
    expect(h.history.loss[4]).toBeLessThan(h.history.loss[0]);
    // Without includeOptimizer: not compiled; a custom loss function cannot be written.
    expect((await loadLayersModel(io.fromMemory(await saveToMemory(model)))).compiled).toBe(false);
    model.compile({ optimizer: 'sgd', loss: (t: Tensor, p: Tensor) => mul(add(t, p), 0) });
    await expect(saveToMemory(model, io, { includeOptimizer: true })).rejects.toThrow(
      /custom function .* cannot be written into the training config/,
    );
    await expect(saveToMemory(model, io, { includeOptimizr: true })).rejects.toThrow(/save: unknown option 'includeOptimizr'/);
  });

  it('Keras-style training configs: snake_case names, lr, RMSprop spelling, SGD with momentum; unsupported keys fail (strict) or warn', async () => {
    const model = sequential({ layers: [layers.dense({ units: 1, inputShape: [3] })] });
    const a = await saveToMemory(model);
    const load = (tc: any, strict = true) => loadLayersModel(io.fromMemory({ ...a, trainingConfig: tc }), { strict });
    const m1 = await load({
      loss: 'mse',
      metrics: ['accuracy'],
      optimizer_config: { class_name: 'RMSprop', config: { lr: 0.01, rho: 0.8, name: 'RMSprop', decay: 0 } },
    });
    expect(m1.optimizer.getClassName()).toBe('RMSProp');
    expect(m1.optimizer.getConfig()).toMatchObject({ learningRate: 0.01 });
    const m2 = await load({
      loss: 'binary_crossentropy',
      optimizer_config: { class_name: 'SGD', config: { learning_rate: 0.1, momentum: 0.9, nesterov: true } },
    });
    expect(m2.optimizer.getClassName()).toBe('Momentum');
    expect(m2.optimizer.getConfig()).toMatchObject({ learningRate: 0.1, momentum: 0.9, useNesterov: true });
    await expect(
      load({ loss: 'mse', sample_weight_mode: 'temporal', optimizer_config: { class_name: 'SGD', config: { learning_rate: 0.1 } } }),
    ).rejects.toThrow(
      /^loadLayersModel: cannot compile the model from the file's training config: .*'sample_weight_mode', which is not supported/,
    );
    await expect(load({ loss: 'mse', optimizer_config: { class_name: 'Ftrl', config: {} } })).rejects.toThrow(
      /unknown optimizer class 'Ftrl'/,
    );
    const m3 = await load({ loss: 'mse', optimizer_config: { class_name: 'Ftrl', config: {} } }, false);
    expect(m3.compiled).toBe(false);
    expect(m3.loadReport!.warnings[0]).toMatch(/unknown optimizer class 'Ftrl'/);
  });
});

/**
 * Issue #13 item 7: unknown and mistyped options are refused, for every built-in layer, cell, wrapper and
 * initializer, in code (factories) and from files (deserialize): a typo or a snake_case spelling of a known
 * option gets a "did you mean", a boolean given as the string 'false' is refused, a number must be finite.
 * Keys tfjs/Keras accept without effect here pass with one warning.
 */
import { constraints, deserialize, initializers, Layer, layers, regularizers, resetNameCounters, snakeToCamel } from '../../src';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The smallest valid args of each factory. */
const MINIMAL: { [factory: string]: () => Json } = {
  activation: () => ({ activation: 'relu' }),
  dense: () => ({ units: 2 }),
  dropout: () => ({ rate: 0.1 }),
  flatten: () => ({}),
  inputLayer: () => ({ inputShape: [3] }),
  permute: () => ({ dims: [2, 1] }),
  repeatVector: () => ({ n: 2 }),
  reshape: () => ({ targetShape: [2, 2] }),
  embedding: () => ({ inputDim: 5, outputDim: 2 }),
  masking: () => ({}),
  spatialDropout1d: () => ({ rate: 0.1 }),
  globalAveragePooling1d: () => ({}),
  globalMaxPooling1d: () => ({}),
  globalMaxPool1d: () => ({}),
  layerNormalization: () => ({}),
  timeDistributed: () => ({ layer: layers.dense({ units: 1 }) }),
  rnn: () => ({ cell: layers.lstmCell({ units: 2 }) }),
  simpleRNN: () => ({ units: 2 }),
  gru: () => ({ units: 2 }),
  lstm: () => ({ units: 2 }),
  simpleRNNCell: () => ({ units: 2 }),
  gruCell: () => ({ units: 2 }),
  lstmCell: () => ({ units: 2 }),
  stackedRNNCells: () => ({ cells: [layers.lstmCell({ units: 2 })] }),
  bidirectional: () => ({ layer: layers.lstm({ units: 2 }) }),
  concatenate: () => ({ axis: -1 }),
  add: () => ({}),
  subtract: () => ({}),
  multiply: () => ({}),
  average: () => ({}),
  maximum: () => ({}),
  minimum: () => ({}),
  dot: () => ({ axes: 1 }),
  convLstm2d: () => ({ filters: 2, kernelSize: 3 }),
  convLstm2dCell: () => ({ filters: 2, kernelSize: 3 }),
  convLstm1d: () => ({ filters: 2, kernelSize: 3 }),
  convLstm1dCell: () => ({ filters: 2, kernelSize: 3 }),
  attention: () => ({}),
  additiveAttention: () => ({}),
  multiHeadAttention: () => ({ numHeads: 2, keyDim: 2 }),
  attentionCell: () => ({ cell: layers.lstmCell({ units: 2 }), units: 2 }),
  conv1d: () => ({ filters: 2, kernelSize: 3 }),
  separableConv1d: () => ({ filters: 2, kernelSize: 3 }),
  depthwiseConv1d: () => ({ kernelSize: 3 }),
  maxPooling1d: () => ({}),
  maxPool1d: () => ({}),
  averagePooling1d: () => ({}),
  avgPool1d: () => ({}),
  avgPooling1d: () => ({}),
  upSampling1d: () => ({}),
  zeroPadding1d: () => ({}),
  cropping1d: () => ({}),
  conv2d: () => ({ filters: 2, kernelSize: 3 }),
  maxPooling2d: () => ({}),
  maxPool2d: () => ({}),
  averagePooling2d: () => ({}),
  avgPool2d: () => ({}),
  avgPooling2d: () => ({}),
  globalAveragePooling2d: () => ({}),
  globalMaxPooling2d: () => ({}),
  globalMaxPool2d: () => ({}),
  zeroPadding2d: () => ({}),
  upSampling2d: () => ({}),
  cropping2d: () => ({}),
  cropping2D: () => ({}),
  batchNormalization: () => ({}),
  gaussianNoise: () => ({ stddev: 0.1 }),
  gaussianDropout: () => ({ rate: 0.1 }),
  alphaDropout: () => ({ rate: 0.1 }),
  activityRegularization: () => ({}),
  leakyReLU: () => ({}),
  prelu: () => ({}),
  elu: () => ({}),
  thresholdedReLU: () => ({}),
  softmax: () => ({}),
  reLU: () => ({}),
  textVectorization: () => ({}),
  rescaling: () => ({ scale: 2 }),
  categoryEncoding: () => ({ numTokens: 3 }),
};

const factories = layers as unknown as { [k: string]: (a: Json) => Layer };

/** snake_case of a camelCase key ('returnSequences' → 'return_sequences'). */
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

beforeEach(() => resetNameCounters());

describe('every layer factory validates its option bag', () => {
  it('the table covers every factory', () => {
    // layers.Layer, layers.RNNCell and layers.RNN are classes (as tfjs's), layers.input makes a symbolic input: not factories.
    expect(Object.keys(MINIMAL).sort()).toEqual(
      Object.keys(layers)
        .filter((k) => !['Layer', 'RNNCell', 'RNN', 'input'].includes(k))
        .sort(),
    );
  });

  for (const name of Object.keys(MINIMAL)) {
    it(name, () => {
      const ok = factories[name](MINIMAL[name]());
      const cls = ok.getClassName();
      const config = ok.getConfig();
      // A typo of a known key: the last letter dropped from the longest key.
      const longest = Object.keys(config).sort((a, b) => b.length - a.length)[0];
      const typo = longest.slice(0, -1);
      expect(() => factories[name]({ ...MINIMAL[name](), [typo]: config[longest] })).toThrow(
        new RegExp(`^${cls}: unknown option '${typo}'; did you mean '${longest}'\\?`),
      );
      // A snake_case spelling of a multi-word key.
      const multi = Object.keys(config).find((k) => /[A-Z]/.test(k) && snakeToCamel(snake(k)) === k);
      if (multi !== undefined) {
        expect(() => factories[name]({ ...MINIMAL[name](), [snake(multi)]: config[multi] })).toThrow(
          new RegExp(`^${cls}: unknown option '${snake(multi)}'; did you mean '${multi}'\\?`),
        );
      }
      // Booleans as strings, numbers that are not finite.
      for (const [k, v] of Object.entries(config)) {
        if (typeof v === 'boolean') {
          expect(() => factories[name]({ ...MINIMAL[name](), [k]: 'false' })).toThrow(
            new RegExp(`${k} must be true or false, received the string 'false'`),
          );
        }
        if (typeof v === 'number' && k !== 'seed') {
          expect(() => factories[name]({ ...MINIMAL[name](), [k]: NaN })).toThrow();
        }
      }
      // From a file: the same checks through deserialize.
      expect(() => deserialize({ className: cls, config: { ...config, [typo]: 1 } }, 'layer')).toThrow(
        new RegExp(`^${cls}: unknown option '${typo}'`),
      );
    });
  }

  // A misspelled REQUIRED option ({unit: 4} for {units: 4}): the missing option's check may run first, but the
  // message must still point at the typo.
  for (const name of Object.keys(MINIMAL)) {
    for (const key of Object.keys(MINIMAL[name]() as object)) {
      const typo = key.length > 2 ? key.slice(0, -1) : key.toUpperCase();
      it(`${name}: a misspelled required option '${typo}' gets "did you mean '${key}'"`, () => {
        const args = { ...MINIMAL[name]() } as { [k: string]: unknown };
        args[typo] = args[key];
        delete args[key];
        expect(() => factories[name](args)).toThrow(new RegExp(`did you mean '${key}'`));
      });
    }
  }

  it('the issue examples', () => {
    expect(() => layers.lstm({ units: 4, returnSequence: true } as Json)).toThrow(
      /^LSTM: unknown option 'returnSequence'; did you mean 'returnSequences'\?/,
    );
    expect(() => layers.lstm({ units: 4, return_sequences: true } as Json)).toThrow(
      /^LSTM: unknown option 'return_sequences'; did you mean 'returnSequences'\?/,
    );
    expect(() => layers.lstm({ units: 4, returnSequences: 'false' } as Json)).toThrow(
      /^LSTM: returnSequences must be true or false, received the string 'false'/,
    );
    expect(() => deserialize({ className: 'LSTM', config: { units: 4, returnSequences: 'false' } }, 'layer')).toThrow(
      /must be true or false/,
    );
  });

  it('direct construction validates too (the most-derived class, with its own name)', async () => {
    const { LSTM, Dense, GlorotUniform } = await import('../../src');
    expect(() => new LSTM({ units: 2, returnSequence: true } as Json)).toThrow(
      /^LSTM: unknown option 'returnSequence'; did you mean 'returnSequences'\?/,
    );
    expect(() => new LSTM({ units: 2, goBackwards: 'false' } as Json)).toThrow(
      /^LSTM: goBackwards must be true or false, received the string 'false'/,
    );
    expect(() => new Dense({ units: 2, unit: 3 } as Json)).toThrow(/^Dense: unknown option 'unit'; did you mean 'units'\?/);
    expect(new Dense({ units: 2, inputDim: 3 }).batchInputShape).toEqual([null, 3]);
    expect(() => new GlorotUniform({ sed: 1 } as Json)).toThrow(/^GlorotUniform: unknown option 'sed'; did you mean 'seed'\?/);
  });

  it('keys tfjs accepts without effect here pass with one warning', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(layers.spatialDropout1d({ rate: 0.1, noiseShape: [null, 1, 3] } as Json).getClassName()).toBe('SpatialDropout1D');
      expect(
        warn.mock.calls.some((c) =>
          /SpatialDropout1D: option 'noiseShape' is accepted for tfjs\/Keras compatibility but has no effect here/.test(String(c[0])),
        ),
      ).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('initializer factories validate their option bags', () => {
  const INITS: { [k: string]: Json } = {
    constant: { value: 1 },
    randomNormal: {},
    randomUniform: {},
    truncatedNormal: {},
    varianceScaling: {},
    glorotUniform: {},
    glorotNormal: {},
    heNormal: {},
    heUniform: {},
    leCunNormal: {},
    leCunUniform: {},
    orthogonal: {},
    identity: {},
  };
  const f = initializers as unknown as { [k: string]: (a: Json) => { getConfig(): Json; getClassName?(): string } };
  for (const name of Object.keys(INITS)) {
    it(name, () => {
      const cfg = f[name](INITS[name]).getConfig();
      expect(() => f[name]({ ...INITS[name], sed: 1 })).toThrow(
        'seed' in cfg ? /unknown option 'sed'; did you mean 'seed'\?/ : /unknown option 'sed'/,
      );
    });
  }
});

describe('regularizers and constraints validate their option bags', () => {
  it.each([
    ['L1L2', () => regularizers.l1l2({ l1: 0.1, l3: 1 } as Json), /^L1L2: unknown option 'l3'/],
    ['MaxNorm', () => constraints.maxNorm({ maxValu: 2 } as Json), /^MaxNorm: unknown option 'maxValu'; did you mean 'maxValue'\?/],
    [
      'MinMaxNorm',
      () => constraints.minMaxNorm({ minValue: 0, rat: 1 } as Json),
      /^MinMaxNorm: unknown option 'rat'; did you mean 'rate'\?/,
    ],
    ['UnitNorm', () => constraints.unitNorm({ axes: 0 } as Json), /^UnitNorm: unknown option 'axes'; did you mean 'axis'\?/],
  ])('%s', (_n, f, re) => {
    expect(f).toThrow(re);
  });
});

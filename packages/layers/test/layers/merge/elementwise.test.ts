/**
 * Add, Subtract, Multiply, Average, Maximum, Minimum: tfjs parity (values and input gradients, equal
 * shapes, 3 inputs, Keras broadcasting between ranks / size-1 dims), finite-difference gradients,
 * masks against hand-computed ANDs, null-dim shapes, the factories, the harness and bad input.
 */
import * as tf from '@tensorflow/tfjs';
import { Tensor, tensor, tensor2d } from '@recurrent/core';
import { Add, Average, deserialize, layers, Layer, Maximum, Merge, Minimum, Multiply, serialize, Subtract } from '@recurrent/layers';
import { checkGradients } from '@recurrent/test-utils';
import { runLayerHarness } from '../../helpers/layer_harness';
import { boolMask, compareWithTfjs, maskValues, uniform } from './merge_test_utils';

type Kind = 'add' | 'subtract' | 'multiply' | 'average' | 'maximum' | 'minimum';
const KINDS: Kind[] = ['add', 'subtract', 'multiply', 'average', 'maximum', 'minimum'];

const ours: Record<Kind, () => Merge> = {
  add: () => layers.add(),
  subtract: () => layers.subtract(),
  multiply: () => layers.multiply(),
  average: () => layers.average(),
  maximum: () => layers.maximum(),
  minimum: () => layers.minimum(),
};
/** tfjs has no Subtract layer: its reference is tf.sub after Keras's rank alignment (size-1 axes after the batch axis). */
function tfSubtract(xs: tf.Tensor[]): tf.Tensor {
  const rank = Math.max(...xs.map((x) => x.rank));
  const [a, b] = xs.map((x) => {
    let y = x;
    while (y.rank < rank) y = tf.expandDims(y, 1);
    return y;
  });
  return tf.sub(a, b);
}
const theirs: Record<Kind, () => tf.layers.Layer | ((xs: tf.Tensor[]) => tf.Tensor)> = {
  add: () => tf.layers.add({}),
  subtract: () => tfSubtract,
  multiply: () => tf.layers.multiply({}),
  average: () => tf.layers.average({}),
  maximum: () => tf.layers.maximum({}),
  minimum: () => tf.layers.minimum({}),
};
const classes: Record<Kind, typeof Layer> = {
  add: Add,
  subtract: Subtract,
  multiply: Multiply,
  average: Average,
  maximum: Maximum,
  minimum: Minimum,
};

/** Float64 reference of each merge, element by element. */
const reference: Record<Kind, (vs: number[]) => number> = {
  add: (vs) => vs.reduce((a, b) => a + b),
  subtract: (vs) => vs[0] - vs[1],
  multiply: (vs) => vs.reduce((a, b) => a * b),
  average: (vs) => vs.reduce((a, b) => a + b) / vs.length,
  maximum: (vs) => Math.max(...vs),
  minimum: (vs) => Math.min(...vs),
};

for (const kind of KINDS) {
  runLayerHarness({
    make: ours[kind],
    inputShape: [2, 3, 4],
    makeInput: () => [uniform([2, 3, 4], 1), uniform([2, 3, 4], 2)],
    expectedOutputShape: [2, 3, 4],
    expectedWeightShapes: [],
    expectedParamCount: 0,
  });
}

describe('elementwise merge layers: tfjs parity', () => {
  const shapeCases: { title: string; shapes: number[][]; kinds?: Kind[] }[] = [
    {
      title: 'two equal shapes [3,4,5]',
      shapes: [
        [3, 4, 5],
        [3, 4, 5],
      ],
    },
    {
      title: 'three inputs [2,6]',
      shapes: [
        [2, 6],
        [2, 6],
        [2, 6],
      ],
      kinds: KINDS.filter((k) => k !== 'subtract'),
    },
    {
      title: 'rank broadcast [2,3,4] with [2,4]',
      shapes: [
        [2, 3, 4],
        [2, 4],
      ],
    },
    {
      title: 'size-1 broadcast [2,1,4] with [2,3,1]',
      shapes: [
        [2, 1, 4],
        [2, 3, 1],
      ],
    },
  ];
  for (const c of shapeCases) {
    for (const kind of c.kinds ?? KINDS) {
      // tfjs's maximum/minimum gradients do not sum over broadcast axes (tfjs 4.22 throws a shape
      // error), so with broadcasting only their values are compared; the finite-difference checks
      // below cover those gradients.
      const broadcasting = c.shapes.some((s) => s.join() !== c.shapes[0].join());
      const withGrads = !(broadcasting && (kind === 'maximum' || kind === 'minimum'));
      it(`${kind}: ${c.title}: values${withGrads ? ' and gradients w.r.t. every input' : ''} match tfjs`, () => {
        const inputs = c.shapes.map((s, i) => uniform(s, 10 + i));
        const r = compareWithTfjs(ours[kind](), theirs[kind](), inputs, withGrads);
        expect(r.valueDiff).toBeLessThan(1e-6);
        expect(r.gradDiffs.length).toBe(withGrads ? inputs.length : 0);
        r.gradDiffs.forEach((d) => expect(d).toBeLessThan(1e-5));
      });
    }
  }

  it('the values equal a float64 elementwise formula (3 inputs, subtract with 2)', () => {
    for (const kind of KINDS) {
      const n = kind === 'subtract' ? 2 : 3;
      const inputs = Array.from({ length: n }, (_, i) => uniform([2, 5], 30 + i));
      const out = ours[kind]().apply(inputs) as Tensor;
      const vals = inputs.map((x) => x.dataSync());
      const got = out.dataSync();
      for (let e = 0; e < got.length; e++) {
        expect(got[e]).toBeCloseTo(reference[kind](vals.map((v) => v[e])), 5);
      }
    }
  });
});

describe('elementwise merge layers: finite-difference gradients', () => {
  for (const kind of KINDS) {
    it(`${kind} (equal shapes and a rank broadcast)`, () => {
      const apply = (...xs: Tensor[]) => ours[kind]().apply(xs) as Tensor;
      checkGradients(apply, [uniform([2, 3], 40), uniform([2, 3], 41)]);
      checkGradients(apply, [uniform([2, 2, 3], 42), uniform([2, 3], 43)]);
      checkGradients(apply, [uniform([2, 1, 3], 44), uniform([2, 2, 1], 45)]);
    });
  }
});

describe('elementwise merge layers: shapes', () => {
  it('computeOutputShape handles null dims, rank broadcasting and batch sizes as Keras', () => {
    const add = new Add();
    expect(
      add.computeOutputShape([
        [null, 3, 4],
        [null, 3, 4],
      ]),
    ).toEqual([null, 3, 4]);
    expect(
      add.computeOutputShape([
        [null, 3, 4],
        [5, 3, 4],
      ]),
    ).toEqual([5, 3, 4]);
    expect(
      add.computeOutputShape([
        [null, null, 4],
        [null, 7, 4],
      ]),
    ).toEqual([null, null, 4]);
    expect(
      add.computeOutputShape([
        [null, 3, 4],
        [null, 4],
      ]),
    ).toEqual([null, 3, 4]);
    expect(
      add.computeOutputShape([
        [null, 1, 4],
        [null, 3, 1],
      ]),
    ).toEqual([null, 3, 4]);
    expect(
      add.computeOutputShape([
        [null, 4],
        [null, 1],
        [null, 4],
      ]),
    ).toEqual([null, 4]);
  });

  it('a rank-1 [batch] input broadcasts over the other input', () => {
    const out = layers.add([
      tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tensor([10, 20], [2]),
    ]) as Tensor;
    expect(out.arraySync()).toEqual([
      [11, 12],
      [23, 24],
    ]);
  });
});

describe('elementwise merge layers: masks', () => {
  const x = [uniform([2, 4, 3], 50), uniform([2, 4, 3], 51), uniform([2, 4, 3], 52)];
  const m1 = boolMask([
    [1, 1, 0, 1],
    [1, 0, 1, 1],
  ]);
  const m2 = boolMask([
    [1, 0, 1, 1],
    [1, 1, 1, 0],
  ]);

  it('supportsMasking, and the output mask is the AND of the input masks (missing masks count as all-true)', () => {
    for (const kind of KINDS) {
      const layer = ours[kind]();
      expect(layer.supportsMasking).toBe(true);
      expect(maskValues(layer.computeMask(x.slice(0, 2), [m1, m2]))).toEqual([
        [1, 0, 0, 1],
        [1, 0, 1, 0],
      ]);
      expect(maskValues(layer.computeMask(x.slice(0, 2), [null, m2]))).toEqual([
        [1, 0, 1, 1],
        [1, 1, 1, 0],
      ]);
      expect(layer.computeMask(x.slice(0, 2), [null, null])).toBeNull();
      expect(layer.computeMask(x.slice(0, 2), null)).toBeNull();
      expect(layer.computeMask(x.slice(0, 2))).toBeNull();
    }
    const m3 = boolMask([
      [0, 1, 1, 1],
      [1, 1, 1, 1],
    ]);
    expect(maskValues(new Add().computeMask(x, [m1, m2, m3]))).toEqual([
      [0, 0, 0, 1],
      [1, 0, 1, 0],
    ]);
  });

  it('0/1 float masks are accepted as bool', () => {
    const fm = tensor([
      [1, 0, 1, 1],
      [0, 1, 1, 1],
    ]);
    expect(maskValues(new Multiply().computeMask(x.slice(0, 2), [m1, fm]))).toEqual([
      [1, 0, 0, 1],
      [0, 0, 1, 1],
    ]);
  });

  it('a mask argument that is not one per input is refused naming the layer', () => {
    const layer = new Add({ name: 'sum' });
    expect(() => layer.computeMask(x.slice(0, 2), m1)).toThrow(
      'Layer sum: mask must be an array with one mask (or null) per input, received a single tensor of shape [2,4]',
    );
    expect(() => layer.computeMask(x.slice(0, 2), [m1])).toThrow(
      'Layer sum: expected one mask (or null) per input, received 1 mask(s) for 2 input(s)',
    );
  });
});

describe('elementwise merge layers: factories and serialization', () => {
  it('given an array the factory applies a default layer; given args it returns the layer', () => {
    const a = tensor2d([[1, 2]]);
    const b = tensor2d([[3, 5]]);
    expect((layers.add([a, b]) as Tensor).arraySync()).toEqual([[4, 7]]);
    expect((layers.subtract([a, b]) as Tensor).arraySync()).toEqual([[-2, -3]]);
    expect((layers.multiply([a, b]) as Tensor).arraySync()).toEqual([[3, 10]]);
    expect((layers.average([a, b]) as Tensor).arraySync()).toEqual([[2, 3.5]]);
    expect((layers.maximum([a, b]) as Tensor).arraySync()).toEqual([[3, 5]]);
    expect((layers.minimum([a, b]) as Tensor).arraySync()).toEqual([[1, 2]]);
    const named = layers.add({ name: 'my_sum' });
    expect(named).toBeInstanceOf(Add);
    expect(named.name).toBe('my_sum');
  });

  it('registers under the Keras class names', () => {
    for (const kind of KINDS) {
      const layer = ours[kind]();
      const s = serialize(layer) as { className: string };
      expect(s.className).toBe(classes[kind].className);
      expect(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']).toContain(s.className);
      expect(deserialize<Layer>(JSON.parse(JSON.stringify(s)), 'layer')).toBeInstanceOf(classes[kind]);
    }
  });

  it("tfjs's getConfig() builds the same layer here", () => {
    for (const kind of KINDS.filter((k) => k !== 'subtract')) {
      const t = theirs[kind]() as tf.layers.Layer;
      const layer = new classes[kind](t.getConfig() as never);
      expect(layer).toBeInstanceOf(classes[kind]);
      expect(layer.name).toBe(t.name);
    }
  });

  it('int32 inputs: Add keeps int32, Average gives float32', () => {
    const a = tensor([1, 2], [1, 2], 'int32');
    const b = tensor([4, 7], [1, 2], 'int32');
    const s = layers.add([a, b]) as Tensor;
    expect(s.dtype).toBe('int32');
    expect(s.arraySync()).toEqual([[5, 9]]);
    const m = layers.average([a, b]) as Tensor;
    expect(m.dtype).toBe('float32');
    expect(m.arraySync()).toEqual([[2.5, 4.5]]);
  });
});

describe('elementwise merge layers: bad input', () => {
  it('fewer than 2 inputs, or a single tensor, is refused naming the layer and the count', () => {
    const x = uniform([2, 3], 60);
    expect(() => new Add({ name: 'plus' }).apply([x])).toThrow('Layer plus: Add needs an array of at least 2 inputs, received 1 input(s).');
    expect(() => new Add({ name: 'plus2' }).apply([])).toThrow(
      'Layer plus2: Add needs an array of at least 2 inputs, received 0 input(s).',
    );
    expect(() => new Maximum({ name: 'mx' }).apply(x)).toThrow(
      'Layer mx: Maximum needs an array of at least 2 inputs, received a single input of shape [2,3].',
    );
    expect(() => new Add({ name: 'plus3' }).computeOutputShape([null, 3])).toThrow(
      'Layer plus3: Add needs an array of at least 2 inputs, received a single input of shape [null,3].',
    );
  });

  it('Subtract needs exactly 2 inputs', () => {
    const x = uniform([2, 3], 61);
    expect(() => new Subtract({ name: 'diff' }).apply([x, x, x])).toThrow(
      'Layer diff: Subtract needs an array of exactly 2 inputs, received 3 input(s).',
    );
    expect(() => new Subtract({ name: 'diff1' }).apply([x])).toThrow('exactly 2 inputs, received 1 input(s)');
  });

  it('shapes that do not broadcast are refused naming the layer and both shapes', () => {
    const msg =
      'Layer prod: inputs must have equal shapes or shapes that broadcast (dimensions equal, 1 or missing, aligned on the last axis), but input 0 has shape [2,3] and input 1 has shape [2,4].';
    expect(() => new Multiply({ name: 'prod' }).apply([uniform([2, 3], 1), uniform([2, 4], 2)])).toThrow(msg);
    expect(() =>
      new Multiply({ name: 'prod' }).computeOutputShape([
        [null, 3],
        [null, 4],
      ]),
    ).toThrow('input 0 has shape [null,3] and input 1 has shape [null,4]');
    // The third input conflicts with the second, not the first: the message names that pair.
    expect(() =>
      new Add({ name: 'sum3' }).computeOutputShape([
        [null, 1],
        [null, 5],
        [null, 4],
      ]),
    ).toThrow('input 1 has shape [null,5] and input 2 has shape [null,4]');
    // A built layer still checks the shapes of later calls.
    const built = new Add({ name: 'sum4' });
    built.apply([uniform([2, 3], 1), uniform([2, 3], 2)]);
    expect(() => built.apply([uniform([2, 3], 1), uniform([2, 5], 2)])).toThrow('Layer sum4: inputs must have equal shapes');
  });

  it('different batch sizes are refused naming both shapes', () => {
    expect(() =>
      new Average({ name: 'avg' }).computeOutputShape([
        [2, 3],
        [4, 3],
      ]),
    ).toThrow('Layer avg: cannot merge inputs with different batch sizes: input 0 has shape [2,3] and input 1 has shape [4,3].');
  });

  it('tensors given to the constructor are refused with a hint', () => {
    expect(() => new Multiply([uniform([1, 2], 1), uniform([1, 2], 2)] as never)).toThrow(
      'Multiply: expected an args object, received an array (to merge tensors call layers.multiply([a, b]) or new Multiply().apply([a, b])).',
    );
  });

  it('unknown options are refused with a suggestion', () => {
    expect(() => new Add({ nmae: 'x' } as never)).toThrow("Add: unknown option 'nmae'; did you mean 'name'?");
  });
});

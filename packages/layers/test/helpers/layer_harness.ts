/**
 * The shared layer test harness: every layer runs it.
 *
 * ```ts
 * runLayerHarness({
 *   make: () => new Dense({ units: 3, activation: 'tanh' }),
 *   inputShape: [4, 5],
 *   expectedOutputShape: [4, 3],
 *   expectedWeightShapes: [[5, 3], [3]],
 *   expectedParamCount: 18,
 * });
 * ```
 *
 * It declares a `describe` block whose tests check: the output shape of `apply` on a random input
 * equals `computeOutputShape` (also with a null batch) and the expected shape; weight count, shapes
 * and `${layer.name}/` names; `countParams`; `fromConfig(getConfig())` and a JSON round trip of the
 * config rebuild a layer with the same config; `deserialize` through the registry; `setWeights(getWeights())`
 * leaves outputs unchanged; a rebuilt layer given the weights gives identical outputs; `setWeights`
 * with a wrong shape (or count) throws naming the layer.
 */
import { randomNormal, Tensor } from '@recurrent/core';
import { CallKwargs, deserialize, Layer, serialize, Shape } from '@recurrent/layers';

/** What {@link runLayerHarness} checks. */
export interface LayerHarnessSpec {
  /** Builds a fresh, unbuilt layer (called several times). */
  make: () => Layer;
  /** Concrete input shape including the batch dimension. */
  inputShape: number[];
  /** Concrete output shape for that input. */
  expectedOutputShape: number[] | number[][];
  /** Shapes of `getWeights()`, in order. */
  expectedWeightShapes: number[][];
  /** `countParams()`. */
  expectedParamCount: number;
  /** Custom input (e.g. int32 ids); default a seeded standard normal of `inputShape`. */
  makeInput?: () => Tensor | Tensor[];
  /** kwargs passed to every `apply` (default `{}`: inference mode). */
  kwargs?: CallKwargs;
  /** Largest allowed |difference| between outputs that should be identical (default 0). */
  tolerance?: number;
  /** Title of the describe block (default the layer's class name). */
  title?: string;
  /** Skip the registry round trip (for unregistered custom layers). */
  skipRegistry?: boolean;
}

function outputsOf(layer: Layer, input: Tensor | Tensor[], kwargs: CallKwargs): Tensor[] {
  const out = layer.apply(input, kwargs);
  return Array.isArray(out) ? out : [out];
}

function maxAbsDiff(a: Tensor[], b: Tensor[]): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  a.forEach((t, i) => {
    expect(t.shape).toEqual(b[i].shape);
    const av = t.dataSync();
    const bv = b[i].dataSync();
    for (let k = 0; k < av.length; k++) {
      const d = Math.abs(av[k] - bv[k]);
      if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
    }
  });
  return worst;
}

function withNullBatch(shape: Shape | Shape[]): Shape | Shape[] {
  if (shape.length > 0 && Array.isArray(shape[0])) return (shape as Shape[]).map((s) => [null, ...s.slice(1)]);
  return [null, ...(shape as Shape).slice(1)];
}

/** Declares the harness tests for one layer configuration (see the file comment). */
export function runLayerHarness(spec: LayerHarnessSpec): void {
  const kwargs = spec.kwargs ?? {};
  const tol = spec.tolerance ?? 0;
  const makeInput = spec.makeInput ?? (() => randomNormal(spec.inputShape, 0, 1, 'float32', 1234));
  const title = spec.title ?? spec.make().getClassName();

  describe(`layer harness: ${title}`, () => {
    it('output shape of apply equals computeOutputShape and the expected shape', () => {
      const layer = spec.make();
      const input = makeInput();
      const outs = outputsOf(layer, input, kwargs);
      const inShape: Shape | Shape[] = Array.isArray(input) ? input.map((x) => x.shape.slice()) : input.shape.slice();
      const computed = layer.computeOutputShape(inShape);
      const actual = outs.length === 1 ? outs[0].shape : outs.map((o) => o.shape);
      expect(actual).toEqual(computed);
      expect(actual).toEqual(spec.expectedOutputShape);
      expect(layer.computeOutputShape(withNullBatch(inShape))).toEqual(withNullBatch(computed as Shape | Shape[]));
      expect(layer.built).toBe(true);
    });

    it('has the expected weights, named after the layer, and countParams', () => {
      const layer = spec.make();
      outputsOf(layer, makeInput(), kwargs);
      expect(layer.getWeights().map((w) => w.shape)).toEqual(spec.expectedWeightShapes);
      expect(layer.weights.length).toBe(spec.expectedWeightShapes.length);
      for (const w of layer.weights) expect(w.originalName.startsWith(`${layer.name}/`)).toBe(true);
      expect(layer.countParams()).toBe(spec.expectedParamCount);
    });

    it('fromConfig(getConfig()) and a JSON round trip rebuild the same config', () => {
      const layer = spec.make();
      outputsOf(layer, makeInput(), kwargs);
      const config = layer.getConfig();
      const cls = layer.constructor as typeof Layer;
      const rebuilt = cls.fromConfig(config);
      expect(rebuilt).toBeInstanceOf(cls);
      expect(rebuilt.getConfig()).toEqual(config);
      const json = JSON.parse(JSON.stringify(config));
      expect(json).toEqual(config);
      expect(cls.fromConfig(json).getConfig()).toEqual(config);
      if (!spec.skipRegistry) {
        const viaRegistry = deserialize<Layer>(JSON.parse(JSON.stringify(serialize(layer))), 'layer');
        expect(viaRegistry).toBeInstanceOf(cls);
        expect(viaRegistry.getConfig()).toEqual(config);
      }
    });

    it('setWeights(getWeights()) leaves the outputs unchanged', () => {
      const layer = spec.make();
      const input = makeInput();
      const before = outputsOf(layer, input, kwargs);
      layer.setWeights(layer.getWeights());
      expect(maxAbsDiff(outputsOf(layer, input, kwargs), before)).toBeLessThanOrEqual(tol);
    });

    it('a layer rebuilt from the config and given the weights gives identical outputs', () => {
      const layer = spec.make();
      const input = makeInput();
      const expected = outputsOf(layer, input, kwargs);
      const rebuilt = (layer.constructor as typeof Layer).fromConfig(JSON.parse(JSON.stringify(layer.getConfig())));
      outputsOf(rebuilt, input, kwargs);
      rebuilt.setWeights(layer.getWeights());
      expect(maxAbsDiff(outputsOf(rebuilt, input, kwargs), expected)).toBeLessThanOrEqual(tol);
    });

    it('setWeights with a wrong shape or count throws naming the layer', () => {
      const layer = spec.make();
      outputsOf(layer, makeInput(), kwargs);
      const weights = layer.getWeights();
      const extra = randomNormal([2], 0, 1, 'float32', 1);
      expect(() => layer.setWeights([...weights, extra])).toThrow(layer.name);
      if (weights.length === 0) return;
      const bad = weights.slice();
      const shape = weights[0].shape;
      const wrongShape = shape.length === 0 ? [2] : [...shape.slice(0, -1), shape[shape.length - 1] + 1];
      bad[0] = randomNormal(wrongShape, 0, 1, 'float32', 2);
      const fmt = (s: number[]) => `[${s.join(',')}]`;
      expect(() => layer.setWeights(bad)).toThrow(layer.name);
      expect(() => layer.setWeights(bad)).toThrow(fmt(shape));
      expect(() => layer.setWeights(bad)).toThrow(fmt(wrongShape));
    });
  });
}

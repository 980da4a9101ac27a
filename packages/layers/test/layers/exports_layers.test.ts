/**
 * The `layers` namespace as tfjs users reach into it: besides the factories, `layers.Layer` is the base class of
 * custom layers (tfjs-examples date-conversion-attention writes `class GetLastTimestepLayer extends tf.layers.Layer`).
 */
import { tensor3d } from '@recurrent/core';
import { Layer, layers } from '@recurrent/layers';
import type { Shape } from '@recurrent/layers';
import type { Tensor } from '@recurrent/core';

test('layers.Layer is the Layer base class, and a subclass of it works as a layer', () => {
  expect(layers.Layer).toBe(Layer);
  class LastStep extends layers.Layer {
    static override className = 'LastStep';
    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const s = (inputShape as Shape).slice();
      s.splice(s.length - 2, 1);
      return s;
    }
    override call(input: Tensor | Tensor[]): Tensor {
      const x = Array.isArray(input) ? input[0] : input;
      return x.gather([x.shape[1] - 1], 1).squeeze([1]);
    }
  }
  const layer = new LastStep({ name: 'last' });
  const out = layer.apply(tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])) as Tensor;
  expect([out.shape, Array.from(out.dataSync())]).toEqual([
    [2, 2],
    [3, 4, 7, 8],
  ]);
  expect(layer.computeOutputShape([null, 5, 3])).toEqual([null, 3]);
});

/** What the 2-D window layers (Conv2D, the 2-D pooling layers) share: [rows, cols] args, input shapes, output sizes. */
import { convOutputLength, formatShape, NotImplementedError, ValueError } from '@recurrent/core';
import { getExactlyOneShape, Shape } from '../../engine/layer';

/** A positive integer `n` (→ [n, n]) or a pair [rows, cols] of them; throws naming the layer and arg. */
export function intPair(layer: string, name: string, v: unknown): [number, number] {
  const pair = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((p) => Number.isInteger(p) && (p as number) > 0)) {
    throw new ValueError(
      `Layer ${layer}: ${name} must be a positive integer or a pair [rows, cols] of them, received ${JSON.stringify(v)}.`,
    );
  }
  return [pair[0] as number, pair[1] as number];
}

/** `inputShape` as one rank-4 shape [batch, rows, cols, channels]; throws naming the layer otherwise. */
export function rank4Shape(layer: string, inputShape: Shape | Shape[]): Shape {
  const shape = getExactlyOneShape(layer, inputShape);
  if (shape.length !== 4) {
    throw new ValueError(`Layer ${layer}: expected input of shape [batch, rows, cols, channels], received ${formatShape(shape)}.`);
  }
  return shape;
}

/** Checks dataFormat: only channels-last ([batch, rows, cols, channels]) is implemented for the 2-D layers. */
export function checkChannelsLast2D(layer: string, dataFormat: unknown): void {
  if (dataFormat == null || dataFormat === 'channelsLast') return;
  if (dataFormat === 'channelsFirst') {
    throw new NotImplementedError(
      `Layer ${layer}: dataFormat 'channelsFirst' is not supported; inputs are [batch, rows, cols, channels] ('channelsLast'). ` +
        `Transpose channels-first inputs with layers.permute({dims: [2, 3, 1]}).`,
    );
  }
  throw new ValueError(`Layer ${layer}: dataFormat must be 'channelsLast', received ${JSON.stringify(dataFormat)}.`);
}

/**
 * [outRows, outCols] of a 2-D window layer for the shape's rows and cols (null stays null): 'valid'
 * ⌈(n − (k−1)·d) / s⌉, 'same' ⌈n / s⌉. Throws naming the layer, the window and the input shape when a
 * 'valid' window is larger than the input.
 */
export function windowOutputSize2D(
  layer: string,
  shape: Shape,
  kernel: [number, number],
  strides: [number, number],
  padding: 'valid' | 'same',
  dilation: [number, number] = [1, 1],
): [number | null, number | null] {
  const out = [0, 1].map((a) => convOutputLength(shape[a + 1], kernel[a], padding, strides[a], dilation[a]));
  const empty = out.findIndex((n) => n !== null && n <= 0);
  if (empty >= 0 && padding === 'same') {
    throw new ValueError(
      `Layer ${layer}: the input has 0 ${['rows', 'cols'][empty]}; 'same' padding needs at least one (input shape ${formatShape(shape)}).`,
    );
  }
  if (empty >= 0) {
    const span = [0, 1].map((a) => (kernel[a] - 1) * dilation[a] + 1);
    throw new ValueError(
      `Layer ${layer}: the window ${span[0]}x${span[1]} (kernel ${kernel.join('x')}, dilation ${dilation.join('x')}) is larger than ` +
        `the input's rows x cols with 'valid' padding; input shape ${formatShape(shape)}.`,
    );
  }
  return [out[0], out[1]];
}

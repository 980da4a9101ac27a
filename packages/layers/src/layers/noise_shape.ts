/** The shape of a dropout mask from a layer's `noiseShape` (Dropout, AlphaDropout). */
import { formatShape, ValueError } from '@recurrent/core';

/**
 * The concrete shape of a dropout mask (`Dropout`, `AlphaDropout`): `noiseShape` with its null entries taken
 * from the input `shape` (the input's shape when there is no noise shape); each entry must be 1 or the input's size.
 */
export function resolveNoiseShape(layerName: string, noiseShape: (number | null)[] | null, shape: number[]): number[] {
  if (!noiseShape) return shape;
  if (noiseShape.length !== shape.length) {
    throw new ValueError(
      `Layer ${layerName}: noiseShape ${formatShape(noiseShape)} must have the input's rank ${shape.length} (input shape ${formatShape(shape)}).`,
    );
  }
  return noiseShape.map((d, i) => {
    const v = d === null ? shape[i] : d;
    if (v !== 1 && v !== shape[i]) {
      throw new ValueError(
        `Layer ${layerName}: noiseShape ${formatShape(noiseShape)} does not broadcast to the input shape ${formatShape(shape)}.`,
      );
    }
    return v;
  });
}

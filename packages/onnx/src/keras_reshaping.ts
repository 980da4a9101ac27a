/**
 * The reshaping layers → ONNX: Reshape (Reshape, the batch axis kept with 0), Permute (Transpose), RepeatVector
 * (Unsqueeze + Expand), Cropping1D (Slice), ZeroPadding1D (Pad), UpSampling1D (Unsqueeze + Expand + Reshape).
 * Output dims come from the layer's own `computeOutputShape` (unknown ones get a symbolic name).
 */
import type { Layer } from '@recurrent/layers';
import { ValueError } from '@recurrent/core';
import type { Dim, GraphBuilder, GraphValue } from './graph_builder';

/** Class names `exportReshapingLayer` converts. */
export const KERAS_RESHAPING_CLASSES = ['Reshape', 'Permute', 'RepeatVector', 'Cropping1D', 'ZeroPadding1D', 'UpSampling1D'];

/** What the exporter reads from the reshaping layers. */
interface ReshapingLayer {
  targetShape: number[];
  dims: number[];
  n: number;
  cropping: [number, number];
  padding: [number, number];
  size: number;
}

/** Appends the nodes of a reshaping layer (class in KERAS_RESHAPING_CLASSES) applied to `x`. */
export function exportReshapingLayer(g: GraphBuilder, x: GraphValue, layer: Layer, where: string): GraphValue {
  const className = layer.getClassName();
  const l = layer as unknown as ReshapingLayer;
  const name = layer.name;
  const rank = x.shape.length;
  if (className !== 'Reshape' && className !== 'Permute' && rank !== (className === 'RepeatVector' ? 2 : 3)) {
    throw new ValueError(
      `onnx.exportModel: ${where} expects an input of rank ${className === 'RepeatVector' ? 2 : 3}, received [${x.shape.join(', ')}].`,
    );
  }
  let y: string;
  switch (className) {
    case 'Reshape':
      y = g.addNode('Reshape', [x.name, g.addInt64s(`${name}_shape`, [0, ...l.targetShape])], {}, 1, name)[0];
      break;
    case 'Permute':
      y = g.addNode('Transpose', [x.name], { perm: { ints: [0, ...l.dims] } }, 1, name)[0];
      break;
    case 'RepeatVector': {
      const u = g.addNode('Unsqueeze', [x.name, g.addInt64s(`${name}_axes`, [1])], {}, 1, `${name}_unsqueeze`)[0];
      y = g.addNode('Expand', [u, g.addInt64s(`${name}_shape`, [1, l.n, 1])], {}, 1, name)[0];
      break;
    }
    case 'Cropping1D': {
      const [begin, end] = l.cropping;
      const ends = g.addInt64s(`${name}_ends`, [end > 0 ? -end : Number.MAX_SAFE_INTEGER]);
      y = g.addNode('Slice', [x.name, g.addInt64s(`${name}_starts`, [begin]), ends, g.addInt64s(`${name}_axes`, [1])], {}, 1, name)[0];
      break;
    }
    case 'ZeroPadding1D': {
      const [begin, end] = l.padding;
      y = g.addNode('Pad', [x.name, g.addInt64s(`${name}_pads`, [0, begin, 0, 0, end, 0])], {}, 1, name)[0];
      break;
    }
    default: {
      // UpSampling1D: each step `size` times, [batch, steps, 1, channels] → [batch, steps, size, channels] → [batch, steps·size, channels].
      const channels = x.shape[2];
      if (typeof channels !== 'number')
        throw new ValueError(`onnx.exportModel: ${where} needs known input channels, received ${channels}.`);
      const u = g.addNode('Unsqueeze', [x.name, g.addInt64s(`${name}_axes`, [2])], {}, 1, `${name}_unsqueeze`)[0];
      const e = g.addNode('Expand', [u, g.addInt64s(`${name}_repeats`, [1, 1, l.size, 1])], {}, 1, `${name}_expand`)[0];
      y = g.addNode('Reshape', [e, g.addInt64s(`${name}_shape`, [0, -1, channels])], {}, 1, name)[0];
    }
  }
  return { name: y, type: x.type, shape: outputDims(x, layer) };
}

/** The layer's output shape for `x`'s: batch as `x`'s, other unknown dims named after the layer. */
function outputDims(x: GraphValue, layer: Layer): Dim[] {
  const out = layer.computeOutputShape(x.shape.map((d) => (typeof d === 'number' ? d : null))) as (number | null)[];
  return out.map((d, k) => (k === 0 ? x.shape[0] : (d ?? `${layer.name}_${k}`)));
}

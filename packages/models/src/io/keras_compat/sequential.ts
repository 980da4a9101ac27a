/** Sequential models: the legacy list form, a leading InputLayer, build_input_shape. */
import type { Context } from './types';
import { checkShape, inputLayerShape, renameBatchShape, sameShape } from './shapes';
import { at, describe, fail, label, layerName } from './util';
import { isObject, type JsonObject, type JsonValue } from './json';

/**
 * Normalizes one layer entry (layers.ts's `normalizeLayer`); passed in so that this file and layers.ts
 * (which normalizes Sequentials nested in models) do not import each other.
 */
export type LayerNormalizer = (ctx: Context, entry: unknown, path: string, copies: string[][]) => JsonObject;

/** Normalizes a (cleaned) Sequential entry into `{class_name: 'Sequential', config: {name, layers}}`. */
export function normalizeSequential(ctx: Context, entry: JsonObject, path: string, normalizeLayer: LayerNormalizer): JsonObject {
  let config = entry.config;
  // Keras <= 2.2 wrote a Sequential's config as the bare list of layers.
  if (Array.isArray(config)) config = { layers: config };
  if (!isObject(config)) fail(at(path, 'config'), `a Sequential config must be an object {name, layers}, received ${describe(config)}.`);
  const layersIn = config.layers;
  if (!Array.isArray(layersIn)) fail(at(path, 'config.layers'), `must be an array of layers, received ${describe(layersIn)}.`);
  const out: JsonObject = {};
  if (config.name !== undefined) out.name = config.name;
  let layers: JsonValue[] = layersIn.slice();

  // A leading InputLayer: its shape goes to the next layer.
  let inputShape: (number | null)[] | null = null;
  if (layers.length > 1 && isObject(layers[0]) && layers[0].class_name === 'InputLayer') {
    const first = layers[0];
    const p = label(first, at(path, 'config.layers[0]'));
    if (!isObject(first.config)) fail(at(p, 'config'), `must be an object, received ${describe(first.config)}.`);
    const c = { ...first.config };
    renameBatchShape(c, p);
    inputShape = inputLayerShape(c, p);
    layers = layers.slice(1);
  } else if (config.build_input_shape != null) {
    inputShape = checkShape(config.build_input_shape, at(path, 'config.build_input_shape'), true);
  }
  const offset = layersIn.length - layers.length;
  const outLayers = layers.map((l, i) => {
    const p = at(path, `config.layers[${i + offset}]`);
    if (isObject(l) && l.class_name === 'InputLayer' && (i > 0 || offset > 0)) {
      fail(`${label(l, p)}`, 'an InputLayer can only be the first layer of a Sequential model.');
    }
    return normalizeLayer(ctx, l, p, [[layerName(l)]]);
  });
  out.layers = outLayers;
  // normalizeLayer's results always have an object config.
  const first = outLayers.length > 0 ? outLayers[0] : null;
  if (inputShape !== null && first !== null && isObject(first.config)) {
    const firstConfig = first.config;
    const p = label(first, at(path, `config.layers[${offset}]`));
    if (first.class_name === 'Sequential') {
      const inner = Array.isArray(firstConfig.layers) ? firstConfig.layers[0] : undefined;
      if (isObject(inner) && isObject(inner.config) && inner.config.batch_input_shape == null) inner.config.batch_input_shape = inputShape;
    } else if (firstConfig.batch_input_shape != null) {
      const own = checkShape(firstConfig.batch_input_shape, at(p, 'config.batch_input_shape'), true);
      if (offset > 0 && !sameShape(own, inputShape)) {
        fail(p, `batch_input_shape ${JSON.stringify(own)} disagrees with the InputLayer's shape ${JSON.stringify(inputShape)}.`);
      }
    } else {
      firstConfig.batch_input_shape = inputShape;
    }
  }
  return { class_name: 'Sequential', config: out };
}

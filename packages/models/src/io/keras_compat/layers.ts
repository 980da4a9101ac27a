/**
 * One layer entry: batch_shape, per-class config passes (recurrent, BatchNormalization, CuDNN), and wrapper
 * nesting (Bidirectional, TimeDistributed, RNN cells, nested Sequential) with the weight-name prefixes of
 * the wrapped copies.
 */
import { getLoadLimits, raiseHint } from '../limits';
import { normalizeBatchNormConfig } from './batch_norm';
import { convertCuDNN } from './cudnn';
import { normalizeLayerNormConfig } from './layer_norm';
import { normalizeRecurrentConfig, RNN_CLASSES } from './recurrent_config';
import { normalizeSequential } from './sequential';
import { dropInputOptional, renameBatchShape } from './shapes';
import type { Context } from './types';
import { at, describe, fail, label } from './util';
import { isObject, type JsonObject, type JsonValue } from './json';

/** Most candidate weight-name prefixes kept per copy of a wrapped layer (so nesting cannot double them without bound). */
const MAX_PREFIXES = 64;

/**
 * Normalizes one (cleaned) layer entry `{class_name, config}`. `copies` lists, for each copy of this
 * layer's weights in the model (a Bidirectional has two), the candidate name prefixes of its weights.
 */
export function normalizeLayer(ctx: Context, entry: unknown, path: string, copies: string[][]): JsonObject {
  const max = getLoadLimits().maxWrapperDepth;
  if (ctx.depth >= max) {
    fail(
      path,
      `layers nest more than ${max} levels deep inside wrappers (TimeDistributed, Bidirectional, Sequential) ${raiseHint('maxWrapperDepth')}.`,
    );
  }
  ctx.depth++;
  try {
    return normalizeLayerAt(ctx, entry, path, copies);
  } finally {
    ctx.depth--;
  }
}

/** Unique prefixes, at most MAX_PREFIXES of them (the most specific, listed first, are kept). */
function boundPrefixes(prefixes: string[]): string[] {
  return [...new Set(prefixes)].slice(0, MAX_PREFIXES);
}

function normalizeLayerAt(ctx: Context, entry: unknown, path: string, copies: string[][]): JsonObject {
  if (!isObject(entry)) fail(path, `a layer must be an object {class_name, config}, received ${describe(entry)}.`);
  if (typeof entry.class_name !== 'string' || entry.class_name.length === 0) {
    fail(at(path, 'class_name'), `must be the layer's class name, received ${describe(entry.class_name)}.`);
  }
  if (entry.config !== undefined && !isObject(entry.config) && !(entry.class_name === 'Sequential' && Array.isArray(entry.config))) {
    fail(at(path, 'config'), `must be an object, received ${describe(entry.config)}.`);
  }
  const cls = entry.class_name;
  if (cls === 'Sequential') {
    const out: JsonObject = { ...entry, config: isObject(entry.config) ? { ...entry.config } : (entry.config ?? {}) };
    // Nested in a functional model, the entry also carries its name and inbound nodes.
    const seq = normalizeSequential(ctx, out, path, normalizeLayer);
    if (out.name !== undefined) seq.name = out.name;
    if (out.inbound_nodes !== undefined) seq.inbound_nodes = out.inbound_nodes;
    return seq;
  }
  // Not a Sequential: the config is an object or missing (checked above).
  const config: JsonObject = isObject(entry.config) ? { ...entry.config } : {};
  const out: JsonObject = { ...entry, config };
  const here = label(out, path);
  renameBatchShape(config, here);
  if (cls === 'InputLayer') dropInputOptional(config, here);

  if (RNN_CLASSES.includes(cls)) normalizeRecurrentConfig(ctx, config, here);
  if (cls === 'BatchNormalization') normalizeBatchNormConfig(ctx, config, here);
  if (cls === 'LayerNormalization') normalizeLayerNormConfig(config, here);
  if (cls === 'CuDNNLSTM' || cls === 'CuDNNGRU') convertCuDNN(ctx, out, config, here, copies);

  if (cls === 'Bidirectional') {
    // Keras 3 names the wrapped copies 'forward_x' / 'backward_x'; recurrent (as tfjs) adds those prefixes itself.
    const inner = (key: string, prefix: string): string => {
      const c = config[key];
      if (!isObject(c) || !isObject(c.config) || typeof c.config.name !== 'string') return '';
      const name = c.config.name;
      if (name.startsWith(prefix) && name.length > prefix.length) {
        const stripped = name.slice(prefix.length);
        config[key] = { ...c, config: { ...c.config, name: stripped } };
        return stripped;
      }
      return name;
    };
    if (config.layer == null) fail(at(here, 'layer'), 'a Bidirectional needs the wrapped recurrent layer.');
    const fwd = inner('layer', 'forward_');
    const hasBackward = config.backward_layer != null;
    const bwd = hasBackward ? inner('backward_layer', 'backward_') : fwd;
    const fwdCopies = copies.map((c) => boundPrefixes(c.map((p) => `${p}/forward_${fwd}`)));
    const bwdCopies = copies.map((c) => boundPrefixes(c.map((p) => `${p}/backward_${bwd}`)));
    config.layer = normalizeLayer(ctx, config.layer, at(here, 'layer'), hasBackward ? fwdCopies : [...fwdCopies, ...bwdCopies]);
    if (hasBackward) config.backward_layer = normalizeLayer(ctx, config.backward_layer, at(here, 'backward_layer'), bwdCopies);
  } else if (cls === 'TimeDistributed' && config.layer != null) {
    const wrapped = config.layer;
    const innerName = isObject(wrapped) && isObject(wrapped.config) ? String(wrapped.config.name ?? '') : '';
    config.layer = normalizeLayer(
      ctx,
      config.layer,
      at(here, 'layer'),
      copies.map((c) => boundPrefixes(c.flatMap((p) => [p, `${p}/${innerName}`]))),
    );
  } else if (cls === 'RNN' && config.cell != null) {
    const cells = Array.isArray(config.cell) ? config.cell : [config.cell];
    cells.forEach((c: JsonValue, i: number) => {
      const p = at(here, Array.isArray(config.cell) ? `cell[${i}]` : 'cell');
      if (!isObject(c)) fail(p, `must be a cell object {class_name, config}, received ${describe(c)}.`);
      if (isObject(c.config)) renameBatchShape(c.config, p);
    });
  }
  return out;
}

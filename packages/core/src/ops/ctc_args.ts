/** Argument checks shared by `ctcLoss` and `ctcDecode`: errors name the op, the argument, what was expected and what came. */
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';
import { ValueError } from '../errors';

/** Throws unless `options` is an object whose keys are all in `known`. */
export function checkOptions(op: string, options: unknown, known: string[]): Record<string, unknown> {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ValueError(`${op}: options must be an object, received ${Array.isArray(options) ? 'an array' : typeof options}.`);
  }
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) {
      const hint = known.find((n) => n.toLowerCase() === k.replace(/_/g, '').toLowerCase());
      throw new ValueError(
        `${op}: unknown option '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}; expected one of ${known.map((n) => `'${n}'`).join(', ')}.`,
      );
    }
  }
  return options as Record<string, unknown>;
}

/** An integer option in [min, max]. */
export function intOption(op: string, name: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ValueError(`${op}: ${name} must be an integer ${range}, received ${String(value)}.`);
  }
  return value;
}

/** A boolean option. */
export function boolOption(op: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`${op}: ${name} must be a boolean, received ${String(value)}.`);
  return value;
}

/** The float32 logits [batch, timeSteps, numClasses] of a CTC op. */
export function ctcLogits(op: string, name: string, x: TensorLike): Tensor {
  const t = convertToTensor(x, name, op);
  if (t.dtype !== 'float32') throw new ValueError(`${op}: ${name} must be float32, received ${t.dtype}.`);
  if (t.rank !== 3) {
    throw new ValueError(`${op}: ${name} must have shape [batch, timeSteps, numClasses], received shape ${formatShape(t.shape)}.`);
  }
  if (t.shape[2] === 0) throw new ValueError(`${op}: ${name} must have at least one class, received shape ${formatShape(t.shape)}.`);
  return t;
}

/** The values of an integer tensor (int32, or float32 holding integers) as an Int32Array. */
export function intValues(op: string, name: string, t: Tensor): Int32Array {
  if (t.dtype === 'bool') throw new ValueError(`${op}: ${name} must hold integers (int32), received bool.`);
  const v = t.values;
  if (v instanceof Int32Array) return v;
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isInteger(v[i])) {
      throw new ValueError(`${op}: ${name} must hold integers, received ${v[i]} at flat index ${i} (shape ${formatShape(t.shape)}).`);
    }
    out[i] = v[i];
  }
  return out;
}

/** Per-sample lengths [batch] (int32 or integral numbers), each in [0, max]. */
export function ctcLengths(op: string, name: string, x: TensorLike, batch: number, max: number, maxDescription: string): Int32Array {
  const t = convertToTensor(x, name, op);
  if (t.rank !== 1 || t.shape[0] !== batch) {
    throw new ValueError(
      `${op}: ${name} must have shape [${batch}] (one length per sample of the batch), received shape ${formatShape(t.shape)}.`,
    );
  }
  const v = intValues(op, name, t);
  for (let b = 0; b < batch; b++) {
    if (v[b] < 0 || v[b] > max) {
      throw new ValueError(`${op}: ${name}[${b}] = ${v[b]} is out of range; expected an integer in [0, ${max}] (${maxDescription}).`);
    }
  }
  return v;
}

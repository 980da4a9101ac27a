/** Parameter initialization and option checks shared by the nn modules. */
import { describeValue, suggestName } from '../engine/args';
import { formatShape, generatorFor, RandomGenerator, Tensor, tensor, ValueError } from '@recurrent/core';

/** The generator of a module: a fresh seeded one for `seed`, else core's global one (`setSeed`). */
export function moduleGenerator(seed: number | undefined | null): RandomGenerator {
  return generatorFor(seed ?? undefined);
}

/** A float32 tensor of `shape` with values uniform in [−bound, bound) drawn from `rng`. */
export function uniformTensor(shape: number[], bound: number, rng: RandomGenerator): Tensor {
  const n = shape.reduce((a, d) => a * d, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.uniform(-bound, bound);
  return tensor(v, shape, 'float32');
}

/** A float32 tensor of `shape` with standard-normal values drawn from `rng`. */
export function normalTensor(shape: number[], rng: RandomGenerator): Tensor {
  const n = shape.reduce((a, d) => a * d, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  return tensor(v, shape, 'float32');
}

/** Throws unless `value` is an integer ≥ `min`. */
export function checkInt(who: string, name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValueError(`${who}: ${name} must be an integer >= ${min}, received ${describeValue(value)}.`);
  }
  return value;
}

/** Throws when `options` has keys outside `allowed` (catches PyTorch spellings such as `batch_first`). */
export function checkOptionKeys(who: string, options: object | undefined | null, allowed: string[]): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || options instanceof Tensor || Array.isArray(options)) {
    // The usual cause: a PyTorch positional argument (nn.LSTM(4, 8, 2), nn.CrossEntropyLoss(weight)).
    throw new ValueError(
      `${who}: options must be an object of named options (${allowed.join(', ')}), received ${
        options instanceof Tensor ? `a Tensor of shape ${formatShape(options.shape)}` : describeValue(options)
      }; PyTorch's positional arguments are named options here.`,
    );
  }
  for (const k of Object.keys(options)) {
    if (!allowed.includes(k)) {
      const s = suggestName(k, allowed);
      throw new ValueError(
        `${who}: unknown option '${k}'${s ? `; did you mean '${s}'?` : ';'} Expected one of ${allowed.map((a) => `'${a}'`).join(', ')} (camelCase).`,
      );
    }
  }
}

/** A dropout keep-mask tensor of `shape`: each element 1/(1 − p) with probability 1 − p, else 0 (all 0 when p = 1). */
export function dropoutMask(shape: number[], p: number, rng: RandomGenerator): Tensor {
  const n = shape.reduce((a, d) => a * d, 1);
  const keep = new Float32Array(n);
  if (p < 1) {
    const scale = 1 / (1 - p);
    for (let i = 0; i < n; i++) keep[i] = rng.next() >= p ? scale : 0;
  }
  return tensor(keep, shape, 'float32');
}

/** Throws unless `t` is a float32 Tensor. */
export function checkFloatTensor(who: string, name: string, t: unknown): Tensor {
  if (!(t instanceof Tensor))
    throw new ValueError(`${who}: ${name} must be a Tensor, received ${t === null ? 'null' : Array.isArray(t) ? 'an array' : typeof t}.`);
  if (t.dtype !== 'float32') throw new ValueError(`${who}: ${name} must be float32, received ${t.dtype} (shape ${formatShape(t.shape)}).`);
  return t;
}

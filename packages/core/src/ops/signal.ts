/** tfjs's `signal` namespace for speech front ends: `hannWindow`, `hammingWindow`, `frame`. */
import { Tensor } from '../tensor';
import { convertToTensor, tensor, TensorLike } from '../convert';
import { fill, zeros } from '../creation';
import { formatShape } from '../shape';
import { ValueError } from '../errors';
import { concat, slice } from './slice_concat';
import { reshape } from './reshape';

function windowLengthOf(where: string, windowLength: number): number {
  if (!Number.isInteger(windowLength) || windowLength < 1) {
    throw new ValueError(`signal.${where}: windowLength must be a positive integer, received ${String(windowLength)}.`);
  }
  return windowLength;
}

/** `a − b·cos(2πi / N)` for i < windowLength, with N = windowLength for even lengths (periodic) and − 1 for odd. */
function cosineWindow(where: string, windowLength: number, a: number, b: number): Tensor {
  const n = windowLengthOf(where, windowLength);
  const even = 1 - (n % 2);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = a - b * Math.cos((2 * Math.PI * i) / (n + even - 1));
  // tfjs note: tfjs gives NaN for a window of 1 sample (0 / 0); ours is [1], as numpy's and scipy's windows.
  if (n === 1) out[0] = 1;
  return tensor(out, [n], 'float32');
}

/**
 * The Hann window of `windowLength` samples, `0.5 − 0.5·cos(2πi / N)` (periodic for even lengths, symmetric for
 * odd, as tfjs), to multiply each frame by before a spectrum.
 *
 * ```js
 * signal.hannWindow(4);   // [0, 0.5, 1, 0.5]
 * ```
 */
function hannWindow(windowLength: number): Tensor {
  return cosineWindow('hannWindow', windowLength, 0.5, 0.5);
}

/**
 * The Hamming window, `0.54 − 0.46·cos(2πi / N)` (N as `hannWindow`).
 *
 * ```js
 * signal.hammingWindow(3);   // [0.08, 1, 0.08]
 * ```
 */
function hammingWindow(windowLength: number): Tensor {
  return cosineWindow('hammingWindow', windowLength, 0.54, 0.46);
}

/**
 * Cuts a 1-D signal into frames `[numFrames, frameLength]`, a frame every `frameStep` samples (speech front ends:
 * 25 ms frames every 10 ms). Without `padEnd` only whole frames are taken; with it the last frames are filled with
 * `padValue`. Built from slices, so gradients flow back to the signal.
 *
 * ```js
 * signal.frame(tensor1d([1, 2, 3, 4, 5]), 2, 2, true);   // [[1, 2], [3, 4], [5, 0]]
 * ```
 */
function frame(signalTensor: TensorLike, frameLength: number, frameStep: number, padEnd = false, padValue = 0): Tensor {
  const where = 'signal.frame';
  const x = convertToTensor(signalTensor, 'signal', where);
  if (x.rank !== 1) throw new ValueError(`${where}: signal must be 1-D [samples], received shape ${formatShape(x.shape)}.`);
  for (const [name, v] of [
    ['frameLength', frameLength],
    ['frameStep', frameStep],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ValueError(`${where}: ${name} must be a positive integer, received ${String(v)}.`);
  }
  const size = x.size;
  const frames: Tensor[] = [];
  let start = 0;
  for (; start + frameLength <= size; start += frameStep) frames.push(slice(x, [start], [frameLength]));
  if (padEnd) {
    for (; start < size; start += frameStep) {
      const padLen = start + frameLength - size;
      frames.push(concat([slice(x, [start], [frameLength - padLen]), fill([padLen], padValue, x.dtype)]));
    }
  }
  // tfjs note: tfjs returns a float32 [0, frameLength] tensor when no frame fits; ours keeps the signal's dtype.
  if (frames.length === 0) return zeros([0, frameLength], x.dtype);
  return reshape(concat(frames), [frames.length, frameLength]);
}

/**
 * tfjs's `tf.signal`: windows and framing for audio front ends (e.g. log-mel features before a CTC model).
 *
 * tfjs note: `signal.stft` is not here: it needs complex tensors, which recurrent does not have.
 */
export const signal = { hannWindow, hammingWindow, frame };

import { ValueError } from '@recurrent/core';
/**
 * Checks the model engine runs around training and inference (issue #13 item 9 and the non-finite loss
 * note), kept apart so that the engine calls them from one place each:
 * - `checkSampleCount('fit', n, shape)`: `fit` on 0 samples is refused instead of returning [NaN, NaN];
 * - `modelDisposedError('predict', name)`: the error to throw when a disposed model is used, instead of
 *   'Tensor 1 is disposed';
 * - `NonFiniteLossWatch`: warns once per `fit` (or stops, when asked) when the loss becomes NaN/Infinity.
 */

/** Throws when a training/evaluation call got no samples (`shape`: the first input's shape, for the message). */
export function checkSampleCount(where: string, samples: number, shape?: readonly (number | null)[]): void {
  if (samples > 0) return;
  const s = shape ? ` (x has shape [${shape.join(',')}])` : '';
  throw new ValueError(`${where}: the data has 0 samples${s}; there is nothing to ${where === 'evaluate' ? 'evaluate' : 'train on'}.`);
}

/** The error for using model `name` after `dispose()`. */
export function modelDisposedError(where: string, name: string): ValueError {
  return new ValueError(
    `${where}: model '${name}' was disposed (model.dispose() frees its weights); it cannot be used any more. Build or load it again.`,
  );
}

/** What `fit` does when the loss becomes NaN or ±Infinity: 'warn' (once, default), 'stop' (throw), 'ignore'. */
export type NonFiniteLossPolicy = 'warn' | 'stop' | 'ignore';

/** Watches batch losses during one `fit` run. */
export class NonFiniteLossWatch {
  private warned = false;

  constructor(
    private readonly policy: NonFiniteLossPolicy = 'warn',
    private readonly warn: (message: string) => void = (m) => console.warn(m),
  ) {
    if (policy !== 'warn' && policy !== 'stop' && policy !== 'ignore') {
      throw new ValueError(`fit: onNonFiniteLoss must be 'warn', 'stop' or 'ignore', received ${JSON.stringify(policy)}.`);
    }
  }

  /** Call after each batch with its loss; throws under 'stop', warns once under 'warn'. */
  observe(epoch: number, batch: number, loss: number): void {
    if (Number.isFinite(loss) || this.policy === 'ignore') return;
    const message = `fit: the loss became ${loss} at batch ${batch} of epoch ${epoch + 1}`;
    if (this.policy === 'stop') {
      throw new ValueError(
        `${message}; training stopped (onNonFiniteLoss: 'stop'). Lower the learning rate, clip gradients (clipnorm) or check the data for NaN.`,
      );
    }
    if (!this.warned) {
      this.warned = true;
      this.warn(
        `${message}; the weights are probably NaN now. Pass callbacks: [callbacks.terminateOnNaN()] or onNonFiniteLoss: 'stop' to stop.`,
      );
    }
  }
}

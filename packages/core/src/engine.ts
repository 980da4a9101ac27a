/**
 * The autograd tape. While a gradient function (`grads`, `variableGrads`, ...) runs its
 * function, every op records one node: its inputs, outputs and a backward function that
 * maps output gradients to input gradients. Outside such a scope nothing is recorded, so
 * inference pays nothing for autograd.
 */
import type { Tensor } from './tensor';

/** One recorded op. `backward` receives a gradient for every output (zeros filled in). */
export interface TapeNode {
  kernelName: string;
  inputs: Tensor[];
  outputs: Tensor[];
  backward: (dys: Tensor[]) => (Tensor | null)[];
}

const tapes: TapeNode[][] = [];
let pauseDepth = 0;

/** True when an op should record itself. */
export function isRecording(): boolean {
  return tapes.length > 0 && pauseDepth === 0;
}

/** Records an op on the active tape (no-op outside gradient scopes). Returns `outputs[0]` for convenience. */
export function record(
  kernelName: string,
  inputs: Tensor[],
  outputs: Tensor[],
  backward: (dys: Tensor[]) => (Tensor | null)[],
): void {
  if (tapes.length === 0 || pauseDepth > 0) return;
  tapes[tapes.length - 1].push({ kernelName, inputs, outputs, backward });
}

/** Runs `fn` with recording paused (used by customGrad bodies and by backward passes). */
export function withoutTape<T>(fn: () => T): T {
  pauseDepth++;
  try {
    return fn();
  } finally {
    pauseDepth--;
  }
}

/** Runs `fn` on a fresh tape and returns its result with the recorded nodes. Nested scopes record to their own tape and are copied up. */
export function withTape<T>(fn: () => T): { result: T; tape: TapeNode[] } {
  const tape: TapeNode[] = [];
  const savedPause = pauseDepth;
  pauseDepth = 0;
  tapes.push(tape);
  try {
    const result = fn();
    return { result, tape };
  } finally {
    tapes.pop();
    pauseDepth = savedPause;
    // An enclosing gradient scope also sees what this scope recorded (so grads can nest around variableGrads).
    if (tapes.length > 0) tapes[tapes.length - 1].push(...tape);
  }
}

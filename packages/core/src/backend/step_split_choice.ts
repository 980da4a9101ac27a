/**
 * The step kernels' choice between one thread and the column split of each step (`SplitChoice`), timed per
 * kernel; used by step_wasm.ts.
 */
/** Milliseconds from a monotonic clock. */
export function now(): number {
  return typeof performance === 'object' ? performance.now() : Date.now();
}

let tuneSplit = true;

/** Test hook: false = a batch-1 sequence eligible for the column split always takes it (no timing); returns the previous value. */
export function setStepSplitTuningForTests(on: boolean): boolean {
  const old = tuneSplit;
  tuneSplit = on;
  return old;
}

/**
 * Whether a step kernel's batch-1 sequences split each step's columns across threads: the split pays
 * only while the threads run at the same time (a step barrier costs ~0.3–1 µs then, but a time slice
 * when the OS has not scheduled the other thread: on a loaded 2-core machine the split was up to 3x
 * slower for lstm(256)). So each kernel times both ways (ms per step, a running average), uses the faster
 * and tries the other again after `retry` calls (16, doubled up to 1024 while the other stays slower).
 * Results do not depend on the choice (bit-identical).
 */
export class SplitChoice {
  private perStep = [0, 0]; // [one thread, split], 0 = not measured yet
  private calls = 0;
  private retry = 16;
  private probing = false;

  useSplit(): boolean {
    if (!tuneSplit) return true;
    const [one, split] = this.perStep;
    if (split === 0) return true;
    if (one === 0) return false;
    const best = split <= one;
    this.probing = ++this.calls % this.retry === 0;
    return this.probing ? !best : best;
  }

  record(split: boolean, msPerStep: number): void {
    const i = split ? 1 : 0;
    const old = this.perStep[i];
    const wasBest = this.perStep[1] <= this.perStep[0] === split;
    this.perStep[i] = old === 0 ? msPerStep : 0.75 * old + 0.25 * msPerStep;
    if (this.probing) {
      this.probing = false;
      const nowBest = this.perStep[1] <= this.perStep[0] === split;
      this.retry = nowBest && !wasBest ? 16 : Math.min(1024, this.retry * 2);
      this.calls = 0;
    }
  }
}

/** `nn.optim.lrScheduler.OneCycleLR`: the 1cycle policy — lr up to maxLr, then down far below the start (per batch). */
import { describeValue, Optimizer } from '../optimizer';
import { checkSchedKeys, checkSchedNumber, LRScheduler } from './lr_scheduler';
import { ValueError } from '@recurrent/core';

/** Options of OneCycleLR (PyTorch's keyword arguments and defaults, camelCase). */
export interface OneCycleLROptions {
  /** Peak lr: one number or one per group (required). */
  maxLr: number | number[];
  /** Steps of the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear'. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle the momentum inversely to the lr (default true: SGD's `momentum`, Adam's `betas[0]`). */
  cycleMomentum?: boolean;
  /** Lowest momentum (default 0.85): one number or one per group. */
  baseMomentum?: number | number[];
  /** Highest momentum (default 0.95): one number or one per group. */
  maxMomentum?: number | number[];
  /** Initial lr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** Final lr = initial lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, back down to the initial lr, then annihilation) instead of two (default false). */
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/**
 * Step it after every batch. The lr anneals from maxLr/divFactor up to maxLr over pctStart of `totalSteps`, then
 * down to initialLr/finalDivFactor; momentum (when cycled) moves the opposite way between maxMomentum and
 * baseMomentum. Stepping past `totalSteps` throws, as PyTorch.
 *
 * ```ts
 * const sched = new nn.optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.01, epochs: 10, stepsPerEpoch: batches.length });
 * for (...) { loss.backward(); opt.step(); sched.step(); }
 * ```
 * The groups gain PyTorch's keys `initialLr`, `maxLr`, `minLr` (and `maxMomentum`, `baseMomentum`), so the
 * optimizer's `stateDict()` carries them.
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly annealStrategy: 'cos' | 'linear';
  readonly cycleMomentum: boolean;
  private readonly useBeta1: boolean;
  private readonly phases: Phase[];

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    const who = 'nn.optim.lrScheduler.OneCycleLR';
    checkSchedKeys(who, options, [
      'maxLr',
      'totalSteps',
      'epochs',
      'stepsPerEpoch',
      'pctStart',
      'annealStrategy',
      'cycleMomentum',
      'baseMomentum',
      'maxMomentum',
      'divFactor',
      'finalDivFactor',
      'threePhase',
    ]);
    // Set before the base constructor records initialLr as the groups' base lrs (PyTorch's order).
    if (!(optimizer instanceof Optimizer))
      throw new ValueError(`${who}: optimizer must be an nn.optim optimizer, received ${describeValue(optimizer)}.`);
    const groups = optimizer.paramGroups;
    const perGroup = (name: string, v: unknown): number[] => {
      const list = Array.isArray(v) ? v : groups.map(() => v);
      if (list.length !== groups.length)
        throw new ValueError(`${who}: ${name} must be one number or ${groups.length} (one per group), received ${list.length}.`);
      return list.map((x: unknown) => checkSchedNumber(who, name, x, (y) => y >= 0, 'a number >= 0'));
    };
    const isInt = (x: number) => Number.isInteger(x) && x >= 1;
    let totalSteps: number;
    if (options.totalSteps !== undefined) totalSteps = checkSchedNumber(who, 'totalSteps', options.totalSteps, isInt, 'an integer >= 1');
    else if (options.epochs !== undefined || options.stepsPerEpoch !== undefined)
      totalSteps =
        checkSchedNumber(who, 'epochs', options.epochs, isInt, 'an integer >= 1') *
        checkSchedNumber(who, 'stepsPerEpoch', options.stepsPerEpoch, isInt, 'an integer >= 1');
    else throw new ValueError(`${who}: give totalSteps, or epochs and stepsPerEpoch.`);
    const pct = checkSchedNumber(who, 'pctStart', options.pctStart ?? 0.3, (x) => x >= 0 && x <= 1, 'a number in [0, 1]');
    const anneal = options.annealStrategy ?? 'cos';
    if (anneal !== 'cos' && anneal !== 'linear')
      throw new ValueError(`${who}: annealStrategy must be 'cos' or 'linear', received ${describeValue(anneal)}.`);
    const divFactor = checkSchedNumber(who, 'divFactor', options.divFactor ?? 25, (x) => x > 0, 'a number > 0');
    const finalDivFactor = checkSchedNumber(who, 'finalDivFactor', options.finalDivFactor ?? 1e4, (x) => x > 0, 'a number > 0');
    const cycle = options.cycleMomentum ?? true;
    if (typeof cycle !== 'boolean') throw new ValueError(`${who}: cycleMomentum must be true or false, received ${describeValue(cycle)}.`);
    const threePhase = options.threePhase ?? false;
    if (typeof threePhase !== 'boolean')
      throw new ValueError(`${who}: threePhase must be true or false, received ${describeValue(threePhase)}.`);
    const maxLrs = perGroup('maxLr', options.maxLr);
    const defaults = optimizer.defaults;
    const useBeta1 = 'betas' in defaults;
    if (cycle && !('momentum' in defaults) && !useBeta1)
      throw new ValueError(`${who}: the optimizer has no momentum or betas to cycle; pass cycleMomentum: false.`);
    const maxMs = cycle ? perGroup('maxMomentum', options.maxMomentum ?? 0.95) : [];
    const baseMs = cycle ? perGroup('baseMomentum', options.baseMomentum ?? 0.85) : [];
    groups.forEach((g, i) => {
      g.initialLr = maxLrs[i] / divFactor;
      g.maxLr = maxLrs[i];
      g.minLr = g.initialLr / finalDivFactor;
      if (cycle) {
        if (useBeta1) g.betas = [maxMs[i], ...(g.betas as number[]).slice(1)];
        else g.momentum = maxMs[i];
        g.maxMomentum = maxMs[i];
        g.baseMomentum = baseMs[i];
      }
    });
    super(optimizer, 'OneCycleLR');
    this.totalSteps = totalSteps;
    this.annealStrategy = anneal;
    this.cycleMomentum = cycle;
    this.useBeta1 = useBeta1;
    const up: Phase = {
      endStep: pct * totalSteps - 1,
      startLr: 'initialLr',
      endLr: 'maxLr',
      startMomentum: 'maxMomentum',
      endMomentum: 'baseMomentum',
    };
    this.phases = threePhase
      ? [
          up,
          {
            endStep: 2 * pct * totalSteps - 2,
            startLr: 'maxLr',
            endLr: 'initialLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
          { endStep: totalSteps - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [up, { endStep: totalSteps - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' }];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    return this.annealStrategy === 'cos' ? end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
  }

  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) {
      throw new ValueError(
        `nn.optim.lrScheduler.OneCycleLR: tried to step ${step + 1} times; the specified number of total steps is ${this.totalSteps}.`,
      );
    }
    return this.optimizer.paramGroups.map((g) => {
      let start = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const ph = this.phases[i];
        if (step <= ph.endStep || i === this.phases.length - 1) {
          const pct = (step - start) / (ph.endStep - start);
          if (this.cycleMomentum) {
            const m = this.anneal(g[ph.startMomentum], g[ph.endMomentum], pct);
            if (this.useBeta1) g.betas = [m, ...(g.betas as number[]).slice(1)];
            else g.momentum = m;
          }
          return this.anneal(g[ph.startLr], g[ph.endLr], pct);
        }
        start = ph.endStep;
      }
      return g.lr;
    });
  }
}

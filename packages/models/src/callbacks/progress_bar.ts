/**
 * Keras-style progress display for `fit({verbose: 1})`: a pure formatting function
 * (`formatProgressLine`) and the `ProgbarLogger` callback that writes it.
 *
 * ```text
 * Epoch 1/5
 * 12/32 [==========>...................] - ETA: 0s - loss: 0.6931 - acc: 0.5000
 * 32/32 [==============================] - 0.4s 12ms/step - loss: 0.6931 - acc: 0.5000
 * ```
 */
import { BaseCallback, Logs } from './callback';

/** Inputs of {@link formatProgressLine}. */
export interface ProgressLineArgs {
  /** Steps done (batches). */
  current: number;
  /** Steps per epoch, or null when unknown (a dataset of unknown size): `12/Unknown` without a bar or ETA, as Keras. */
  target: number | null;
  /** Milliseconds since the epoch began. */
  elapsedMs: number;
  /** Values to show after the bar, in order: `[['loss', 0.69], ['acc', 0.5]]`. */
  values: [string, number][];
  /** The epoch is done: show total time and time per step instead of the ETA. */
  finished?: boolean;
  /** Bar width in characters (default 30, as Keras). */
  width?: number;
  /** Omit the bar (Keras's verbose 2 line). */
  noBar?: boolean;
}

/** A metric value as Keras prints it: 4 decimals, or 4-digit exponent notation for tiny magnitudes. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) > 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(4);
}

/** An ETA in seconds as Keras prints it: `7s`, `1:05`, `1:02:03`. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  }
  if (s >= 60) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${s}s`;
}

/** A duration: one decimal below 10 s (`0.4s`), whole seconds above (`12s`). */
export function formatElapsed(ms: number): string {
  const s = ms / 1000;
  return s < 10 ? `${s.toFixed(1)}s` : `${Math.round(s)}s`;
}

/** Time per step: `2s/step`, `12ms/step` or `85us/step`. */
export function formatPerStep(ms: number): string {
  if (ms >= 1000) return `${Math.round(ms / 1000)}s/step`;
  if (ms >= 1) return `${Math.round(ms)}ms/step`;
  return `${Math.round(ms * 1000)}us/step`;
}

/** The bar itself: `[==========>...................]` (Keras's rule). */
export function formatBar(current: number, target: number, width = 30): string {
  const frac = target > 0 ? Math.min(1, current / target) : 1;
  const done = Math.floor(width * frac);
  let bar = '[';
  if (done > 0) bar += '='.repeat(done - 1) + (current < target ? '>' : '=');
  bar += '.'.repeat(width - done) + ']';
  return bar;
}

/**
 * One progress line, without a newline or carriage return:
 * `12/32 [==========>...................] - ETA: 1s - loss: 0.6931` while running, and
 * `32/32 [==============================] - 0.4s 12ms/step - loss: 0.6931 - acc: 0.5000` when finished.
 */
export function formatProgressLine(args: ProgressLineArgs): string {
  const { current, target, elapsedMs, values, finished = false, width = 30, noBar = false } = args;
  const perStep = current > 0 ? elapsedMs / current : 0;
  const time = `${formatElapsed(elapsedMs)} ${formatPerStep(perStep)}`;
  let line: string;
  if (target === null) {
    line = `${String(current).padStart(7)}/Unknown - ${time}`;
  } else {
    line = `${String(current).padStart(String(target).length)}/${target}`;
    if (!noBar) line += ` ${formatBar(current, target, width)}`;
    line += finished ? ` - ${time}` : ` - ETA: ${formatEta((perStep * (target - current)) / 1000)}`;
  }
  for (const [name, v] of values) line += ` - ${name}: ${formatValue(v)}`;
  return line;
}

/** Where and how `ProgbarLogger` writes. */
export interface ProgbarLoggerArgs {
  /** Writes text (default `process.stdout.write`; without `process.stdout`, nothing is written). */
  write?: (text: string) => void;
  /** Redraw the line in place with '\r' (default: whether process.stdout is a TTY). */
  live?: boolean;
  /** 1: bar (default), 2: one line per epoch without a bar. */
  verbose?: number;
  /** Milliseconds between live redraws (default 50). */
  intervalMs?: number;
  /** Clock in milliseconds (default `performance.now` / `Date.now`). */
  now?: () => number;
}

function defaultNow(): number {
  return typeof performance !== 'undefined' && performance.now ? performance.now() : Date.now();
}

/** A `process.stdout` if there is one (Node), else null (browsers). */
function nodeStdout(): { write(s: string): unknown; isTTY?: boolean } | null {
  const p = (globalThis as { process?: { stdout?: { write(s: string): unknown; isTTY?: boolean } } }).process;
  return p && p.stdout && typeof p.stdout.write === 'function' ? p.stdout : null;
}

/** Whether `fit` can print progress by default (there is a `process.stdout`). */
export function canPrintProgress(): boolean {
  return nodeStdout() !== null;
}

/**
 * Prints `Epoch k/N`, a live bar with running means of the batch logs, and a final line per epoch
 * (with the validation values). `fit` adds one when `verbose > 0` and `process.stdout` exists;
 * add one yourself (with `write`) to print elsewhere, e.g. in a browser.
 */
export class ProgbarLogger extends BaseCallback {
  private readonly write: ((text: string) => void) | null;
  private readonly live: boolean;
  private readonly verbosity: number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private epochStart = 0;
  private lastDraw = -Infinity;
  private lastLength = 0;
  private seen = 0;
  private steps = 0;
  private sums = new Map<string, number>();
  /** Steps of the last finished epoch, the target when `params.steps` is null (a dataset of unknown size). */
  private lastEpochSteps: number | null = null;

  constructor(args: ProgbarLoggerArgs = {}) {
    super();
    const out = nodeStdout();
    this.write = args.write ?? (out ? (s: string) => void out.write(s) : null);
    this.live = args.live ?? Boolean(args.write == null && out?.isTTY);
    this.verbosity = args.verbose ?? 1;
    this.intervalMs = args.intervalMs ?? 50;
    this.now = args.now ?? defaultNow;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    if (!this.write) return;
    this.write(`Epoch ${epoch + 1}/${this.params.epochs}\n`);
    this.epochStart = this.now();
    this.lastDraw = -Infinity;
    this.lastLength = 0;
    this.seen = 0;
    this.steps = 0;
    this.sums = new Map();
  }

  override async onBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    if (!this.write) return;
    const size = logs.size ?? 1;
    this.seen += size;
    this.steps = batch + 1;
    for (const key of Object.keys(logs)) {
      if (key === 'batch' || key === 'size') continue;
      this.sums.set(key, (this.sums.get(key) ?? 0) + logs[key] * size);
    }
    if (!this.live || this.verbosity !== 1) return;
    const t = this.now();
    const target = this.params.steps ?? this.lastEpochSteps;
    if (t - this.lastDraw < this.intervalMs && (target === null || this.steps < target)) return;
    this.lastDraw = t;
    const values: [string, number][] = [...this.sums].map(([k, s]) => [k, s / this.seen]);
    this.draw(formatProgressLine({ current: this.steps, target, elapsedMs: t - this.epochStart, values }));
  }

  override async onEpochEnd(_epoch: number, logs: Logs = {}): Promise<void> {
    if (!this.write) return;
    const values: [string, number][] = Object.keys(logs).map((k) => [k, logs[k]]);
    const target = this.params.steps ?? this.steps;
    this.lastEpochSteps = this.steps;
    const line = formatProgressLine({
      current: this.steps,
      target: Math.max(target, this.steps),
      elapsedMs: this.now() - this.epochStart,
      values,
      finished: true,
      noBar: this.verbosity !== 1,
    });
    this.draw(line);
    this.write('\n');
    this.lastLength = 0;
  }

  private draw(line: string): void {
    if (this.live) {
      const pad = this.lastLength > line.length ? ' '.repeat(this.lastLength - line.length) : '';
      this.write!(`\r${line}${pad}`);
      this.lastLength = line.length;
    } else {
      this.write!(line);
    }
  }
}

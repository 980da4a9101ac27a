/**
 * `callbacks.progress(element)`: a browser callback that renders a progress bar, the latest epoch
 * values, and a live `historyChart` of the epoch logs into a DOM element (its content is replaced).
 *
 * ```js
 * await model.fit(x, y, {epochs: 30, callbacks: [callbacks.progress(document.getElementById('training'))]});
 * ```
 */
import { BaseCallback, Logs } from './callback';
import { historyChart, HistoryChartOptions } from './history_chart';
import { ValueError } from '@recurrent/core';

/** The part of a DOM element the view writes to. */
export interface ProgressElement {
  innerHTML: string;
}

/** Options of `progress`. */
export interface ProgressViewOptions extends HistoryChartOptions {
  /** Minimum milliseconds between redraws inside an epoch (default 100). */
  intervalMs?: number;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3)) : String(v);
}

/** Renders training progress into `element` (any object with `innerHTML`). */
export class ProgressView extends BaseCallback {
  readonly element: ProgressElement;
  private readonly options: ProgressViewOptions;
  private readonly values: { [k: string]: number[] } = {};
  private epoch = 0;
  private step = 0;
  private last = -Infinity;

  constructor(element: ProgressElement, options: ProgressViewOptions = {}) {
    super();
    if (element == null || typeof element !== 'object' || !('innerHTML' in element)) {
      throw new ValueError(
        `callbacks.progress: expected a DOM element (document.getElementById(...)), received ${element === null ? 'null' : typeof element}.`,
      );
    }
    this.element = element;
    this.options = options;
  }

  override async onTrainBegin(): Promise<void> {
    for (const k of Object.keys(this.values)) delete this.values[k];
    this.render({});
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
    this.step = 0;
  }

  override async onBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    this.step = batch + 1;
    const now = typeof performance !== 'undefined' ? performance.now() : Date.now();
    if (now - this.last < (this.options.intervalMs ?? 100)) return;
    this.last = now;
    this.render(logs);
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    for (const k of Object.keys(logs)) (this.values[k] ??= []).push(logs[k]);
    this.epoch = epoch;
    this.render(logs, true);
  }

  private render(logs: Logs, epochDone = false): void {
    const epochs = this.params.epochs ?? 0;
    const steps = this.params.steps ?? null;
    const frac = epochs > 0 ? Math.min(1, (this.epoch + (epochDone ? 1 : steps ? this.step / steps : 0)) / epochs) : 0;
    const vals = Object.keys(logs)
      .filter((k) => k !== 'batch' && k !== 'size')
      .map((k) => `${k}: ${fmt(logs[k])}`)
      .join(' · ');
    const stepText = steps ? `${this.step}/${steps}` : `${this.step}`;
    this.element.innerHTML =
      `<div class="recurrent-progress"><div>Epoch ${this.epoch + 1}/${epochs} · step ${stepText}</div>` +
      `<div style="background:#ddd;height:8px;width:100%"><div style="background:#0072b2;height:8px;width:${(frac * 100).toFixed(1)}%"></div></div>` +
      `<div>${vals}</div>${Object.keys(this.values).length ? historyChart(this.values, this.options) : ''}</div>`;
  }
}

/** Creates a `ProgressView` callback that draws into `element`. */
export function progress(element: ProgressElement, options?: ProgressViewOptions): ProgressView {
  return new ProgressView(element, options);
}

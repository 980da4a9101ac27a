import { ValueError } from '@recurrent/core';
/**
 * `historyChart(history, options)`: an SVG line chart (a string) of per-epoch values from a
 * `History` (or `{loss: [...], val_loss: [...]}`), one polyline per key, with axes, ticks and a
 * legend. Pure string building: works in Node (write it to a file) and in browsers (innerHTML).
 *
 * ```js
 * const h = await model.fit(x, y, {epochs: 20, validationSplit: 0.2});
 * document.getElementById('chart').innerHTML = historyChart(h, {keys: ['loss', 'val_loss']});
 * ```
 */

/** Options of `historyChart`. */
export interface HistoryChartOptions {
  /** Keys to draw (default: every key with numbers). */
  keys?: string[];
  /** Pixel size (default 480 × 240). */
  width?: number;
  height?: number;
  /** Chart title (default none). */
  title?: string;
  /** Line colours, cycled (default a colour-blind-safe palette). */
  colors?: string[];
}

const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function tick(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(1) : Number(v.toPrecision(3)).toString();
}

/** An SVG chart of the per-epoch values of `history` (`History` or its `.history` object). */
export function historyChart(
  history: { history?: { [k: string]: number[] } } | { [k: string]: number[] },
  options: HistoryChartOptions = {},
): string {
  const data = ((history as { history?: unknown }).history ?? history) as { [k: string]: number[] };
  if (data == null || typeof data !== 'object')
    throw new ValueError(`historyChart: expected a History or {key: number[]}, received ${String(history)}.`);
  const keys = options.keys ?? Object.keys(data).filter((k) => Array.isArray(data[k]) && data[k].every((v) => typeof v === 'number'));
  for (const k of keys) {
    if (!Array.isArray(data[k]))
      throw new ValueError(`historyChart: '${k}' is not in the history (keys: ${Object.keys(data).join(', ')}).`);
  }
  const width = options.width ?? 480;
  const height = options.height ?? 240;
  const colors = options.colors ?? PALETTE;
  const m = { left: 48, right: 12, top: options.title ? 24 : 10, bottom: 28 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const finite = keys.flatMap((k) => data[k].filter((v) => Number.isFinite(v)));
  const n = Math.max(1, ...keys.map((k) => data[k].length));
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (hi === lo) {
    hi += Math.abs(hi) * 0.05 || 1;
    lo -= Math.abs(lo) * 0.05 || 1;
  }
  const x = (e: number) => m.left + (n === 1 ? w / 2 : (e / (n - 1)) * w);
  const y = (v: number) => m.top + (1 - (v - lo) / (hi - lo)) * h;
  let s = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="10">`;
  if (options.title) s += `<text x="${width / 2}" y="14" text-anchor="middle" font-size="12">${esc(options.title)}</text>`;
  s += `<line x1="${m.left}" y1="${m.top + h}" x2="${m.left + w}" y2="${m.top + h}" stroke="#888"/>`;
  s += `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + h}" stroke="#888"/>`;
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((hi - lo) * i) / 4;
    s += `<text x="${m.left - 4}" y="${y(v) + 3}" text-anchor="end">${tick(v)}</text>`;
  }
  const step = Math.max(1, Math.ceil(n / 8));
  for (let e = 0; e < n; e += step) s += `<text x="${x(e)}" y="${m.top + h + 14}" text-anchor="middle">${e + 1}</text>`;
  s += `<text x="${m.left + w / 2}" y="${height - 2}" text-anchor="middle">epoch</text>`;
  keys.forEach((k, i) => {
    const color = colors[i % colors.length];
    const pts = data[k].map((v, e) => (Number.isFinite(v) ? `${x(e).toFixed(1)},${y(v).toFixed(1)}` : null)).filter((p) => p !== null);
    s += `<polyline data-key="${esc(k)}" fill="none" stroke="${color}" stroke-width="1.5" points="${pts.join(' ')}"/>`;
    s += `<text x="${m.left + w - 4}" y="${m.top + 10 + i * 12}" text-anchor="end" fill="${color}">${esc(k)}</text>`;
  });
  return s + '</svg>';
}

// Shared benchmark helpers: timing with warm-up, medians, a printed comparison table, loading tfjs's wasm backend.

/** Runs `fn` `warmup` times, then `runs` times; returns the sorted list of durations in ms. */
function time(fn, { warmup = 1, runs = 5 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const out = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

/** Median of a sorted list. */
function median(sorted) {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** Prints rows as an aligned plain-text table (first row is the header). */
function printTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  rows.forEach((r, i) => {
    console.log(r.map((cell, c) => String(cell).padEnd(widths[c])).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

/** Registers tfjs's wasm backend if the package is installed; returns whether it initialized. */
async function loadTfjsWasm(tf) {
  try {
    require('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    await tf.ready();
    return tf.getBackend() === 'wasm';
  } catch (e) {
    console.log(`(tfjs wasm backend unavailable: ${e.message})`);
    return false;
  } finally {
    await tf.setBackend('cpu');
  }
}

module.exports = { time, median, printTable, loadTfjsWasm };

// `npm run bench -- browser` (or `node bench/browser.js` after `npm run build`): W1 (lstm(256) predict
// [32, 100, 64], ms per call) and W6 (lstm(64) predict [1, 50, 16], µs per call) of the peer table in headless
// Chromium (Debian's chromium, driven by playwright-core), on the same page served twice by
// packages/recurrent/test/isolation/server.js: with COOP same-origin + COEP require-corp (cross-origin isolated:
// SharedArrayBuffer, so WebAssembly threads can be used) and without. Both pages stay open in two tabs and take
// turns, one timed run each per round, the first of the round alternating; medians and min–max; nothing asserted.
// The page reports the library's backendInfo() / getThreadsCount() when the build has them.
//
//   BENCH_QUICK=1 node bench/browser.js     fewer runs
//   CHROMIUM_PATH=/path/to/chromium …       another chromium
const fs = require('fs');
const os = require('os');
const path = require('path');
const { median, printTable } = require('./harness');
const { startIsolationServer, bundlePath } = require('../packages/recurrent/test/isolation/server.js');

const QUICK = process.env.BENCH_QUICK === '1';

/** The chromium executable: $CHROMIUM_PATH, else chromium / chromium-browser on PATH; null when there is none. */
function findChromium() {
  if (process.env.CHROMIUM_PATH) return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) return file;
    }
  }
  return null;
}

const CASES = [
  { name: 'W1 lstm(256) predict [32,100,64]', layer: 'lstm', units: 256, shape: [32, 100, 64], calls: 1, unit: 'ms' },
  { name: 'W6 lstm(64) predict [1,50,16]', layer: 'lstm', units: 64, shape: [1, 50, 16], calls: QUICK ? 50 : 200, unit: 'us' },
];

function fmt(msValue, unit) {
  if (unit === 'us') {
    const us = msValue * 1000;
    return us >= 100 ? `${us.toFixed(0)} µs` : `${us.toFixed(1)} µs`;
  }
  return msValue >= 10 ? `${msValue.toFixed(0)} ms` : `${msValue.toFixed(2)} ms`;
}

/** Returns printTable rows (and info lines) of the two pages' timings. */
async function benchBrowser({ log = () => {} } = {}) {
  const chromiumPath = findChromium();
  if (!chromiumPath)
    return { rows: null, lines: ['(browser bench skipped: no chromium; apt-get install -y chromium, or set CHROMIUM_PATH)'] };
  if (!fs.existsSync(bundlePath)) return { rows: null, lines: [`(browser bench skipped: ${bundlePath} is missing; npm run build)`] };
  const { chromium } = require('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-bench-chromium-'));
  const servers = [await startIsolationServer({ isolated: true }), await startIsolationServer({ isolated: false })];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
    ],
    timeout: 60_000,
  });
  try {
    const pages = [];
    for (const s of servers) {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(s.url, { waitUntil: 'load' });
      const info = await page.evaluate(() => window.isolationInfo());
      pages.push({ page, info, errors, label: s.isolated ? 'isolated (COOP+COEP)' : 'not isolated', times: {} });
    }
    const runs = QUICK ? 3 : 7;
    for (const c of CASES) {
      log(`  ${c.name} ...`);
      for (const p of pages) p.times[c.name] = [];
      // Build and warm up on both pages (untimed), then alternate.
      for (const p of pages) await p.page.evaluate((spec) => window.runTimings(spec), { cases: [{ ...c, runs: 0 }] });
      for (let r = 0; r < runs; r++) {
        for (let k = 0; k < pages.length; k++) {
          const p = pages[(k + r) % pages.length];
          const out = await p.page.evaluate((spec) => window.runTimings(spec), { cases: [{ ...c, runs: 1 }] });
          p.times[c.name].push(out[c.name].median);
        }
      }
    }
    const rows = [['workload (median, min–max)', ...pages.map((p) => p.label), `${pages[1].label} / ${pages[0].label}`]];
    for (const c of CASES) {
      const meds = pages.map((p) => median(p.times[c.name].slice().sort((a, b) => a - b)));
      rows.push([
        c.name + (c.unit === 'us' ? ', µs/call' : ''),
        ...pages.map((p, i) => {
          const t = p.times[c.name];
          return `${fmt(meds[i], c.unit)} (${fmt(Math.min(...t), c.unit)}–${fmt(Math.max(...t), c.unit)})`;
        }),
        `${(meds[1] / meds[0]).toFixed(2)}x`,
      ]);
    }
    const lines = pages.map(
      (p) =>
        `${p.label}: crossOriginIsolated ${p.info.crossOriginIsolated}, SharedArrayBuffer ${p.info.sharedArrayBuffer}, backend ${p.info.backend}, ` +
        `threads ${p.info.threads === null ? 'n/a (no getThreadsCount in this build)' : p.info.threads}, backendInfo ${JSON.stringify(p.info.backendInfo)}` +
        (p.errors.length ? `; page errors: ${p.errors.join(' | ')}` : ''),
    );
    lines.unshift(
      `chromium ${context.browser() ? context.browser().version() : ''} (${chromiumPath}), ${runs} timed runs per page, alternating`,
    );
    return { rows, lines };
  } finally {
    await context.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
    for (const s of servers) await s.close();
  }
}

async function printBrowserBench() {
  const { rows, lines } = await benchBrowser({ log: (m) => process.stderr.write(`${m}\n`) });
  if (rows) printTable(rows);
  for (const l of lines) console.log(l);
}

module.exports = { benchBrowser, printBrowserBench };

if (require.main === module) {
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} x ${cpus[0] ? cpus[0].model : 'unknown CPU'}, load average ${os.loadavg()[0].toFixed(1)}, node ${process.version}${QUICK ? ', BENCH_QUICK=1' : ''}`,
  );
  printBrowserBench().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

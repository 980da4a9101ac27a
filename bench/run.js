// `npm run bench`: recurrent beside its peers. Prints the machine line, then
//  1. the peer table of issue 18 (bench/peers.js): recurrent, TensorFlow.js (cpu, wasm), onnxruntime-node (1 thread)
//     and onnxruntime-web (wasm in Node, 1 and N threads) on the LSTM/GRU workloads W1–W4 and W6 (lstm(64) on one
//     [1, 50, 16] sequence), same weights for all (ONNX files exported by @recurrent/onnx), EACH CONTENDER IN ITS OWN
//     PROCESS, alternating rounds, medians and min–max, ratios peer / recurrent and the outputs' agreement;
//  2. the remaining workloads in one process beside tfjs cpu/wasm (bench/workloads.js: W1 as a functional model,
//     W5, and issue 16's W6 conv1d / W7 convLstm2d);
//  3. the matMul GFLOP/s table and the bundle sizes.
// Medians over several runs after a warm-up; nothing here is asserted. The machine's load changes every number:
// the machine line shows the load average (and the peer table the load when it ended).
//
//   npm run bench                     everything (about 8–10 minutes on a quiet 2-core machine; tfjs cpu takes most)
//   BENCH_QUICK=1 npm run bench       fewer runs (about 4 minutes)
//   npm run bench -- peers            only the peer table (BENCH_QUICK=1: about 2 minutes); `peers W1 W6`: those rows
//   npm run bench -- W1 W6            only these in-process workloads (W1..W7 of bench/workloads.js), plus the machine line
//   npm run bench -- matmul size      only the matMul table / bundle sizes ('layers': the per-layer table)
//   npm run bench -- browser          W1 and W6 in headless Chromium, pages with and without cross-origin isolation
//                                     (bench/browser.js; needs Debian's chromium; only when asked)
//   npm run bench -- attention        only the attention layers (bench/attention.js)
//   npm run bench -- ctc              the CTC loss table (fused vs op by op, bench/ctc.js; only when asked)
//   npm run bench -- ort              recurrent beside onnxruntime-node in one process (bench/ort.js; the peer table
//                                     measures the same with separate processes)
//   npm run bench -- variants         the plain and relaxed-SIMD wasm builds side by side (bench/wasm_variants.js; only when asked)
//   npm run bench -- columns          batch-1 lstm(64..1024) on 1 vs N threads (each step's columns split; bench/step_columns.js; only when asked)
//   npm run bench -- peak             the multiply-add rate one wasm SIMD thread reaches here (bench/simd_peak.mjs; only when asked)
//   npm run bench -- latency          W4/W6 per call beside their kernel floors, wall and CPU medians (bench/latency.js;
//                                     only when asked; `node bench/latency.js dirA dirB` compares builds)
//   node --expose-gc bench/memory.js  memory per training step and over 10^6 streaming steps (not part of npm run bench)
const os = require('os');
const { printTable, loadTfjsWasm } = require('./harness');
const { benchMatMul } = require('./matmul');
const { benchWorkloads } = require('./workloads');

const SECTIONS = ['peers', 'matmul', 'size', 'layers', 'attention', 'ctc', 'ort', 'browser', 'variants', 'columns', 'peak', 'latency'];

async function main() {
  const args = process.argv.slice(2).map((a) => a.toLowerCase());
  const unknown = args.filter((a) => !/^w[1-7]$/.test(a) && !SECTIONS.includes(a));
  if (unknown.length) throw new Error(`bench: unknown argument(s) ${unknown.join(', ')}; use W1..W7, ${SECTIONS.join(', ')}.`);
  const workloads = args.filter((a) => /^w[1-7]$/.test(a)).map((a) => a.toUpperCase());
  const all = args.length === 0;
  const peersOnly = args.includes('peers');
  if (peersOnly && workloads.some((w) => !/^W[1-46]$/.test(w))) throw new Error('bench: the peer table has W1, W2, W3, W4, W6.');
  const want = (s) => all || args.includes(s);

  const tf = require('@tensorflow/tfjs');
  const rc = require('recurrent');
  await tf.setBackend('cpu');
  await rc.ready();
  const tfWasm = await loadTfjsWasm(tf);
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} x ${cpus[0] ? cpus[0].model : 'unknown CPU'}, load average ${os.loadavg()[0].toFixed(1)}, ` +
      `node ${process.version}, tfjs ${tf.version.tfjs} (cpu${tfWasm ? ', wasm' : ''}), recurrent backend '${rc.getBackend()}' (${rc.wasmFeatures().module ?? 'no'} wasm build) on ${rc.getThreadsCount()} thread(s)` +
      (process.env.BENCH_QUICK === '1' ? ', BENCH_QUICK=1' : ''),
  );
  console.log('');

  if (all || peersOnly) {
    const { printPeers } = require('./peers');
    await printPeers(peersOnly ? workloads : []);
    console.log('');
  }
  if (all || (workloads.length > 0 && !peersOnly)) {
    const t0 = Date.now();
    const { rows, notes } = await benchWorkloads(tf, {
      select: peersOnly ? [] : workloads,
      tfWasm,
      skipPeerRows: all,
      log: (m) => process.stderr.write(`${m}\n`),
    });
    printTable(rows);
    console.log('Ratios: peer median / recurrent median (>1: recurrent faster). [n runs]: fewer than 5 timed runs.');
    for (const n of notes) console.log(`note: ${n}`);
    console.log(`(workloads took ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    console.log('');
  }
  if (want('matmul')) {
    printTable(await benchMatMul(tf));
    console.log('');
  }
  if (args.includes('layers')) {
    // Per-layer forward / training-step table (bench/recurrent.js), when present.
    try {
      const { benchRecurrent } = require('./recurrent');
      printTable([['workload', 'recurrent', 'tfjs cpu', 'speed-up'], ...(await benchRecurrent(tf))]);
      console.log('');
    } catch (e) {
      console.log(`(layers table unavailable: ${e.message})`);
    }
  }
  if (args.includes('attention')) {
    const { benchAttention } = require('./attention');
    printTable(await benchAttention(tf));
  }
  if (args.includes('ort')) {
    const { benchOrt } = require('./ort');
    printTable(await benchOrt());
    console.log('Ratios: onnxruntime median / recurrent median (>1: recurrent faster).');
    console.log('');
  }
  if (args.includes('browser')) {
    const { printBrowserBench } = require('./browser');
    await printBrowserBench();
    console.log('');
  }
  if (args.includes('ctc')) {
    const { benchCtc } = require('./ctc');
    printTable(benchCtc());
    console.log('');
  }
  if (args.includes('variants')) {
    const { benchWasmVariants } = require('./wasm_variants');
    printTable(benchWasmVariants());
    console.log('Each build in its own process (V8 flags choose it); plain / relaxed > 1: the relaxed build is faster.');
    console.log('');
  }
  if (args.includes('latency')) {
    const { benchLatency } = require('./latency');
    await benchLatency();
    console.log('');
  }
  if (args.includes('columns')) {
    const { benchStepColumns } = require('./step_columns');
    await benchStepColumns();
    console.log('');
  }
  if (args.includes('peak')) {
    const { execFileSync } = require('child_process');
    console.log(execFileSync(process.execPath, [require('path').join(__dirname, 'simd_peak.mjs')], { encoding: 'utf8' }));
  }
  if (want('size')) {
    const { bundleSizeRows } = require('../scripts/bundle-size');
    printTable(bundleSizeRows());
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

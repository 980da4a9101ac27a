// `npm run bench`: recurrent side by side with TensorFlow.js (cpu and wasm backends) in the same run and
// process. Prints the machine, the workloads W1–W5 of issue 8 and W6–W7 of issue 16 (bench/workloads.js), the matMul GFLOP/s table
// and the bundle sizes. Medians over several runs after a warm-up; nothing here is asserted.
//
//   npm run bench                     everything (about 10 minutes on a quiet 2-core machine)
//   npm run bench -- W1 W6            only these workloads (W1..W7), plus the machine line
//   npm run bench -- matmul size      only the matMul table / bundle sizes ('layers': the per-layer table)
//   npm run bench -- attention        only the attention layers (bench/attention.js)
//   npm run bench -- ctc              the CTC loss table (fused vs op by op, bench/ctc.js; only when asked)
//   npm run bench -- ort              recurrent beside onnxruntime-node (1 thread) on exported models (bench/ort.js)
//   BENCH_QUICK=1 npm run bench       fewer runs
const os = require('os');
const { printTable, loadTfjsWasm } = require('./harness');
const { benchMatMul } = require('./matmul');
const { benchWorkloads } = require('./workloads');

const SECTIONS = ['matmul', 'size', 'layers', 'attention', 'ctc', 'ort'];

async function main() {
  const args = process.argv.slice(2).map((a) => a.toLowerCase());
  const unknown = args.filter((a) => !/^w[1-7]$/.test(a) && !SECTIONS.includes(a));
  if (unknown.length) throw new Error(`bench: unknown argument(s) ${unknown.join(', ')}; use W1..W7, ${SECTIONS.join(', ')}.`);
  const workloads = args.filter((a) => /^w[1-7]$/.test(a)).map((a) => a.toUpperCase());
  const all = args.length === 0;
  const want = (s) => all || args.includes(s);

  const tf = require('@tensorflow/tfjs');
  const rc = require('recurrent');
  await tf.setBackend('cpu');
  await rc.ready();
  const tfWasm = await loadTfjsWasm(tf);
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} x ${cpus[0] ? cpus[0].model : 'unknown CPU'}, load average ${os.loadavg()[0].toFixed(1)}, ` +
      `node ${process.version}, tfjs ${tf.version.tfjs} (cpu${tfWasm ? ', wasm' : ''}), recurrent backend '${rc.getBackend()}' on ${rc.getThreadsCount()} thread(s)` +
      (process.env.BENCH_QUICK === '1' ? ', BENCH_QUICK=1' : ''),
  );
  console.log('');

  if (all || workloads.length > 0) {
    const t0 = Date.now();
    const { rows, notes } = await benchWorkloads(tf, { select: workloads, tfWasm, log: (m) => process.stderr.write(`${m}\n`) });
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
  if (args.includes('ctc')) {
    const { benchCtc } = require('./ctc');
    printTable(benchCtc());
    console.log('');
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

// `npm run bench`: recurrent side by side with TensorFlow.js (cpu backend) in the same run.
// Prints medians over several runs after a warm-up; nothing here is asserted.
const os = require('os');
const { printTable } = require('./harness');
const { benchMatMul } = require('./matmul');

async function main() {
  const tf = require('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  const cpu = os.cpus()[0];
  console.log(`machine: ${os.cpus().length} x ${cpu ? cpu.model : 'unknown CPU'}, node ${process.version}, tfjs ${tf.version.tfjs} (${tf.getBackend()})`);
  console.log('');
  const rows = [['workload', 'recurrent', 'tfjs cpu', 'speed-up']];
  rows.push(...(await benchMatMul(tf)));
  printTable(rows);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

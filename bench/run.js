// `npm run bench`: recurrent side by side with TensorFlow.js in the same run.
// Prints medians over several runs after a warm-up; nothing here is asserted.
const os = require('os');
const { printTable } = require('./harness');
const { benchMatMul } = require('./matmul');

async function main() {
  const tf = require('@tensorflow/tfjs');
  const rc = require('recurrent');
  await tf.setBackend('cpu');
  await rc.ready();
  const cpu = os.cpus()[0];
  console.log(
    `machine: ${os.cpus().length} x ${cpu ? cpu.model : 'unknown CPU'}, node ${process.version}, ` +
      `tfjs ${tf.version.tfjs}, recurrent backend '${rc.getBackend()}'`,
  );
  console.log('');
  printTable(await benchMatMul(tf));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

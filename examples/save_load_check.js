// The second half of save_load.js, run in a fresh Node process by it:
//   node examples/save_load_check.js <dir> <inputs.json>
// loads <dir>/model.json with loadLayersModel, predicts on the inputs and prints the predictions as
// one JSON line. Nothing is shared with the process that trained the model except the files.
const fs = require('fs');
const path = require('path');
const rc = require('recurrent');

async function main() {
  const [dir, inputsFile] = process.argv.slice(2);
  if (!dir || !inputsFile) throw new Error('usage: node examples/save_load_check.js <dir> <inputs.json>');
  const model = await rc.loadLayersModel('file://' + path.join(path.resolve(dir), 'model.json'));
  const { shape, values } = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
  const y = model.predict(rc.tensor(Float32Array.from(values), shape));
  console.log(JSON.stringify(Array.from(y.dataSync())));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

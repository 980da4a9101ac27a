/** A PyTorch habit, `new train.adam(model.parameters())`, must fail without printing every parameter's values. */
import { nn } from '@recurrent/layers';
import { train } from '@recurrent/models';

test('train.adam(model.parameters()) fails naming what came, pointing to nn.optim, printing no values', () => {
  const m = new nn.Linear(3, 2);
  for (const [name, f] of [
    ['Adam', train.adam],
    ['SGD', train.sgd],
    ['RMSProp', train.rmsprop],
  ] as const) {
    let msg = '';
    try {
      new (f as any)(m.parameters());
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(
      new RegExp(
        `${name}: learningRate must be a non-negative number, received an array of 2 Tensors.*new nn\\.optim\\.Adam\\(model\\.parameters\\(\\), \\{lr\\}\\)`,
      ),
    );
    expect(msg).not.toMatch(/\d\.\d{3}/);
  }
});

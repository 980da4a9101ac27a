/** Optimizer.getState / setState: a restored optimizer takes the very step the original would (what backupAndRestore relies on). */
import { tensor, variable } from '@recurrent/core';
import { Optimizer, train } from '@recurrent/models';

const makers: [string, () => Optimizer][] = [
  ['sgd', () => train.sgd(0.1)],
  ['momentum (nesterov)', () => train.momentum(0.1, 0.9, true)],
  ['adam', () => train.adam(0.05)],
  ['adamax (decay)', () => train.adamax(0.05, 0.9, 0.999, 1e-7, 0.01)],
  ['rmsprop (centered, momentum)', () => train.rmsprop(0.01, 0.9, 0.5, 1e-7, true)],
  ['adagrad', () => train.adagrad(0.1)],
  ['adadelta', () => train.adadelta(1, 0.95)],
  ['adamw', () => train.adamw(0.05)],
  ['nadam', () => train.nadam(0.05)],
];

const grads = [
  [0.5, -1, 2],
  [1, 0.25, -0.5],
  [-2, 1, 0.75],
  [0.3, -0.3, 1.5],
];

test.each(makers)('%s: setState(getState()) on a fresh optimizer continues exactly, under other variable names', (name, make) => {
  const a = variable(tensor([1, -2, 0.5]), true, `state_a_${name}`);
  const original = make();
  for (const g of grads.slice(0, 3)) original.applyGradients({ [a.name]: tensor(g) }, [a]);
  const before = Array.from(a.values);
  const b = variable(tensor(before), true, `state_b_${name}`);
  const restored = make();
  // Through JSON, as the backup file does.
  restored.setState(JSON.parse(JSON.stringify(original.getState())), (n) => (n === a.name ? b.name : n));
  expect(restored.iterations).toBe(3);
  original.applyGradients({ [a.name]: tensor(grads[3]) }, [a]);
  restored.applyGradients({ [b.name]: tensor(grads[3]) }, [b]);
  expect(Array.from(b.values)).toEqual(Array.from(a.values));
  // Without the state the fourth step differs (the state matters for every optimizer but plain SGD).
  const c = variable(tensor(before), true, `state_c_${name}`);
  make().applyGradients({ [c.name]: tensor(grads[3]) }, [c]);
  if (name === 'sgd') expect(Array.from(c.values)).toEqual(Array.from(a.values));
  else expect(Array.from(c.values)).not.toEqual(Array.from(a.values));
  expect(() => restored.setState({ iterations: -1 } as never)).toThrow(/setState: expected \{iterations, slots, scalars\}/);
  // A damaged backup (a value that is not a finite number) is refused, and the state before the call is kept.
  const kept = restored.getState();
  const damaged = { iterations: 1, slots: { w: { m: [0.5, 'x'] } }, scalars: {} };
  expect(() => restored.setState(damaged as never)).toThrow(/setState: slot 'm' of 'w' must be an array of finite numbers/);
  expect(restored.getState()).toEqual(kept);
});

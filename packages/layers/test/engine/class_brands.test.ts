/** isTextVectorization / isConv1D answer as `instanceof` does (subclasses included), without the models package importing the classes. */
import { Conv1D, DepthwiseConv1D, Dense, isConv1D, isTextVectorization, layers, SeparableConv1D, TextVectorization } from '../../src';

class MyVectorizer extends TextVectorization {
  static override className = 'MyVectorizer';
}
class MyConv extends Conv1D {
  static override className = 'MyConv';
}

describe('class brands', () => {
  const cases: [string, unknown][] = [
    ['TextVectorization', layers.textVectorization({ maxTokens: 10 })],
    ['a TextVectorization subclass', new MyVectorizer({ maxTokens: 10 })],
    ['Conv1D', layers.conv1d({ filters: 2, kernelSize: 3 })],
    ['a Conv1D subclass', new MyConv({ filters: 2, kernelSize: 3 })],
    ['DepthwiseConv1D (a BaseConv1D, not a Conv1D)', new DepthwiseConv1D({ kernelSize: 3 })],
    ['SeparableConv1D (a BaseConv1D, not a Conv1D)', new SeparableConv1D({ filters: 2, kernelSize: 3 })],
    ['Dense', new Dense({ units: 2 })],
    ['null', null],
    ['a plain object', { filters: 2 }],
    ['a string', 'TextVectorization'],
  ];

  it.each(cases)('%s: the checks agree with instanceof', (_, x) => {
    expect(isTextVectorization(x)).toBe(x instanceof TextVectorization);
    expect(isConv1D(x)).toBe(x instanceof Conv1D);
  });

  it('the cases cover both answers of both checks', () => {
    const values = cases.map(([, x]) => x);
    expect(values.filter(isTextVectorization)).toHaveLength(2);
    expect(values.filter(isConv1D)).toHaveLength(2);
  });
});

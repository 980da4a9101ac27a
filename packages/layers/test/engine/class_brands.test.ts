/**
 * isTextVectorization / isConv1D / isConvLSTMCell / cellKindOf answer as `instanceof` does (subclasses included), exactCellKindOf
 * for the exact class only, without the callers importing the classes; `instanceof RNN` holds for every recurrent
 * layer although SimpleRNN/GRU/LSTM/ConvLSTM2D extend BaseRNN (so they do not import every cell).
 */
import {
  BaseRNN,
  cellKindOf,
  Conv1D,
  ConvLSTMCell,
  ConvLSTM1DCell,
  ConvLSTM2DCell,
  DepthwiseConv1D,
  Dense,
  exactCellKindOf,
  GRUCell,
  isConv1D,
  isConvLSTMCell,
  isTextVectorization,
  layers,
  LSTMCell,
  RNN,
  SeparableConv1D,
  SimpleRNNCell,
  StackedRNNCells,
  TextVectorization,
} from '../../src';

class MyVectorizer extends TextVectorization {
  static override className = 'MyVectorizer';
}
class MyConv extends Conv1D {
  static override className = 'MyConv';
}
class MyConvLSTMCell extends ConvLSTM2DCell {
  static override className = 'MyConvLSTMCell';
}

describe('class brands', () => {
  const cases: [string, unknown][] = [
    ['TextVectorization', layers.textVectorization({ maxTokens: 10 })],
    ['a TextVectorization subclass', new MyVectorizer({ maxTokens: 10 })],
    ['Conv1D', layers.conv1d({ filters: 2, kernelSize: 3 })],
    ['a Conv1D subclass', new MyConv({ filters: 2, kernelSize: 3 })],
    ['DepthwiseConv1D (a BaseConv1D, not a Conv1D)', new DepthwiseConv1D({ kernelSize: 3 })],
    ['SeparableConv1D (a BaseConv1D, not a Conv1D)', new SeparableConv1D({ filters: 2, kernelSize: 3 })],
    ['ConvLSTM1DCell', new ConvLSTM1DCell({ filters: 2, kernelSize: 3 })],
    ['ConvLSTM2DCell', new ConvLSTM2DCell({ filters: 2, kernelSize: 3 })],
    ['a ConvLSTM2DCell subclass', new MyConvLSTMCell({ filters: 2, kernelSize: 3 })],
    ['LSTMCell (not a ConvLSTMCell)', new LSTMCell({ units: 2 })],
    ['Dense', new Dense({ units: 2 })],
    ['null', null],
    ['a plain object', { filters: 2 }],
    ['a string', 'TextVectorization'],
  ];

  it.each(cases)('%s: the checks agree with instanceof', (_, x) => {
    expect(isTextVectorization(x)).toBe(x instanceof TextVectorization);
    expect(isConv1D(x)).toBe(x instanceof Conv1D);
    expect(isConvLSTMCell(x)).toBe(x instanceof ConvLSTMCell);
  });

  it('the cases cover both answers of both checks', () => {
    const values = cases.map(([, x]) => x);
    expect(values.filter(isTextVectorization)).toHaveLength(2);
    expect(values.filter(isConv1D)).toHaveLength(2);
    expect(values.filter(isConvLSTMCell)).toHaveLength(3);
  });
});

class MyLSTMCell extends LSTMCell {
  static override className = 'MyLSTMCell';
}
class MyRNN extends RNN {
  static override className = 'MyRNN';
}

describe('cell kinds', () => {
  const cells: [string, unknown, string | null, string | null][] = [
    ['LSTMCell', new LSTMCell({ units: 2 }), 'lstm', 'lstm'],
    ['GRUCell', new GRUCell({ units: 2 }), 'gru', 'gru'],
    ['SimpleRNNCell', new SimpleRNNCell({ units: 2 }), 'simpleRNN', 'simpleRNN'],
    ['StackedRNNCells', new StackedRNNCells({ cells: [new LSTMCell({ units: 2 })] }), 'stacked', 'stacked'],
    ['a LSTMCell subclass', new MyLSTMCell({ units: 2 }), 'lstm', null],
    ['Dense', new Dense({ units: 2 }), null, null],
    ['null', null, null, null],
  ];

  it.each(cells)('%s: cellKindOf as instanceof, exactCellKindOf for the class itself', (_, x, kind, exact) => {
    expect(cellKindOf(x)).toBe(kind);
    expect(exactCellKindOf(x)).toBe(exact);
    const byInstanceof =
      x instanceof LSTMCell
        ? 'lstm'
        : x instanceof GRUCell
          ? 'gru'
          : x instanceof SimpleRNNCell
            ? 'simpleRNN'
            : x instanceof StackedRNNCells
              ? 'stacked'
              : null;
    expect(cellKindOf(x)).toBe(byInstanceof);
  });
});

describe('instanceof RNN', () => {
  it('holds for every recurrent layer and the generic RNN; a subclass of RNN checks its own prototype', () => {
    const recurrent = [
      layers.lstm({ units: 2 }),
      layers.gru({ units: 2 }),
      layers.simpleRNN({ units: 2 }),
      layers.convLstm2d({ filters: 2, kernelSize: 3 }),
      layers.convLstm1d({ filters: 2, kernelSize: 3 }),
      layers.rnn({ cell: new LSTMCell({ units: 2 }) }),
    ];
    for (const l of recurrent) {
      expect(l instanceof RNN).toBe(true);
      expect(l instanceof BaseRNN).toBe(true);
      expect(l instanceof MyRNN).toBe(false);
    }
    const mine = new MyRNN({ cell: new LSTMCell({ units: 2 }) });
    expect(mine instanceof MyRNN).toBe(true);
    expect(mine instanceof RNN).toBe(true);
    expect(new Dense({ units: 2 }) instanceof RNN).toBe(false);
    expect((null as unknown) instanceof RNN).toBe(false);
  });

  it('the generic RNN still takes a serialized built-in cell and an array of cells, and writes its cell', () => {
    const fromSerialized = new RNN({ cell: { className: 'GRUCell', config: { units: 3 } } });
    expect(fromSerialized.cell).toBeInstanceOf(GRUCell);
    const Cls = RNN as unknown as { fromConfig(config: ReturnType<RNN['getConfig']>): RNN };
    expect(Cls.fromConfig(fromSerialized.getConfig()).getConfig()).toEqual(fromSerialized.getConfig());
    expect(fromSerialized.getConfig().cell).toEqual({ className: 'GRUCell', config: expect.objectContaining({ units: 3 }) });
    const stacked = new RNN({ cell: [new LSTMCell({ units: 2 }), new GRUCell({ units: 3 })] });
    expect(stacked.cell).toBeInstanceOf(StackedRNNCells);
    expect(layers.lstm({ units: 2 }).getConfig().cell).toBeUndefined();
    expect(() => new RNN({ cell: 5 as never })).toThrow(
      'RNN: cell must be a recurrent cell (a Layer with a numeric stateSize and a one-step call), an array of cells, or a serialized {className, config}; received number.',
    );
  });
});

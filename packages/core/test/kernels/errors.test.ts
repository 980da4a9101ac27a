import { gruSequence, lstmSequence, simpleRNNSequence, tensor, zeros, LstmSequenceOptions } from '../../src';

const x = zeros([2, 3, 5]); // batch 2, 3 steps, inputDim 5; units 4 below
const lstmW = zeros([5, 16]);
const lstmU = zeros([4, 16]);
// The kernels have no defaults for the cell's math: every call says which.
const LSTM = { activation: 'tanh', recurrentActivation: 'sigmoid' } as const;
const GRU = { activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: true } as const;
const RNN = { activation: 'tanh' } as const;

describe('fused sequence kernels: bad input', () => {
  it('names the kernel, the argument and both shapes for a wrong kernel', () => {
    expect(() => lstmSequence(x, zeros([5, 12]), lstmU, null, null, null, LSTM)).toThrow(
      'lstmSequence: kernel must have shape [5,16] (inputDim, 4·units), received [5,12].',
    );
    expect(() => gruSequence(x, zeros([4, 12]), zeros([4, 12]), null, null, GRU)).toThrow(
      'gruSequence: kernel must have shape [5,12] (inputDim, 3·units), received [4,12].',
    );
  });

  it('rejects a recurrent kernel that is not [units, G·units]', () => {
    expect(() => lstmSequence(x, lstmW, zeros([4, 12]), null, null, null, LSTM)).toThrow(
      'lstmSequence: recurrentKernel must have shape [units, 4·units], received [4,12].',
    );
    expect(() => simpleRNNSequence(x, zeros([5, 4]), zeros([4]), null, null, RNN)).toThrow(
      'simpleRNNSequence: recurrentKernel must have shape [units, 1·units], received [4].',
    );
  });

  it('checks the bias shape, including the GRU resetAfter [2, 3·units] form', () => {
    expect(() => lstmSequence(x, lstmW, lstmU, zeros([15]), null, null, LSTM)).toThrow(
      'lstmSequence: bias must have shape [16] (4·units), received [15].',
    );
    expect(() => gruSequence(x, zeros([5, 12]), zeros([4, 12]), zeros([12]), null, GRU)).toThrow(
      'gruSequence: bias must have shape [2,12]',
    );
    expect(() => gruSequence(x, zeros([5, 12]), zeros([4, 12]), zeros([2, 12]), null, { ...GRU, resetAfter: false })).toThrow(
      'gruSequence: bias must have shape [12] (3·units), received [2,12].',
    );
  });

  it('checks inputs rank and initial state shapes', () => {
    expect(() => lstmSequence(zeros([2, 5]), lstmW, lstmU, null, null, null, LSTM)).toThrow(
      'lstmSequence: inputs must have rank 3 [batch, timeSteps, inputDim], received shape [2,5].',
    );
    expect(() => lstmSequence(x, lstmW, lstmU, null, zeros([2, 3]), null, LSTM)).toThrow(
      'lstmSequence: initialH must have shape [2,4] (batch, units), received [2,3].',
    );
    expect(() => lstmSequence(x, lstmW, lstmU, null, null, zeros([1, 4]), LSTM)).toThrow(
      'lstmSequence: initialC must have shape [2,4] (batch, units), received [1,4].',
    );
    expect(() => lstmSequence(zeros([2, 0, 5]), lstmW, lstmU, null, null, null, LSTM)).toThrow(
      'lstmSequence: inputs must have at least one time step',
    );
  });

  it('checks masks and dropout masks', () => {
    const opts = (o: Partial<LstmSequenceOptions>) => () => lstmSequence(x, lstmW, lstmU, null, null, null, { ...LSTM, ...o });
    expect(opts({ mask: zeros([2, 4]) })).toThrow('lstmSequence: mask must have shape [2,3] (batch, timeSteps), received [2,4].');
    expect(opts({ mask: new Float32Array(5) })).toThrow(
      'lstmSequence: mask must have 6 values, shape [2,3] (batch, timeSteps), received 5.',
    );
    expect(opts({ inputDropoutMasks: [zeros([2, 5]), zeros([2, 5])] })).toThrow(
      'lstmSequence: inputDropoutMasks must be an array of 1 or 4 masks, received 2.',
    );
    expect(opts({ recurrentDropoutMasks: [new Float32Array(7)] })).toThrow(
      'lstmSequence: recurrentDropoutMasks[0] must have 8 values, shape [2,4] (batch, units), received 7.',
    );
  });

  it('rejects unknown activations, listing the supported ones', () => {
    expect(() => gruSequence(x, zeros([5, 12]), zeros([4, 12]), null, null, { ...GRU, activation: 'swish' as never })).toThrow(
      /gruSequence: unsupported activation 'swish'; the fused kernels support 'tanh', 'sigmoid', 'hardSigmoid'/,
    );
    expect(() => lstmSequence(x, lstmW, lstmU, null, null, null, { ...LSTM, recurrentActivation: 'hard_sigmoid' as never })).toThrow(
      "lstmSequence: unsupported recurrentActivation 'hard_sigmoid'",
    );
  });

  it('rejects non-float inputs', () => {
    expect(() => simpleRNNSequence(tensor([1, 2, 3, 4], [1, 2, 2], 'int32'), zeros([2, 1]), zeros([1, 1]), null, null, RNN)).toThrow(
      'simpleRNNSequence: inputs must be float32, received int32.',
    );
  });

  it("requires the cell's math: activation, LSTM/GRU recurrentActivation, GRU resetAfter (no silent defaults)", () => {
    expect(() => lstmSequence(x, lstmW, lstmU, null, null, null, { recurrentActivation: 'sigmoid' } as never)).toThrow(
      "lstmSequence: options.activation is required (e.g. 'tanh'), received undefined.",
    );
    expect(() => lstmSequence(x, lstmW, lstmU, null, null, null, { activation: 'tanh' } as never)).toThrow(
      "lstmSequence: options.recurrentActivation is required (e.g. 'sigmoid' or 'hardSigmoid'), received undefined.",
    );
    expect(() => gruSequence(x, zeros([5, 12]), zeros([4, 12]), null, null, { ...LSTM } as never)).toThrow(
      'gruSequence: options.resetAfter is required, a boolean (true: Keras 2/3 and PyTorch; false: tfjs), received undefined.',
    );
    expect(() => simpleRNNSequence(x, zeros([5, 4]), zeros([4, 4]), null, null, {} as never)).toThrow(
      'simpleRNNSequence: options.activation is required',
    );
    // SimpleRNN has no gates: recurrentActivation and resetAfter are not asked of it.
    expect(simpleRNNSequence(x, zeros([5, 4]), zeros([4, 4]), null, null, RNN)[0].shape).toEqual([2, 4]);
  });
});

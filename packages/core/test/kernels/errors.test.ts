import { gruSequence, lstmSequence, simpleRNNSequence, tensor, zeros, SequenceKernelOptions } from '../../src';

const x = zeros([2, 3, 5]); // batch 2, 3 steps, inputDim 5; units 4 below
const lstmW = zeros([5, 16]);
const lstmU = zeros([4, 16]);

describe('fused sequence kernels: bad input', () => {
  it('names the kernel, the argument and both shapes for a wrong kernel', () => {
    expect(() => lstmSequence(x, zeros([5, 12]), lstmU, null, null, null)).toThrow(
      'lstmSequence: kernel must have shape [5,16] (inputDim, 4·units), received [5,12].',
    );
    expect(() => gruSequence(x, zeros([4, 12]), zeros([4, 12]), null, null)).toThrow(
      'gruSequence: kernel must have shape [5,12] (inputDim, 3·units), received [4,12].',
    );
  });

  it('rejects a recurrent kernel that is not [units, G·units]', () => {
    expect(() => lstmSequence(x, lstmW, zeros([4, 12]), null, null, null)).toThrow(
      'lstmSequence: recurrentKernel must have shape [units, 4·units], received [4,12].',
    );
    expect(() => simpleRNNSequence(x, zeros([5, 4]), zeros([4]), null, null)).toThrow(
      'simpleRNNSequence: recurrentKernel must have shape [units, 1·units], received [4].',
    );
  });

  it('checks the bias shape, including the GRU resetAfter [2, 3·units] form', () => {
    expect(() => lstmSequence(x, lstmW, lstmU, zeros([15]), null, null)).toThrow(
      'lstmSequence: bias must have shape [16] (4·units), received [15].',
    );
    expect(() => gruSequence(x, zeros([5, 12]), zeros([4, 12]), zeros([12]), null)).toThrow(
      'gruSequence: bias must have shape [2,12]',
    );
    expect(() => gruSequence(x, zeros([5, 12]), zeros([4, 12]), zeros([2, 12]), null, { resetAfter: false })).toThrow(
      'gruSequence: bias must have shape [12] (3·units), received [2,12].',
    );
  });

  it('checks inputs rank and initial state shapes', () => {
    expect(() => lstmSequence(zeros([2, 5]), lstmW, lstmU, null, null, null)).toThrow(
      'lstmSequence: inputs must have rank 3 [batch, timeSteps, inputDim], received shape [2,5].',
    );
    expect(() => lstmSequence(x, lstmW, lstmU, null, zeros([2, 3]), null)).toThrow(
      'lstmSequence: initialH must have shape [2,4] (batch, units), received [2,3].',
    );
    expect(() => lstmSequence(x, lstmW, lstmU, null, null, zeros([1, 4]))).toThrow(
      'lstmSequence: initialC must have shape [2,4] (batch, units), received [1,4].',
    );
    expect(() => lstmSequence(zeros([2, 0, 5]), lstmW, lstmU, null, null, null)).toThrow(
      'lstmSequence: inputs must have at least one time step',
    );
  });

  it('checks masks and dropout masks', () => {
    const opts = (o: SequenceKernelOptions) => () => lstmSequence(x, lstmW, lstmU, null, null, null, o);
    expect(opts({ mask: zeros([2, 4]) })).toThrow('lstmSequence: mask must have shape [2,3] (batch, timeSteps), received [2,4].');
    expect(opts({ mask: new Float32Array(5) })).toThrow('lstmSequence: mask must have 6 values, shape [2,3] (batch, timeSteps), received 5.');
    expect(opts({ inputDropoutMasks: [zeros([2, 5]), zeros([2, 5])] })).toThrow(
      'lstmSequence: inputDropoutMasks must be an array of 1 or 4 masks, received 2.',
    );
    expect(opts({ recurrentDropoutMasks: [new Float32Array(7)] })).toThrow(
      'lstmSequence: recurrentDropoutMasks[0] must have 8 values, shape [2,4] (batch, units), received 7.',
    );
  });

  it('rejects unknown activations, listing the supported ones', () => {
    expect(() =>
      gruSequence(x, zeros([5, 12]), zeros([4, 12]), null, null, { activation: 'swish' as never }),
    ).toThrow(/gruSequence: unsupported activation 'swish'; the fused kernels support 'tanh', 'sigmoid', 'hardSigmoid'/);
    expect(() =>
      lstmSequence(x, lstmW, lstmU, null, null, null, { recurrentActivation: 'hard_sigmoid' as never }),
    ).toThrow("lstmSequence: unsupported recurrentActivation 'hard_sigmoid'");
  });

  it('rejects non-float inputs', () => {
    expect(() => simpleRNNSequence(tensor([1, 2, 3, 4], [1, 2, 2], 'int32'), zeros([2, 1]), zeros([1, 1]), null, null)).toThrow(
      'simpleRNNSequence: inputs must be float32, received int32.',
    );
  });
});

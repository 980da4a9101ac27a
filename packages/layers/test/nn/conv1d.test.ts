/** nn.Conv1d beyond the PyTorch fixture (attention_conv_vs_pytorch.test.ts): initialization bounds, shapes, bad input. */
import { NotImplementedError } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { randomInput } from '@recurrent/test-utils';

describe('nn.Conv1d', () => {
  it('initializes as PyTorch: weight and bias uniform within 1/√(inChannels / groups · kernelSize)', () => {
    const m = new nn.Conv1d(6, 4, 5, { groups: 2, seed: 1 });
    expect(m.weight.shape).toEqual([4, 3, 5]);
    const bound = 1 / Math.sqrt(3 * 5);
    const w = Array.from(m.weight.dataSync(), Math.abs);
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.max(...w)).toBeGreaterThan(0.8 * bound);
    expect(Math.max(...Array.from(m.bias!.dataSync(), Math.abs))).toBeLessThanOrEqual(bound);
    expect(new nn.Conv1d(2, 3, 1, { bias: false }).bias).toBeNull();
  });

  it("gives PyTorch's output lengths: floor((L + 2p − d(k − 1) − 1) / s) + 1, and L for 'same'", () => {
    const x = randomInput([2, 3, 11], 2);
    expect(new nn.Conv1d(3, 2, 4, { stride: 3, padding: 2, dilation: 2 }).forward(x).shape).toEqual([2, 2, 3]);
    expect(new nn.Conv1d(3, 2, 4, { padding: 'same', dilation: 3 }).forward(x).shape).toEqual([2, 2, 11]);
    expect(new nn.Conv1d(3, 2, 4, { padding: 'valid' }).forward(x).shape).toEqual([2, 2, 8]);
  });

  it('refuses bad arguments, naming the module, the argument, what was expected and what came', () => {
    expect(() => new nn.Conv1d(3, 2, 3, { padding_mode: 'zeros' } as never)).toThrow(/did you mean 'paddingMode'/);
    expect(() => new nn.Conv1d(3, 2, 3, { paddingMode: 'reflect' } as never)).toThrow(NotImplementedError);
    expect(() => new nn.Conv1d(3, 2, 3, { paddingMode: 'zero' } as never)).toThrow(
      /paddingMode must be 'zeros', received the string 'zero'/,
    );
    expect(() => new nn.Conv1d(3, 2, 3, { padding: 'same', stride: 2 })).toThrow(/padding 'same' needs stride 1/);
    expect(() => new nn.Conv1d(3, 2, 3, { padding: 'causal' } as never)).toThrow(
      /nn.Conv1d: padding must be an integer >= 0, 'same' or 'valid', received the string 'causal'/,
    );
    expect(() => new nn.Conv1d(3, 2, 3, { bias: 'false' } as never)).toThrow(
      /nn.Conv1d: bias must be true or false, received the string 'false'/,
    );
    expect(() => new nn.Conv1d(4, 3, 3, { groups: 2 })).toThrow(/outChannels \(3\) must be divisible by groups \(2\)/);
    const m = new nn.Conv1d(3, 2, 3);
    expect(() => m.forward(randomInput([2, 5, 3], 1))).toThrow(
      /nn.Conv1d: input must be \[batch, inChannels, length\] or \[inChannels, length\] with inChannels = 3, received shape \[2,5,3\]/,
    );
    expect(() => m.forward(randomInput([1, 3, 2], 1))).toThrow(/conv1d: the window .* longer than/);
  });
});

/**
 * parseInboundNode, Keras 3 `{args, kwargs}` nodes with more than one input tensor: `mha(query, value)` gives
 * two positional tensors (found by the real Keras 3.15 fixture fixtures/keras/real/attention_functional, refused
 * before with "positional argument 1 ... is not supported"), `mha(query, value=v, key=k)` gives named ones.
 */
import { parseInboundNode } from '../../src/engine/functional_from_config';

/** A Keras 3 tensor reference after snake_case → camelCase conversion. */
const t = (layer: string, node = 0, index = 0) => ({
  className: '__keras_tensor__',
  config: { shape: [null, 5, 4], kerasHistory: [layer, node, index] },
});

describe('parseInboundNode: Keras 3 nodes with several input tensors', () => {
  it('one positional tensor: a single input (unchanged)', () => {
    const p = parseInboundNode({ args: [t('x')], kwargs: { training: false } }, 'node');
    expect(p).toEqual({ refs: [['x', 0, 0]], numInputs: 1, inputsIsList: false, tensorKwargs: [], kwargs: { training: false } });
  });

  it('positional query, value (and key) become the input list [query, value, key]', () => {
    expect(parseInboundNode({ args: [t('q'), t('v', 1, 2)], kwargs: {} }, 'node')).toEqual({
      refs: [
        ['q', 0, 0],
        ['v', 1, 2],
      ],
      numInputs: 2,
      inputsIsList: true,
      tensorKwargs: [],
      kwargs: {},
    });
    expect(parseInboundNode({ args: [t('q'), t('v'), t('k')] }, 'node').refs).toEqual([
      ['q', 0, 0],
      ['v', 0, 0],
      ['k', 0, 0],
    ]);
  });

  it('value / key given by name continue the inputs; mask tensors still follow as tensor kwargs', () => {
    const p = parseInboundNode(
      { args: [t('q')], kwargs: { value: t('v'), key: t('k'), mask: [t('m'), null], useCausalMask: true } },
      'node',
    );
    expect(p.refs).toEqual([
      ['q', 0, 0],
      ['v', 0, 0],
      ['k', 0, 0],
      ['m', 0, 0],
    ]);
    expect(p.numInputs).toBe(3);
    expect(p.inputsIsList).toBe(true);
    expect(p.tensorKwargs).toEqual([{ key: 'mask', count: 1, isList: true }]);
    expect(p.kwargs).toEqual({ useCausalMask: true });
  });

  it('refuses what it cannot place, naming the node', () => {
    // A second positional after a list input, a non-tensor positional, a tensor after a gap.
    expect(() => parseInboundNode({ args: [[t('a'), t('b')], t('c')] }, "layer 'm'")).toThrow(
      /layer 'm': positional argument 1 \(an object\) is not supported/,
    );
    expect(() => parseInboundNode({ args: [t('a'), 3] }, 'n')).toThrow(/positional argument 1 \(number 3\) is not supported/);
    expect(() => parseInboundNode({ args: [t('a'), null, t('c')] }, 'n')).toThrow(/positional argument 2/);
    // key without value; value given twice (positional and by name).
    expect(() => parseInboundNode({ args: [t('q')], kwargs: { key: t('k') } }, 'n')).toThrow(
      /kwargs\.key \(an object\) must be a __keras_tensor__ following/,
    );
    expect(() => parseInboundNode({ args: [t('q'), t('v')], kwargs: { value: t('v') } }, 'n')).toThrow(/kwargs\.value/);
    // A tensor argument with no place here is refused instead of being dropped silently.
    expect(() => parseInboundNode({ args: [t('q'), t('v')], kwargs: { attentionMask: t('am') } }, 'n')).toThrow(
      /the tensor argument kwargs\.attentionMask is not supported/,
    );
  });
});

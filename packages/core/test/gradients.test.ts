import {
  customGrad,
  grad,
  grads,
  matMul,
  mul,
  add,
  tensor,
  tensor2d,
  Tensor,
  valueAndGrad,
  valueAndGrads,
  variable,
  variableGrads,
} from '../src';

describe('autograd', () => {
  it('grad of x*x is 2x', () => {
    const g = grad((x: Tensor) => mul(x, x));
    expect(Array.from(g(tensor([1, -2, 3])).dataSync())).toEqual([2, -4, 6]);
  });

  it('accumulates gradients of a tensor used twice', () => {
    const [ga, gb] = grads((a: Tensor, b: Tensor) => add(mul(a, b), a))([tensor([2]), tensor([5])]);
    expect(ga.dataSync()[0]).toBe(6); // b + 1
    expect(gb.dataSync()[0]).toBe(2); // a
  });

  it('matMul gradient matches the formula dA = dY·Bᵀ', () => {
    const a = tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor2d([
      [5, 6],
      [7, 8],
    ]);
    const [da, db] = grads((x: Tensor, y: Tensor) => matMul(x, y))([a, b]);
    // dy = ones: dA[i,k] = Σ_j B[k,j]; dB[k,j] = Σ_i A[i,k]
    expect(da.arraySync()).toEqual([
      [11, 15],
      [11, 15],
    ]);
    expect(db.arraySync()).toEqual([
      [4, 4],
      [6, 6],
    ]);
  });

  it('customGrad enters the tape as one node with its own backward', () => {
    const f = customGrad((x: Tensor, save: (t: Tensor[]) => void) => {
      save([x]);
      return { value: mul(x, x), gradFunc: (dy: Tensor, [s]: Tensor[]) => mul(dy, mul(s, 3)) };
    });
    const { value, grad: g } = valueAndGrad((x: Tensor) => f(x))(tensor([2]));
    expect(value.dataSync()[0]).toBe(4);
    expect(g.dataSync()[0]).toBe(6); // deliberately not 2x: proves the custom backward ran
  });

  it('customGrad with several outputs receives one gradient per output', () => {
    const f = customGrad((x: Tensor) => ({
      value: [mul(x, 2), mul(x, 3)],
      gradFunc: (dys: Tensor[]) => add(mul(dys[0], 2), mul(dys[1], 3)),
    }));
    const g = grad((x: Tensor) => (f(x) as Tensor[])[1]);
    expect(g(tensor([1])).dataSync()[0]).toBe(3);
  });

  it('variableGrads returns gradients keyed by variable name', () => {
    const w = variable(tensor([3]), true, 'test/w');
    const { value, grads: g } = variableGrads(() => mul(w, w).reshape([]), [w]);
    expect(value.dataSync()[0]).toBe(9);
    expect(g['test/w'].dataSync()[0]).toBe(6);
  });
});

describe('customGrad dispose: called once when no backward can run through the node any more', () => {
  /** x² with a backward that counts its runs and a dispose that logs when it runs. */
  function tracked(log: string[]) {
    return customGrad((x: Tensor) => ({
      value: mul(x, x),
      gradFunc: (dy: Tensor) => {
        log.push('backward');
        return mul(dy, mul(x, 2));
      },
      dispose: () => log.push('dispose'),
    }));
  }

  it('not recorded: at once; in a gradient scope: at its end, also for nodes off the loss path and when it throws', () => {
    const log: string[] = [];
    const sq = tracked(log);
    sq(tensor([3]));
    expect(log).toEqual(['dispose']);
    log.length = 0;
    const g = grads((x: Tensor) => {
      sq(x); // off the path
      const y = sq(x);
      expect(log).toEqual([]);
      return y;
    })([tensor([3])]);
    expect(Array.from(g[0].dataSync())).toEqual([6]);
    expect(log).toEqual(['backward', 'dispose', 'dispose']);
    log.length = 0;
    expect(() =>
      grads((x: Tensor) => {
        sq(x);
        throw new Error('boom');
      })([tensor([3])]),
    ).toThrow('boom');
    expect(log).toEqual(['dispose']);
  });

  it('a nested scope leaves it to the enclosing one (which backpropagates through the node again)', () => {
    const log: string[] = [];
    const sq = tracked(log);
    const g = grads((x: Tensor) => {
      const inner = valueAndGrads((x1: Tensor) => sq(x1).sum())([x]);
      expect(Array.from(inner.grads[0].dataSync())).toEqual([6]);
      expect(log).toEqual(['backward']);
      return inner.value;
    })([tensor([3])]);
    expect(Array.from(g[0].dataSync())).toEqual([6]);
    expect(log).toEqual(['backward', 'backward', 'dispose']);
  });

  it('implicit graph: after backward(), not while retainGraph keeps the node', () => {
    const log: string[] = [];
    const sq = tracked(log);
    const x = tensor([3]).requiresGrad_();
    const y = sq(x);
    y.backward(null, { retainGraph: true });
    expect(log).toEqual(['backward']);
    y.backward();
    expect(log).toEqual(['backward', 'backward', 'dispose']);
    expect(Array.from((x.grad as Tensor).dataSync())).toEqual([12]);
  });
});

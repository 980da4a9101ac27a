// A first look at recurrent's core: tensors, ops and autograd.
const rc = require('recurrent');

const x = rc.tensor([[1, 2], [3, 4]]);
console.log('x · x =');
x.matMul(x).print();

// d/dx of sum(x · W) with respect to W
const w = rc.variable(rc.tensor([[0.5], [-0.5]]), true, 'demo/w');
const { value, grads } = rc.variableGrads(() => x.matMul(w).reshape([2]).mul(rc.tensor([1, 1])).reshape([1, 2]).matMul(rc.tensor([[1], [1]])).reshape([]), [w]);
console.log('f(W) =', value.dataSync()[0]);
console.log('df/dW =');
grads['demo/w'].print();

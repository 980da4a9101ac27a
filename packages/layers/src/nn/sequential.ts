/** `nn.Sequential`: modules applied one after the other, registered as '0', '1', ... (PyTorch's names). */
import { Module } from './module';
import { ValueError } from '@recurrent/core';

/** A module whose `forward` takes one value. */
export interface UnaryModule extends Module {
  forward(input: any): any;
}

/**
 * ```ts
 * const model = new nn.Sequential(new nn.LSTM(8, 16), new nn.Linear(16, 1));
 * model.forward(x);                       // x [batch, seq, 8] → [batch, seq, 1]
 * Object.keys(model.stateDict());         // ['0.weight_ih_l0', ..., '1.weight', '1.bias']
 * ```
 * PyTorch note: nn.LSTM / nn.GRU / nn.RNN `forward` returns only the output sequence here (use
 * `forwardWithState` for the states), so they can be used in a Sequential directly.
 */
export class Sequential extends Module {
  constructor(...modules: UnaryModule[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module))
        throw new ValueError(`nn.Sequential: argument ${i} must be an nn.Module, received ${m === null ? 'null' : typeof m}.`);
      this.registerModule(String(i), m);
    });
  }

  override kind(): string {
    return 'Sequential';
  }

  /** Number of modules. */
  get length(): number {
    return this.children().length;
  }

  /** The module at position `i`. */
  at(i: number): UnaryModule {
    const m = this.children()[i];
    if (!m) throw new ValueError(`nn.Sequential: index ${i} is out of range [0, ${this.length}).`);
    return m as UnaryModule;
  }

  /** Appends a module (registered as the next index); returns this. */
  append(module: UnaryModule): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  forward(input: any): any {
    let x = input;
    for (const m of this.children()) x = (m as UnaryModule).forward(x);
    return x;
  }
}

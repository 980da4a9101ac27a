/**
 * The code every wasm worker runs, as a string (Node: `new Worker(src, { eval: true })`; browsers: a Blob
 * URL), the same for both. Plain ES5 text, not a compiled function, so bundlers and coverage tools cannot
 * change it.
 *
 * Protocol (pool.ts writes the other side):
 * 1. The first message is `{ module, memory, control, args, index, names }`: the compiled module (imported
 *    memory marked shared), the shared memory, two SharedArrayBuffers and this worker's index. The worker
 *    instantiates the module on that memory and replies 'ready' (or `{ error }`).
 * 2. Then it waits (`Atomics.wait`) on its own run counter `control[8 + index]`, which the main thread bumps
 *    only for runs this worker takes part in. Then it claims tasks with `Atomics.add(control, 2, 1)` until none is left:
 *    task i's calls are at `args[args[1 + i]]`: `[count, (exportIndex, argCount, ...args) × count]`; its last
 *    return value goes to `args[1 + MAX_TASKS + i]` and `control[6]` counts it. A throwing call counts a
 *    failure in `control[1]`. Then
 *    it decrements `control[0]` (pending workers) and wakes the main thread when that reaches 0.
 * 3. `control[4]` nonzero when woken: quit.
 * 4. Stepped runs (`args[0]` = −parts): `args[1]` the step argument's index, `args[2..3]` the steps [s0, s1),
 *    `args[4 + k]` the offset of part k's call `(exportIndex, argCount, ...args)`. Worker i runs part i + 1
 *    once per step with the step argument set to s, and all parts meet at a barrier after each step but
 *    the last (`control[3]` arrivals, `control[5]` generation, `control[7]` sleepers: spin, then
 *    `Atomics.wait`; the last to arrive bumps the generation and wakes sleepers). A throwing call counts
 *    a failure and the worker keeps meeting the barriers, so no thread waits forever.
 * Claiming (rather than one fixed task per worker) lets the calling thread take the task of a worker the
 * OS has not scheduled yet, so a busy machine costs less.
 */
/** Loads of the generation a thread spins on at a step barrier before it sleeps (~10–20 µs). */
export const BARRIER_SPIN = 4000;

export const WORKER_SOURCE = `(function () {
  var isNode = typeof process === 'object' && process !== null && !!(process.versions && process.versions.node);
  var port = isNode ? require('worker_threads').parentPort : self;
  function start(m) {
    var fns;
    try {
      var inst = new WebAssembly.Instance(m.module, { env: { memory: m.memory } });
      fns = m.names.map(function (n) { return inst.exports[n]; });
    } catch (e) {
      port.postMessage({ error: String(e && e.message || e) });
      return;
    }
    var ctl = new Int32Array(m.control);
    var args = new Float64Array(m.args);
    var at = 8 + m.index, maxTasks = m.maxTasks;
    port.postMessage('ready');
    var seen = 0;
    for (;;) {
      Atomics.wait(ctl, at, seen);
      var s = Atomics.load(ctl, at);
      if (s === seen) continue;
      seen = s;
      if (Atomics.load(ctl, 4) !== 0) break;
      var n = args[0];
      if (n < 0) {
        stepped(-n, m.index + 1);
        if (Atomics.sub(ctl, 0, 1) === 1) Atomics.notify(ctl, 0);
        continue;
      }
      for (;;) {
        var i = Atomics.add(ctl, 2, 1);
        if (i >= n) break;
        try {
          var p = args[1 + i], count = args[p++], r = 0;
          for (var c = 0; c < count; c++) {
            var k = args[p + 1];
            r = fns[args[p]].apply(null, Array.prototype.slice.call(args, p + 2, p + 2 + k));
            p += 2 + k;
          }
          args[1 + maxTasks + i] = typeof r === 'number' ? r : 0;
          Atomics.add(ctl, 6, 1);
        } catch (e) {
          Atomics.add(ctl, 1, 1);
        }
      }
      if (Atomics.sub(ctl, 0, 1) === 1) Atomics.notify(ctl, 0);
    }
    if (isNode) port.close(); else self.close();
    function stepped(parts, part) {
      var stepArg = args[1], s0 = args[2], s1 = args[3], p = args[4 + part];
      var f = fns[args[p]], a = Array.prototype.slice.call(args, p + 2, p + 2 + args[p + 1]);
      var gen = Atomics.load(ctl, 5), failed = false;
      for (var s = s0; s < s1; s++) {
        if (!failed) {
          a[stepArg] = s;
          try { f.apply(null, a); } catch (e) { failed = true; Atomics.add(ctl, 1, 1); }
        }
        if (s + 1 < s1) gen = barrier(parts, gen);
      }
      if (!failed) Atomics.add(ctl, 6, 1);
    }
    function barrier(parts, gen) {
      if (Atomics.add(ctl, 3, 1) === parts - 1) {
        Atomics.store(ctl, 3, 0);
        Atomics.store(ctl, 5, gen + 1);
        if (Atomics.load(ctl, 7) !== 0) Atomics.notify(ctl, 5);
        return gen + 1;
      }
      for (var k = 0; k < ${BARRIER_SPIN}; k++) if (Atomics.load(ctl, 5) !== gen) return gen + 1;
      Atomics.add(ctl, 7, 1);
      while (Atomics.load(ctl, 5) === gen) Atomics.wait(ctl, 5, gen, 20);
      Atomics.sub(ctl, 7, 1);
      return gen + 1;
    }
  }
  if (isNode) port.once('message', start);
  else self.onmessage = function (e) { self.onmessage = null; start(e.data); };
})();
`;

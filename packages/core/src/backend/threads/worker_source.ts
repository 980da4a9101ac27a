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
 * Claiming (rather than one fixed task per worker) lets the calling thread take the task of a worker the
 * OS has not scheduled yet, so a busy machine costs less.
 */
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
  }
  if (isNode) port.once('message', start);
  else self.onmessage = function (e) { self.onmessage = null; start(e.data); };
})();
`;

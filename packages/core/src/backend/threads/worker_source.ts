/**
 * The code every wasm worker runs, as a string (Node: `new Worker(src, { eval: true })`; browsers: a Blob
 * URL), the same for both. Plain ES5 text, not a compiled function, so bundlers and coverage tools cannot
 * change it.
 *
 * Protocol (pool.ts writes the other side):
 * 1. The first message is `{ module, memory, control, args, seqAt, argsAt, slotFloats, names }`: the compiled
 *    module (imported memory marked shared), the shared memory, two SharedArrayBuffers and this worker's
 *    slots. The worker instantiates the module on that memory and replies 'ready' (or `{ error }`).
 * 2. Then it waits (`Atomics.wait`) on its sequence number `control[seqAt]`. When it changes, the worker
 *    runs the calls encoded in its args slot: `[count, (exportIndex, argCount, ...args) × count]`, stores
 *    the last call's return value in the slot's last float, counts a failure in `control[1]` if a call
 *    throws, decrements `control[0]` (pending) and wakes the main thread when it reaches 0.
 * 3. `control[seqAt + 1]` nonzero when woken: quit.
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
    var seqAt = m.seqAt, base = m.argsAt, cap = m.slotFloats;
    port.postMessage('ready');
    var seen = 0;
    for (;;) {
      Atomics.wait(ctl, seqAt, seen);
      var s = Atomics.load(ctl, seqAt);
      if (s === seen) continue;
      seen = s;
      if (Atomics.load(ctl, seqAt + 1) !== 0) break;
      try {
        var n = args[base], p = base + 1, r = 0;
        for (var c = 0; c < n; c++) {
          var k = args[p + 1];
          r = fns[args[p]].apply(null, Array.prototype.slice.call(args, p + 2, p + 2 + k));
          p += 2 + k;
        }
        args[base + cap - 1] = typeof r === 'number' ? r : 0;
      } catch (e) {
        Atomics.add(ctl, 1, 1);
      }
      if (Atomics.sub(ctl, 0, 1) === 1) Atomics.notify(ctl, 0);
    }
    if (isNode) port.close(); else self.close();
  }
  if (isNode) port.once('message', start);
  else self.onmessage = function (e) { self.onmessage = null; start(e.data); };
})();
`;

/**
 * Yielding to the event loop from a long training or evaluation loop. The garbage collector's
 * safety net (a FinalizationRegistry, core/memory.ts) frees the tensors a loop dropped without
 * disposing them (each step's batch, the forward pass's outputs …) only in callbacks that run
 * between tasks, never inside one: a loop that only awaits resolved promises (microtasks)
 * runs as one task and keeps everything it dropped until it ends. `train.fit` and
 * `train.evaluate` therefore give the event loop a turn now and then.
 */

/** Resolves in a later task: `setImmediate` in Node, a MessageChannel message in browsers (no 4 ms clamp). */
function nextTask(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(undefined);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * A turn every 50 ms or 32 steps, whichever comes first: a turn costs microseconds, nothing
 * next to a step, and what fast steps drop between two turns stays small.
 */
const EVERY_MS = 50;
const EVERY_STEPS = 32;

/**
 * A pause for the loop to await after each step: a new task once `EVERY_MS` have passed or
 * `EVERY_STEPS` steps have run since the last one, else nothing.
 */
export function yieldSometimes(): () => Promise<void> | undefined {
  let last = performance.now();
  let steps = 0;
  return () => {
    const now = performance.now();
    if (++steps < EVERY_STEPS && now - last < EVERY_MS) return undefined;
    last = now;
    steps = 0;
    return nextTask();
  };
}

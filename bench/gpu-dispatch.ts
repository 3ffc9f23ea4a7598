/**
 * The DISPATCH workloads of bench/BENCHMARKS.md on the WebGPU backend, through the public API,
 * printing JSON lines (µs per op, medians of interleaved rounds):
 *
 * - `DISPATCH`: 1,000 chained `add`s on an f32[4] tensor, one read at the end.
 * - `DISPATCH_SYNC`: 100 times `add` then read back (the round trip).
 * - `DISPATCH_READ_MANY`: 8 small tensors read with one `Promise.all` of `data()` (per read).
 *
 * On WebGPU each runs with host forwarding of tiny ops on (the default) and off.
 *
 *   eval "$(bash scripts/setup-webgpu.sh)"; npx tsx bench/gpu-dispatch.ts
 */
import { loadavg } from 'node:os';
import { currentBackend } from '../src/core/backend-registry.ts';
import * as tg from '../src/index.ts';
import { isMain, medianMsAsync, report, round } from './util.ts';

type T = tg.Tensor;

/** The three dispatch workloads as timed functions (each checks its result). */
export function dispatchWorkloads(chainOps = 1000, syncOps = 100, many = 8) {
  const x0 = tg.scope(() => tg.zeros([4]) as T);
  const chain = async () => {
    let x = x0;
    for (let i = 0; i < chainOps; i++) {
      const next = tg.add(x, 1) as T;
      if (x !== x0) x.dispose();
      x = next;
    }
    const v = await x.data();
    if (v[0] !== chainOps) throw new Error(`DISPATCH: got ${v[0]}, expected ${chainOps}`);
    x.dispose();
  };
  const roundTrip = async () => {
    for (let i = 0; i < syncOps; i++) {
      const y = tg.add(x0, i) as T;
      const v = await y.data();
      y.dispose();
      if (v[0] !== i) throw new Error(`DISPATCH_SYNC: got ${v[0]}, expected ${i}`);
    }
  };
  const readMany = async () => {
    for (let r = 0; r < syncOps / many; r++) {
      const ys = Array.from({ length: many }, (_, i) => tg.add(x0, i) as T);
      const vs = await Promise.all(ys.map((y) => y.data()));
      vs.forEach((v, i) => {
        if (v[0] !== i) throw new Error(`DISPATCH_READ_MANY: got ${v[0]}, expected ${i}`);
      });
      for (const y of ys) y.dispose();
    }
  };
  return { chain, roundTrip, readMany, dispose: () => x0.dispose(), chainOps, syncOps };
}

/**
 * Runs the workloads on the current backend in `runs` interleaved rounds and reports them.
 * On WebGPU they also run with host forwarding off (`forwarding: false`: every op a GPU
 * dispatch, every read a GPU round trip), in the same rounds.
 */
export async function benchDispatch(runs = 9, extra: Record<string, unknown> = {}): Promise<void> {
  const w = dispatchWorkloads();
  const be = currentBackend() as { name: string; hostForwarding?: boolean };
  const fns = [w.chain, w.roundTrip, w.readMany];
  const modes = be.hostForwarding === undefined ? [undefined] : [true, false];
  const timed = modes.flatMap((mode) =>
    fns.map((fn) => async () => {
      if (mode !== undefined) be.hostForwarding = mode;
      try {
        await fn();
      } finally {
        if (mode !== undefined) be.hostForwarding = true;
      }
    }),
  );
  const ms = await medianMsAsync(timed, runs);
  const line = (workload: string, t: number, ops: number, params: Record<string, unknown>) =>
    report({
      workload,
      backend: be.name,
      params: { ...params, shape: [4], op: 'add', runs },
      ms: round(t / ops, 5),
      us_per_op: round((t * 1000) / ops, 2),
      host_load1: loadAverage(),
      ...extra,
    });
  modes.forEach((mode, k) => {
    const forwarding = mode === undefined ? {} : { forwarding: mode };
    const [c = 0, s = 0, m = 0] = ms.slice(3 * k, 3 * k + 3);
    line('DISPATCH', c, w.chainOps, { ops: w.chainOps, ...forwarding });
    line('DISPATCH_SYNC', s, w.syncOps, { ops: w.syncOps, ...forwarding });
    line('DISPATCH_READ_MANY', m, w.syncOps, { reads: w.syncOps, perBatch: 8, ...forwarding });
  });
  w.dispose();
}

function loadAverage(): number {
  return round(loadavg()[0] ?? Number.NaN, 2);
}

if (isMain(import.meta.url)) {
  // DISPATCH_BACKENDS=cpu,webgpu also times the CPU backend: the library's floor per op
  for (const b of (process.env.DISPATCH_BACKENDS ?? 'webgpu').split(',')) {
    await tg.setBackend(b as 'cpu' | 'webgpu');
    await benchDispatch(Number(process.env.RUNS ?? 9));
  }
  (currentBackend() as { destroy?: () => void }).destroy?.();
}

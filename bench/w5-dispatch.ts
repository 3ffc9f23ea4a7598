/**
 * W5: eager dispatch overhead and the cost of `scope`, on each backend:
 *
 * - `chain`: 1,000 chained small eager ops (`x = add(x, 1)` on f32[64]), each intermediate
 *   disposed as soon as it is used, the result read once at the end: ms per op is the
 *   library's per-op overhead (shape rule, dispatch, allocation, freeing) plus a tiny kernel.
 * - `chain-in-scope`: the same chain without manual disposal, inside one `scope` that frees
 *   the 1,000 intermediates when it closes.
 * - `scope`: an empty `scope(() => {})` opened and closed 10,000 times (ms per scope), and
 *   one holding a single small op (ms per scope, including the op).
 *
 * All timed in alternation (median of several rounds, warm-up excluded).
 *
 *   npx tsx bench/w5-dispatch.ts        CPU, and WebGPU when an adapter is found
 */
import { currentBackend } from '../src/core/backend-registry.ts';
import * as tg from '../src/index.ts';
import {
  type BenchBackend,
  benchBackends,
  isMain,
  medianMsAsync,
  releaseBackends,
  report,
  round,
} from './util.ts';

type T = tg.Tensor;

async function run(backend: BenchBackend, ops: number, scopes: number, runs: number): Promise<void> {
  const x0 = tg.scope(() => tg.zeros([64]) as T);
  const check = (v: ArrayLike<number>) => {
    if (v[0] !== ops) throw new Error(`W5: chain gave ${v[0]}, expected ${ops}`);
  };
  const chain = async () => {
    let x = x0;
    for (let i = 0; i < ops; i++) {
      const next = tg.add(x, 1) as T;
      if (x !== x0) x.dispose();
      x = next;
    }
    check(await x.data());
    x.dispose();
  };
  const chainInScope = () =>
    tg.scope(async () => {
      let x = x0;
      for (let i = 0; i < ops; i++) x = tg.add(x, 1) as T;
      check(await x.data());
    });
  const emptyScopes = async () => {
    for (let i = 0; i < scopes; i++) tg.scope(() => undefined);
  };
  const opScopes = async () => {
    for (let i = 0; i < scopes; i++) {
      tg.scope(() => {
        tg.add(x0, 1);
      });
    }
    await currentBackend().sync(); // WebGPU: wait for the queued kernels
  };
  const [c = 0, cs = 0, es = 0, os = 0] = await medianMsAsync(
    [chain, chainInScope, emptyScopes, opScopes],
    runs,
  );
  const base = { workload: 'W5', backend };
  report({
    ...base,
    params: { test: 'chain', ops, shape: [64], op: 'add' },
    ms: round(c / ops, 4),
    totalMs: round(c, 1),
  });
  report({
    ...base,
    params: { test: 'chain-in-scope', ops, shape: [64], op: 'add' },
    ms: round(cs / ops, 4),
    totalMs: round(cs, 1),
  });
  report({
    ...base,
    params: { test: 'scope', body: 'empty', scopes },
    ms: round(es / scopes, 5),
    totalMs: round(es, 1),
  });
  report({
    ...base,
    params: { test: 'scope', body: 'one add on f32[64]', scopes },
    ms: round(os / scopes, 5),
    totalMs: round(os, 1),
  });
  x0.dispose();
}

export async function main(): Promise<void> {
  for (const backend of await benchBackends('W5')) {
    await tg.setBackend(backend);
    await run(backend, 1000, backend === 'cpu' ? 10000 : 1000, backend === 'cpu' ? 9 : 5);
  }
  await releaseBackends();
}

if (isMain(import.meta.url)) await main();

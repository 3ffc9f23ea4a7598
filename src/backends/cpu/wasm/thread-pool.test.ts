import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lcg } from '../../../../test/lcg.ts';
import { withCpuConv } from '../../../core/install-kernels.ts';
import type { PrimName, PrimParams } from '../../../core/primitives.ts';
import { type CpuBackend, createCpuBackend } from '../index.ts';
import type { MatView } from '../matmul.ts';
import { type GemmPool, gemmPool, setGemmPool } from './gemm-pool.ts';
import { forgetPacked } from './packed-cache.ts';
import { sgemm } from './sgemm.ts';
import { createThreadPool } from './thread-pool.ts';

// primitives run on the backends directly, not through lax, which installs the conv loops
withCpuConv();
const one = createCpuBackend({ kernels: 'wasm', threads: 1 });
const two = createCpuBackend({ kernels: 'wasm', threads: 2 });
const pool = createThreadPool(2);
// a worker takes shares once it has started (the caller never waits for one that has not)
beforeAll(async () => {
  while (pool.ready < 2) await new Promise((r) => setTimeout(r, 5));
});
afterAll(() => {
  two.close();
  pool.close();
});

/** Counts the pool's row jobs (threaded k blocks), or its `taps` jobs (batches of images), while `fn` runs. */
function countJobs(p: GemmPool, fn: () => void, kind: 'rows' | 'taps' = 'rows'): number {
  const run = p[kind];
  let jobs = 0;
  p[kind] = (job) => {
    jobs++;
    run(job);
  };
  try {
    fn();
  } finally {
    p[kind] = run;
  }
  return jobs;
}

/** The backend's output for f32 operands `xs` (data, shape). */
function runOn<P extends PrimName>(
  be: CpuBackend,
  prim: P,
  xs: readonly [Float32Array, number[]][],
  params: PrimParams[P],
  shape: number[],
): Float32Array {
  const ops = xs.map(([d, s]) => ({ buffer: be.upload(d, 'f32'), shape: s, dtype: 'f32' as const }));
  return be.run(prim, ops, params, { shape, dtype: 'f32' }) as Float32Array;
}

/**
 * Runs `run` until the pool's worker has claimed a chunk, for at most 20 s. Threads claim
 * chunks as they come, so on a loaded machine the calling thread may take a whole job before
 * the worker is scheduled: a fixed number of repeats made the check flaky under CI load.
 */
function untilWorkerTakes(pool: { readonly workerShares: number }, run: () => void): void {
  const shares = pool.workerShares;
  const deadline = performance.now() + 20_000;
  do run();
  while (pool.workerShares === shares && performance.now() < deadline);
}

describe('sgemm on the worker pool', () => {
  // [M, N, K, A transposed]: row counts off the MR grid, N past one NC block, K past one KC block
  const shapes: [number, number, number, boolean][] = [
    [257, 131, 300, false],
    [130, 1030, 257, false],
    [515, 77, 700, true],
    [8, 2048, 1024, false],
  ];
  it.each(shapes)('%i×%i×%i (A transposed %s): 1 and 2 threads agree bit for bit', (M, N, K, aT) => {
    const a = lcg(M * K, M);
    const b = lcg(K * N, N);
    const A: MatView = aT ? { data: a, off: 0, rs: 1, cs: M } : { data: a, off: 0, rs: K, cs: 1 };
    const B: MatView = { data: b, off: 0, rs: N, cs: 1 };
    const c1 = new Float32Array(M * N);
    const c2 = new Float32Array(M * N).fill(Number.NaN);
    setGemmPool(undefined);
    sgemm(M, N, K, A, B, { data: c1, off: 0, ldc: N });
    forgetPacked(b);
    setGemmPool(pool);
    // threads claim chunks as they come: repeat until the worker has taken some (a woken
    // worker spins between jobs, so the second product at the latest)
    const shares = pool.workerShares;
    untilWorkerTakes(pool, () => {
      c2.fill(Number.NaN);
      const jobs = countJobs(pool, () => sgemm(M, N, K, A, B, { data: c2, off: 0, ldc: N }));
      expect(jobs).toBeGreaterThan(0);
      expect(new Uint32Array(c2.buffer)).toEqual(new Uint32Array(c1.buffer));
    });
    setGemmPool(undefined);
    expect(pool.workerShares).toBeGreaterThan(shares);
    // and the product is right: C[M-1, N-1] against an f64 dot
    let want = 0;
    for (let k = 0; k < K; k++) want += a[aT ? k * M + M - 1 : (M - 1) * K + k]! * b[k * N + N - 1]!;
    expect(Math.abs(c2[M * N - 1]! - want)).toBeLessThan(1e-4 * Math.sqrt(K));
  });

  it('throws when a worker fails its share, and keeps working', () => {
    // the worker's A block lies past the memory's end (a wasm trap there); of 512 chunks of
    // 8 rows, a spinning worker claims some, so within a few jobs one fails
    const bytes = 4 * pool.base;
    pool.kernels.reserve(bytes + 8192 + 4096 * 32 + 4096);
    const job = [1, 8, 8, 8, 4, bytes, 0, 4, bytes, bytes + 8192, bytes + 4096, 2 ** 30, 4096, 2];
    expect(() => {
      for (let i = 0; i < 200; i++) pool.rows(job);
    }).toThrow('GemmPool.rows: a worker failed its share');
    const a = lcg(300 * 300, 9);
    const view = { data: a, off: 0, rs: 300, cs: 1 };
    const c1 = new Float32Array(300 * 300);
    const c2 = new Float32Array(300 * 300);
    setGemmPool(undefined);
    sgemm(300, 300, 300, view, view, { data: c1, off: 0, ldc: 300 });
    setGemmPool(pool);
    expect(
      countJobs(pool, () => sgemm(300, 300, 300, view, view, { data: c2, off: 0, ldc: 300 })),
    ).toBeGreaterThan(0);
    setGemmPool(undefined);
    expect(new Uint32Array(c2.buffer)).toEqual(new Uint32Array(c1.buffer));
  });

  it('keeps small products on the calling thread', () => {
    setGemmPool(pool);
    const a = lcg(64 * 64, 1);
    const jobs = countJobs(pool, () =>
      sgemm(
        64,
        64,
        64,
        { data: a, off: 0, rs: 64, cs: 1 },
        { data: a, off: 0, rs: 64, cs: 1 },
        {
          data: new Float32Array(64 * 64),
          off: 0,
          ldc: 64,
        },
      ),
    );
    setGemmPool(undefined);
    expect(jobs).toBe(0);
  });
});

describe('createCpuBackend({ threads })', () => {
  it('batched dot_general: 1 and 2 threads agree bit for bit', () => {
    const params = { lhsContract: [2], rhsContract: [1], lhsBatch: [0], rhsBatch: [0] };
    const xs: [Float32Array, number[]][] = [
      [lcg(3 * 200 * 300, 1), [3, 200, 300]],
      [lcg(3 * 300 * 150, 2), [3, 300, 150]],
    ];
    const r1 = runOn(one, 'dot_general', xs, params, [3, 200, 150]);
    // a run installs its backend's pool: count the second run's jobs on it
    runOn(two, 'dot_general', xs, params, [3, 200, 150]);
    let r2: Float32Array = new Float32Array();
    const jobs = countJobs(gemmPool()!, () => {
      r2 = runOn(two, 'dot_general', xs, params, [3, 200, 150]);
    });
    expect(jobs).toBe(3 * 2);
    expect(new Uint32Array(r2.buffer)).toEqual(new Uint32Array(r1.buffer));
  });

  // stride 2 takes im2col → sgemm (stride-1 2-D convolutions run conv_taps, on one thread)
  it('conv_general (im2col): 1 and 2 threads agree bit for bit', () => {
    const params = {
      strides: [2, 2],
      padding: [
        [1, 1],
        [1, 1],
      ] as [number, number][],
      lhsDilation: [1, 1],
      rhsDilation: [1, 1],
      groups: 1,
    };
    const xs: [Float32Array, number[]][] = [
      [lcg(4 * 16 * 30 * 30, 3), [4, 16, 30, 30]],
      [lcg(64 * 16 * 3 * 3, 4), [64, 16, 3, 3]],
    ];
    const r1 = runOn(one, 'conv_general', xs, params, [4, 64, 15, 15]);
    runOn(two, 'conv_general', xs, params, [4, 64, 15, 15]);
    let r2: Float32Array = new Float32Array();
    const jobs = countJobs(gemmPool()!, () => {
      r2 = runOn(two, 'conv_general', xs, params, [4, 64, 15, 15]);
    });
    expect(jobs).toBeGreaterThan(0);
    expect(r1[0]).not.toBe(0);
    expect(new Uint32Array(r2.buffer)).toEqual(new Uint32Array(r1.buffer));
  });

  // [lhs, rhs, padding, groups]: an odd batch, MR tail rows (6 channels), chunked input
  // channels (64 · 9 taps > 288), groups, and more images than one batch holds (16 MiB)
  const direct: [number[], number[], number, number][] = [
    [[9, 8, 28, 28], [6, 8, 3, 3], 1, 1],
    [[3, 64, 7, 7], [32, 64, 3, 3], 1, 1],
    [[8, 8, 32, 32], [12, 4, 3, 3], 2, 2],
    [[3, 1, 1024, 1024], [1, 1, 3, 3], 1, 1],
  ];
  it.each(direct)('conv_general (direct) %j * %j: 1 and 2 threads agree bit for bit', (xs, ws, p, groups) => {
    const [N, , H, W] = xs as [number, number, number, number];
    const O = ws[0]!;
    const params = {
      strides: [1, 1],
      padding: [
        [p, p],
        [p, p],
      ] as [number, number][],
      lhsDilation: [1, 1],
      rhsDilation: [1, 1],
      groups,
    };
    const outShape = [N, O, H + 2 * p - 2, W + 2 * p - 2];
    const ops: [Float32Array, number[]][] = [
      [
        lcg(
          xs.reduce((a, b) => a * b),
          5,
        ),
        xs,
      ],
      [
        lcg(
          ws.reduce((a, b) => a * b),
          6,
        ),
        ws,
      ],
    ];
    const r1 = runOn(one, 'conv_general', ops, params, outShape);
    expect(r1[r1.length - 1]).not.toBe(0);
    runOn(two, 'conv_general', ops, params, outShape);
    const p2 = gemmPool()!;
    const shares = p2.workerShares;
    untilWorkerTakes(p2, () => {
      let r2: Float32Array = new Float32Array();
      const jobs = countJobs(p2, () => (r2 = runOn(two, 'conv_general', ops, params, outShape)), 'taps');
      // 1024² images outgrow one 16 MiB batch: two images (one per thread), then the third
      expect(jobs).toBe(H === 1024 ? 2 : 1);
      // the first element whose bits differ (toEqual on millions of elements is slow)
      const [b1, b2] = [new Uint32Array(r1.buffer), new Uint32Array(r2.buffer)];
      expect(b2.length).toBe(b1.length);
      expect(b1.findIndex((v, i) => v !== b2[i])).toBe(-1);
    });
    expect(p2.workerShares).toBeGreaterThan(shares);
  });

  it('reports its threads, and one after close', () => {
    const be = createCpuBackend({ threads: 3 });
    expect(be.threads).toBe(3);
    be.close();
    expect(be.threads).toBe(1);
    expect(one.threads).toBe(1);
  });

  it.each([0, 65, 1.5, '2', Number.NaN])('rejects threads %s', (bad) => {
    expect(() => createCpuBackend({ threads: bad as number })).toThrow(
      `createCpuBackend: threads must be an integer from 1 to 64, got ${JSON.stringify(bad)}`,
    );
  });

  it('reads TYPEGRAD_THREADS, and rejects a bad one', () => {
    const saved = process.env.TYPEGRAD_THREADS;
    try {
      process.env.TYPEGRAD_THREADS = '2';
      const be = createCpuBackend();
      expect(be.threads).toBe(2);
      be.close();
      process.env.TYPEGRAD_THREADS = 'many';
      expect(() => createCpuBackend()).toThrow(
        'createCpuBackend: TYPEGRAD_THREADS must be an integer from 1 to 64, got "many"',
      );
      expect(createCpuBackend({ threads: 1 }).threads).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.TYPEGRAD_THREADS;
      else process.env.TYPEGRAD_THREADS = saved;
    }
  });
});

describe('a jitted MLP training step in a child process', () => {
  const fixture = fileURLToPath(new URL('../../../../test/fixtures/threads-mlp-step.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../../../../node_modules/tsx/dist/cli.mjs', import.meta.url));
  const step = async (threads: string) => {
    const env = { ...process.env, TYPEGRAD_THREADS: threads };
    // the child exits on its own with the pool alive (its workers are unref'd); the timeout catches a hang
    const { stdout } = await promisify(execFile)(process.execPath, [tsx, fixture], { env, timeout: 60_000 });
    return JSON.parse(stdout) as { threads: number; jobs: number; losses: string[]; w1: string };
  };

  it('gives bit-identical losses and weights on 1 and 2 threads, and exits', async () => {
    const [r1, r2] = await Promise.all([step('1'), step('2')]);
    expect(r1.threads).toBe(1);
    expect(r2.threads).toBe(2);
    expect(r1.jobs).toBe(0);
    expect(r2.jobs).toBeGreaterThan(0);
    expect(r1.losses).toHaveLength(3);
    expect(r2.losses).toEqual(r1.losses);
    expect(r2.w1).toEqual(r1.w1);
  }, 120_000);
});

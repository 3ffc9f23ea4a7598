/**
 * WebGPU micro-benchmarks, printing JSON lines: per-op dispatch overhead (1,000 chained small
 * adds, one read at the end) and tiled matmul times. Run: `npx tsx src/backends/webgpu/bench.ts`
 * (with the SwiftShader variables from scripts/setup-webgpu.sh on a machine without a GPU).
 */
import type { BufferHandle } from '../backend.ts';
import { createWebGpuBackend, type WebGpuBackend } from './backend.ts';

const NONE = {} as Record<string, never>;

async function chainedAdds(be: WebGpuBackend, n: number, size: number): Promise<number> {
  const one = be.upload(new Float32Array(size).fill(1), 'f32');
  let x: BufferHandle = be.upload(new Float32Array(size), 'f32');
  const spec = { shape: [size], dtype: 'f32' as const };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const y = be.run(
      'add',
      [
        { buffer: x, ...spec },
        { buffer: one, ...spec },
      ],
      NONE,
      spec,
    );
    be.dispose(x);
    x = y;
  }
  const out = await be.read(x, 'f32', size);
  const ms = performance.now() - t0;
  if (out[0] !== n) throw new Error(`chained adds: got ${out[0]}, expected ${n}`);
  be.dispose(x);
  be.dispose(one);
  return ms;
}

async function matmul(be: WebGpuBackend, n: number, reps: number): Promise<number> {
  const a = be.upload(
    Float32Array.from({ length: n * n }, (_, i) => (i % 7) - 3),
    'f32',
  );
  const spec = { shape: [n, n], dtype: 'f32' as const };
  const p = { lhsContract: [1], rhsContract: [0], lhsBatch: [], rhsBatch: [] };
  const warm = be.run(
    'dot_general',
    [
      { buffer: a, ...spec },
      { buffer: a, ...spec },
    ],
    p,
    spec,
  );
  await be.read(warm, 'f32', 1);
  be.dispose(warm);
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) {
    const c = be.run(
      'dot_general',
      [
        { buffer: a, ...spec },
        { buffer: a, ...spec },
      ],
      p,
      spec,
    );
    be.dispose(c);
  }
  await be.sync();
  const ms = (performance.now() - t0) / reps;
  be.dispose(a);
  return ms;
}

export async function runWebGpuBench(log: (line: string) => void = console.log): Promise<void> {
  const be = await createWebGpuBackend();
  const adapter =
    `${be.adapterInfo.vendor} ${be.adapterInfo.architecture} ${be.adapterInfo.description}`.trim();
  await chainedAdds(be, 1000, 64); // compile the pipeline and warm the JIT
  const ms = await chainedAdds(be, 1000, 64);
  log(
    JSON.stringify({
      bench: 'webgpu.dispatch',
      ops: 1000,
      elements: 64,
      ms,
      usPerOp: (ms * 1000) / 1000,
      adapter,
    }),
  );
  for (const n of [64, 128, 256]) {
    const t = await matmul(be, n, 3);
    log(JSON.stringify({ bench: 'webgpu.matmul', n, ms: t, gflops: (2 * n ** 3) / (t * 1e6), adapter }));
  }
  be.destroy();
}

const isMain =
  typeof process !== 'undefined' &&
  process.argv[1] &&
  import.meta.url.endsWith(process.argv[1].split('/').pop()!);
if (isMain) await runWebGpuBench();

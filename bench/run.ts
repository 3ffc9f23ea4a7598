/**
 * Runs the benchmarks, each workload in its own Node process so JIT state does not leak
 * between them, and forwards their JSON lines to stdout.
 *
 * typegrad alone: every file in bench/ named w<digit>…​.ts, and webgpu.ts (WebGPU dispatch
 * overhead, matmul and a LeNet step; one line and on when there is no adapter):
 *
 *   npm run bench                       all of them
 *   npm run bench -- w1 w3              only files whose name starts with one of the prefixes
 *   npm run bench -- --backend cpu      only that backend (sets TYPEGRAD_BENCH_BACKENDS)
 *
 * Side by side with jax-js and tfjs (bench/compare, peers from `npm --prefix bench/peers ci`):
 *
 *   npm run bench -- --peers                     W1–W5, DISPATCH, DISPATCH_SYNC, MAXPOOL, CONV1
 *   npm run bench -- --peers --quick             the same, short (checks that it works)
 *   npm run bench -- --peers w4 dispatch         only those workload ids (prefixes)
 *   npm run bench -- --backend webgpu --peers    DISPATCH, DISPATCH_SYNC, W1 on WebGPU
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plan } from './compare/cases.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const backendAt = args.indexOf('--backend');
const backend = backendAt >= 0 ? args[backendAt + 1] : undefined;
if (backend !== undefined && backend !== 'cpu' && backend !== 'webgpu') {
  console.error(`bench: --backend must be cpu or webgpu, got ${backend}`);
  process.exit(2);
}
const filters = args.filter((a, i) => !a.startsWith('--') && i !== backendAt + 1).map((f) => f.toLowerCase());
const matches = (name: string) =>
  filters.length === 0 || filters.some((p) => name.toLowerCase().startsWith(p));

/** [label, script, script arguments] of each process to run. */
const jobs: [string, string, string[]][] = args.includes('--peers')
  ? Object.keys(plan(backend ?? 'cpu'))
      .filter(matches)
      .map((id) => [
        id,
        join(here, 'compare', 'main.ts'),
        [id, '--backend', backend ?? 'cpu', ...(args.includes('--quick') ? ['--quick'] : [])],
      ])
  : readdirSync(here)
      .filter((f) => /^w\d.*\.ts$/.test(f) || f === 'webgpu.ts')
      .filter(matches)
      .sort()
      .map((f) => [f, join(here, f), []]);

let failed = 0;
const t0 = performance.now();
for (const [label, script, scriptArgs] of jobs) {
  const env = backend ? { ...process.env, TYPEGRAD_BENCH_BACKENDS: backend } : process.env;
  const res = spawnSync(process.execPath, ['--import', 'tsx', script, ...scriptArgs], {
    stdio: 'inherit',
    env,
  });
  if (res.status !== 0) {
    failed++;
    console.error(`bench: ${label} exited with ${res.status ?? res.signal}`);
  }
}
if (jobs.length === 0) console.error('bench: no workloads matched');
console.error(
  `bench: ${jobs.length} workloads in ${Math.round((performance.now() - t0) / 1000)} s, ${failed} failed`,
);
process.exitCode = failed > 0 || jobs.length === 0 ? 1 : 0;

/**
 * Runs every workload in bench/ (files named w<digit>…​.ts, and webgpu.ts: WebGPU dispatch
 * overhead, matmul and a LeNet step, which prints one line and goes on when there is no
 * adapter), each in its own Node process so
 * JIT state does not leak between them, and forwards their JSON lines to stdout.
 *
 *   npx tsx bench/run.ts            all workloads
 *   npx tsx bench/run.ts w1 w3      only those whose file name starts with one of the prefixes
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2).map((f) => f.toLowerCase());
const files = readdirSync(here)
  .filter((f) => /^w\d.*\.ts$/.test(f) || f === 'webgpu.ts')
  .filter((f) => filters.length === 0 || filters.some((p) => f.toLowerCase().startsWith(p)))
  .sort();

let failed = 0;
for (const f of files) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(here, f)], { stdio: 'inherit' });
  if (res.status !== 0) {
    failed++;
    console.error(`bench: ${f} exited with ${res.status ?? res.signal}`);
  }
}
if (files.length === 0) console.error('bench: no workloads matched');
process.exitCode = failed > 0 || files.length === 0 ? 1 : 0;

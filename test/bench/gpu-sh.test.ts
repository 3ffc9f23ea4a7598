/**
 * bench/gpu.sh refuses CPU fallback adapters: here (SwiftShader, or no adapter at all) it
 * must exit non-zero with a loud message and print no benchmark figures.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fallbackReason } from '../../bench/gpu.ts';

const root = new URL('../..', import.meta.url).pathname;

describe('bench/gpu.sh', () => {
  it('refuses to run on this machine’s CPU fallback adapter', () => {
    const res = spawnSync('bash', ['bench/gpu.sh'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    const lines = res.stdout.split('\n').filter((l) => l.startsWith('{'));
    const workloads = lines.map((l) => (JSON.parse(l) as { workload: string }).workload);
    // at most the adapter line: no figures
    expect(workloads.filter((w) => w !== 'adapter')).toEqual([]);
    if (workloads.includes('adapter')) {
      // an adapter was found (SwiftShader): the refusal
      expect(res.status).toBe(3);
      expect(res.stderr).toMatch(/REFUSES TO RUN on a CPU fallback adapter/);
    } else {
      expect(res.status).toBe(2);
      expect(res.stderr).toMatch(/NO WebGPU ADAPTER|npm ci/);
    }
  });

  it('recognizes software adapters by flag and by name', () => {
    const gpu = { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H200' };
    expect(fallbackReason(gpu, false)).toBeUndefined();
    expect(fallbackReason(gpu, true)).toMatch(/isFallbackAdapter/);
    const sw = {
      vendor: 'google',
      architecture: 'swiftshader',
      device: '',
      description: 'SwiftShader driver 5.0.0',
    };
    expect(fallbackReason(sw, false)).toMatch(/software renderer "swiftshader"/);
    const mesa = {
      vendor: 'mesa',
      architecture: '',
      device: '',
      description: 'llvmpipe (LLVM 15.0.6, 256 bits)',
    };
    expect(fallbackReason(mesa, false)).toMatch(/llvmpipe/);
  });
});

/**
 * `npm run demo`'s backend choice, run as users run it (a child process, so that what a GPU
 * driver prints from native code is seen): the CPU by default without probing WebGPU; `auto`
 * without an adapter falls back to the CPU quietly and says so; `webgpu` without one fails
 * with what to install. "No adapter" is made on any Linux machine, SwiftShader set up or not,
 * by pointing the Vulkan loader at a driver list that does not exist.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasWebGpuAdapter } from '../examples/webgpu-probe.ts';

const DEMO = fileURLToPath(new URL('../examples/demo.ts', import.meta.url));
const NO_ADAPTER = { VK_ICD_FILENAMES: '/nonexistent/no-vulkan-driver.json' };
/** What Dawn and the Vulkan loader print when they find no driver. */
const DRIVER_NOISE = /Warning:|Vulkan|vkCreateInstance|loader_/;

/** The demo's reduced run: no Figure 1, one training step of 32 digits, then the test score. */
function demo(args: readonly string[], env: Record<string, string> = {}) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', DEMO, '--skip-fig1', '--steps', '1', '--batch', '32', ...args],
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run demo: the backend', () => {
  it('is the CPU by default, without probing WebGPU (nothing on stderr)', () => {
    const r = demo([], NO_ADAPTER);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('typegrad demo, backend: cpu');
    expect(r.stdout).not.toContain('note:');
    expect(r.stdout).toMatch(/test accuracy: \d+\.\d\d% on 2000 held-out images/);
  }, 130_000);

  it('auto without a WebGPU adapter: the CPU, reported, and no driver noise on stdout or stderr', () => {
    const r = demo(['--backend', 'auto'], NO_ADAPTER);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('note: WebGPU found no adapter; using the CPU backend');
    expect(r.stdout).toContain('typegrad demo, backend: cpu');
    expect(r.stdout).not.toMatch(DRIVER_NOISE);
    expect(r.stdout).toMatch(/test accuracy: \d+\.\d\d% on 2000 held-out images/);
  }, 130_000);

  it('webgpu without an adapter fails, saying what to install', () => {
    const r = demo(['--backend', 'webgpu'], NO_ADAPTER);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('WebGPU found no adapter');
    expect(r.stderr).toContain('install a Vulkan driver');
    expect(r.stdout).not.toContain('typegrad demo, backend:');
  }, 130_000);
});

/** Runs `fn` with these environment variables set (the probe's child process inherits them). */
function withEnv<T>(env: Record<string, string>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** SwiftShader as the Vulkan driver: the variables scripts/setup-webgpu.sh exports. */
function swiftShaderEnv(): Record<string, string> {
  const script = fileURLToPath(new URL('../scripts/setup-webgpu.sh', import.meta.url));
  const out = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return Object.fromEntries(
    [...out.matchAll(/^export (\w+)=([^$\n]*)/gm)].map(([, k, v]) => [k!, v!.replace(/:$/, '')]),
  );
}

describe('hasWebGpuAdapter (the quiet probe of --backend auto)', () => {
  it('is false when the Vulkan loader finds no driver', () => {
    expect(withEnv(NO_ADAPTER, hasWebGpuAdapter)).toBe(false);
  }, 70_000);

  it('is true with SwiftShader as the Vulkan driver (scripts/setup-webgpu.sh)', () => {
    const env = swiftShaderEnv();
    expect(Object.keys(env).sort()).toEqual(['LD_LIBRARY_PATH', 'VK_ICD_FILENAMES']);
    expect(withEnv(env, hasWebGpuAdapter)).toBe(true);
  }, 120_000);
});

import { afterAll, describe, expect, it } from 'vitest';
import { PRIM_NAMES } from '../../core/primitives.ts';
import { createWebGpuBackend } from './backend.ts';
import { WebGpuCompileError, WebGpuDeviceLostError, WebGpuError, WebGpuOutOfMemoryError } from './errors.ts';
import { KERNELS } from './kernels/index.ts';
import { acquireTestBackend, NONE, webGpuRequired } from './test-helpers.ts';

describe('webgpu kernel table', () => {
  it('has a kernel for every primitive', () => {
    const missing = PRIM_NAMES.filter((p) => typeof (KERNELS as Record<string, unknown>)[p] !== 'function');
    expect(missing).toEqual([]);
    expect(Object.keys(KERNELS).sort()).toEqual([...PRIM_NAMES].sort());
  });

  it('a missing adapter fails when CI or TYPEGRAD_REQUIRE_WEBGPU is set', () => {
    const env = process.env;
    const saved = { CI: env.CI, R: env.TYPEGRAD_REQUIRE_WEBGPU };
    try {
      delete env.CI;
      delete env.TYPEGRAD_REQUIRE_WEBGPU;
      expect(webGpuRequired()).toBe(false);
      env.TYPEGRAD_REQUIRE_WEBGPU = '1';
      expect(webGpuRequired()).toBe(true);
      delete env.TYPEGRAD_REQUIRE_WEBGPU;
      env.CI = 'true';
      expect(webGpuRequired()).toBe(true);
    } finally {
      if (saved.CI === undefined) delete env.CI;
      else env.CI = saved.CI;
      if (saved.R === undefined) delete env.TYPEGRAD_REQUIRE_WEBGPU;
      else env.TYPEGRAD_REQUIRE_WEBGPU = saved.R;
    }
  });
});

const backend = await acquireTestBackend();
afterAll(() => backend?.destroy());

const f32 = (xs: number[]) => Float32Array.from(xs);

describe.skipIf(!backend)('webgpu backend runtime and errors', { timeout: 30_000 }, () => {
  const be = backend!;

  it('round-trips every dtype and rejects f64', async () => {
    expect(be.supports('f32') && be.supports('i32') && be.supports('bool')).toBe(true);
    expect(be.supports('f64')).toBe(false);
    const a = be.upload(f32([1.5, -2]), 'f32');
    const b = be.upload(Int32Array.from([7, -8]), 'i32');
    const c = be.upload(Uint8Array.from([1, 0, 1]), 'bool');
    expect(Array.from(await be.read(a, 'f32', 2))).toEqual([1.5, -2]);
    expect(Array.from(await be.read(b, 'i32', 2))).toEqual([7, -8]);
    const cb = await be.read(c, 'bool', 3);
    expect(cb).toBeInstanceOf(Uint8Array);
    expect(Array.from(cb)).toEqual([1, 0, 1]);
    expect(() => be.upload(Float64Array.from([1]), 'f64')).toThrow(/f64/);
    expect(() =>
      be.run('neg', [{ buffer: a, shape: [2], dtype: 'f64' }], NONE, { shape: [2], dtype: 'f64' }),
    ).toThrow(/f64/);
    for (const h of [a, b, c]) be.dispose(h);
  });

  it('rethrows bad WGSL with the op name and the compiler messages (async compile)', async () => {
    const err = await be
      .compileWgsl('my_broken_op', '@compute @workgroup_size(1) fn main() { let x: f32 = nope; }')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGpuCompileError);
    expect((err as Error).message).toMatch(/my_broken_op/);
    expect((err as Error).message).toMatch(/nope/);
  });

  it('a bad kernel recorded by run surfaces at the next read, naming the op', async () => {
    const x = be.upload(f32([1, 2]), 'f32');
    const y = be.runWgsl(
      'bad_kernel_op',
      '@compute @workgroup_size(64) fn main() { out0[0] = undefined_thing; }',
      [{ buffer: x, shape: [2], dtype: 'f32' }],
      { shape: [2], dtype: 'f32' },
    );
    const err = await be.read(y, 'f32', 2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGpuError);
    expect((err as Error).message).toMatch(/bad_kernel_op/);
    expect((err as Error).message).toMatch(/undefined_thing/);
    // the cached broken pipeline now fails synchronously
    expect(() =>
      be.runWgsl(
        'bad_kernel_op',
        '@compute @workgroup_size(64) fn main() { out0[0] = undefined_thing; }',
        [{ buffer: x, shape: [2], dtype: 'f32' }],
        { shape: [2], dtype: 'f32' },
      ),
    ).toThrow(/bad_kernel_op/);
    expect(be.memory().liveBuffers).toBe(2); // the failed run's output was released
    // and the backend still works
    expect(Array.from(await be.read(x, 'f32', 2))).toEqual([1, 2]);
    be.dispose(x);
    be.dispose(y);
  });

  it('an uncaptured GPU error rejects the next read instead of printing', async () => {
    // MAP_READ may only be combined with COPY_DST: a validation error outside any scope
    be.device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE });
    const x = be.upload(f32([3]), 'f32');
    await expect(be.read(x, 'f32', 1)).rejects.toThrow(/uncaptured/);
    expect(Array.from(await be.read(x, 'f32', 1))).toEqual([3]);
    be.dispose(x);
  });

  it('an allocation over the device limit names the requested bytes', () => {
    const x = be.upload(f32([1]), 'f32');
    const huge = 2 ** 29; // 2 GiB of f32
    let err: unknown;
    try {
      be.run(
        'broadcast_in_dim',
        [{ buffer: x, shape: [1], dtype: 'f32' }],
        { shape: [huge], dims: [0] },
        { shape: [huge], dtype: 'f32' },
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WebGpuOutOfMemoryError);
    expect((err as Error).message).toMatch(/broadcast_in_dim/);
    expect((err as Error).message).toMatch(String(huge * 4));
    be.dispose(x);
  });

  it('batches many dispatches, reuses pooled buffers and keeps live bytes flat', async () => {
    const before = be.memory();
    let x = be.upload(f32([0, 1, 2, 3]), 'f32');
    const one = be.upload(f32([1, 1, 1, 1]), 'f32');
    for (let i = 0; i < 300; i++) {
      const y = be.run(
        'add',
        [
          { buffer: x, shape: [4], dtype: 'f32' },
          { buffer: one, shape: [4], dtype: 'f32' },
        ],
        NONE,
        { shape: [4], dtype: 'f32' },
      );
      be.dispose(x);
      x = y;
    }
    expect(be.memory().liveBuffers).toBe(before.liveBuffers + 2);
    expect(Array.from(await be.read(x, 'f32', 4))).toEqual([300, 301, 302, 303]);
    await be.sync();
    be.dispose(x);
    be.dispose(one);
    const after = be.memory();
    expect(after.liveBuffers).toBe(before.liveBuffers);
    expect(after.liveBytes).toBe(before.liveBytes);
    expect(after.pooledBytes).toBeLessThanOrEqual(8 * 256);
  });

  it('reading a disposed buffer or a foreign handle is an error', async () => {
    const x = be.upload(f32([1]), 'f32');
    be.dispose(x);
    await expect(be.read(x, 'f32', 1)).rejects.toThrow(/disposed/);
    await expect(be.read({}, 'f32', 1)).rejects.toThrow(/not a WebGPU buffer/);
  });
});

describe.skipIf(!backend)('webgpu device loss', { timeout: 30_000 }, () => {
  it('the next use fails clearly and a fresh device can be acquired', async () => {
    const be = await createWebGpuBackend();
    const x = be.upload(f32([1, 2]), 'f32');
    be.device.destroy();
    await be.lost;
    expect(be.isLost).toBe(true);
    expect(() => be.upload(f32([1]), 'f32')).toThrow(WebGpuDeviceLostError);
    expect(() =>
      be.run('neg', [{ buffer: x, shape: [2], dtype: 'f32' }], NONE, { shape: [2], dtype: 'f32' }),
    ).toThrow(/device was lost/);
    await expect(be.read(x, 'f32', 2)).rejects.toThrow(/createWebGpuBackend/);
    const fresh = await createWebGpuBackend();
    const y = fresh.upload(f32([4]), 'f32');
    expect(Array.from(await fresh.read(y, 'f32', 1))).toEqual([4]);
    fresh.destroy();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { add, memory, scan, tensor, zeros } from '../../index.ts';
import { drainPool, giveBuffer, isPooled, pooledByteCount, takeBuffer } from './buffer-pool.ts';
import { createCpuBackend } from './index.ts';

afterEach(() => drainPool());

describe('cpu buffer pool', () => {
  it('reuses a disposed buffer of the same dtype and length, zero-filled', () => {
    const a = takeBuffer('f32', 16);
    a.fill(7);
    expect(giveBuffer(a)).toBe(true);
    expect(isPooled(a)).toBe(true);
    expect(takeBuffer('i32', 16)).not.toBe(a); // another dtype gets its own
    const b = takeBuffer('f32', 16);
    expect(b).toBe(a);
    expect(Array.from(b)).toEqual(new Array(16).fill(0));
    expect(isPooled(b)).toBe(false);
  });

  it('never pools views, empty buffers, or a buffer twice', () => {
    const whole = new Float32Array(8);
    expect(giveBuffer(whole.subarray(0, 4))).toBe(false);
    expect(giveBuffer(new Float32Array(0))).toBe(false);
    expect(giveBuffer(whole)).toBe(true);
    expect(giveBuffer(whole)).toBe(false);
    expect(pooledByteCount()).toBe(32);
  });

  it('never pools the buffer behind a view the backend handed out while the view is alive', () => {
    const be = createCpuBackend();
    const buf = be.upload(new Float32Array([1, 2, 3, 4]), 'f32');
    const v = be.view!(buf, 'f32', 0, 4); // a full-range view shares the memory
    be.dispose(buf);
    expect(isPooled(buf) || isPooled(v)).toBe(false);
    be.dispose(v);
    expect(isPooled(v)).toBe(false);
    // once no view of it is left, a buffer is pooled when disposed, as any other
    const again = be.upload(new Float32Array([1, 2, 3, 4]), 'f32');
    const [a, b] = [be.view!(again, 'f32', 0, 2), be.view!(again, 'f32', 2, 2)];
    be.dispose(a);
    be.dispose(b);
    be.dispose(again);
    expect(isPooled(again)).toBe(true);
  });

  it('pools the stacks a scan read step by step once they are disposed', () => {
    const xs = tensor(
      Float32Array.from({ length: 64 }, (_, i) => i),
      [8, 8],
    );
    const buf = xs._storage!.buffer;
    const [c, ys] = scan((carry, x) => [add(carry, x), carry], zeros([8]), xs);
    xs.dispose();
    expect(isPooled(buf)).toBe(true);
    expect(Array.from(c.dataSync())).toEqual(Array.from({ length: 8 }, (_, j) => 8 * 28 + 8 * j));
    expect(Array.from(ys.dataSync()).slice(8, 16)).toEqual(Array.from({ length: 8 }, (_, j) => j));
  });

  it('keeps reporting a disposed buffer as disposed until it is reused', () => {
    const be = createCpuBackend();
    const buf = be.upload(new Float32Array([1, 2]), 'f32');
    be.dispose(buf);
    expect(() => be.readSync!(buf, 'f32', 2)).toThrow('cpu read: buffer was disposed');
    expect(() =>
      be.run('neg', [{ buffer: buf, shape: [2], dtype: 'f32' }], {} as never, { shape: [2], dtype: 'f32' }),
    ).toThrow('cpu neg: operand 0 was disposed');
  });

  it('gives eager results their own values while buffers are recycled', () => {
    const x = tensor([1, 2, 3]);
    const kept: number[][] = [];
    for (let i = 0; i < 50; i++) {
      const y = add(x, i);
      kept.push(Array.from(y.dataSync()));
      y.dispose();
    }
    expect(kept[49]).toEqual([50, 51, 52]);
    expect(kept[3]).toEqual([4, 5, 6]);
  });

  it('a scan whose body returns its slice keeps xs intact after the slices are freed', () => {
    const xs = tensor([
      [1, 2],
      [3, 4],
    ]);
    const [c, ys] = scan((_carry, x) => [x, x], zeros([2]), xs);
    xs.dispose();
    const other = zeros([2, 2]); // would take xs's buffer if it had been pooled while shared
    expect(c.toArray()).toEqual([3, 4]);
    expect(ys.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    other.dispose();
  });

  it('holds memory flat over a long eager loop and stays bounded', () => {
    const x = zeros([256]);
    const before = memory().cpu?.tensors ?? 0;
    for (let i = 0; i < 2000; i++) add(x, 1).dispose();
    expect(memory().cpu?.tensors ?? 0).toBe(before);
    expect(pooledByteCount()).toBeLessThanOrEqual(256 * 1024 * 1024);
  });
});

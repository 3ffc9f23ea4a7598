import { describe, expect, it } from 'vitest';
import { broadcastTo, log, random, type Tensor, tensor, zeros } from '../index.ts';

const vals = (t: Tensor) => Array.from(t.dataSync() as ArrayLike<number>);
const meanOf = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
const stdOf = (xs: ArrayLike<number>) => {
  const m = meanOf(xs);
  return Math.sqrt(Array.from(xs).reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};
const N = 10_000;

describe('keys', () => {
  it('key(seed) holds the seed’s high and low 32 bits (key(0) = [0, 0], as jax.random.PRNGKey)', () => {
    expect(vals(random.key(0))).toEqual([0, 0]);
    expect(vals(random.key(42))).toEqual([0, 42]);
    expect(vals(random.key(2 ** 40 + 5))).toEqual([256, 5]);
    expect(random.key(1).dtype).toBe('i32');
  });

  it('the same key gives the same numbers; different keys differ', () => {
    expect(vals(random.uniform(random.key(7), [16]))).toEqual(vals(random.uniform(random.key(7), [16])));
    expect(vals(random.normal(random.key(7), [16]))).toEqual(vals(random.normal(random.key(7), [16])));
    expect(vals(random.uniform(random.key(7), [16]))).not.toEqual(vals(random.uniform(random.key(8), [16])));
  });

  it('split gives distinct keys, deterministic, distinct from the parent; splitKeys agrees with split', () => {
    const k = random.key(0);
    const s = random.split(k, { num: 3 });
    expect(s.shape).toEqual([3, 2]);
    const rows = [0, 1, 2].map((i) =>
      vals(s)
        .slice(2 * i, 2 * i + 2)
        .join(','),
    );
    expect(new Set([...rows, vals(k).join(',')]).size).toBe(4);
    expect(vals(random.split(k, { num: 3 }))).toEqual(vals(s));
    expect(random.splitKeys(k, { num: 3 }).map((t) => vals(t).join(','))).toEqual(rows);
  });

  it('foldIn: deterministic, distinct per value, distinct from split', () => {
    const k = random.key(0);
    const f = [0, 1, 2, 3].map((d) => vals(random.foldIn(k, d)).join(','));
    expect(new Set(f).size).toBe(4);
    expect(vals(random.foldIn(k, 1)).join(',')).toBe(f[1]);
    const splits = random.splitKeys(k, { num: 4 }).map((t) => vals(t).join(','));
    for (const x of f) expect(splits).not.toContain(x);
  });

  it('streams from split and foldIn are statistically independent (|correlation| < 0.05 over 10k)', () => {
    const [a, b] = random.splitKeys(random.key(3), { num: 2 }) as [random.Key, random.Key];
    const corr = (x: number[], y: number[]) => {
      const mx = meanOf(x);
      const my = meanOf(y);
      const cov = x.reduce((s, v, i) => s + (v - mx) * (y[i]! - my), 0) / x.length;
      return cov / (stdOf(x) * stdOf(y));
    };
    const ua = vals(random.uniform(a, [N]));
    expect(Math.abs(corr(ua, vals(random.uniform(b, [N]))))).toBeLessThan(0.05);
    expect(Math.abs(corr(ua, vals(random.uniform(random.foldIn(a, 1), [N]))))).toBeLessThan(0.05);
  });

  it('bad keys and seeds name the sampler', async () => {
    const notKey = tensor([1, 2]) as unknown as random.Key;
    const msg = 'expected a key (i32[2]) from random.key, got f32[2]';
    expect(() => random.uniform(notKey, [2])).toThrow(`random.uniform: ${msg}`);
    expect(() => random.normal(notKey, [2])).toThrow(`random.normal: ${msg}`);
    expect(() => random.truncatedNormal(notKey, [2])).toThrow(`random.truncatedNormal: ${msg}`);
    expect(() => random.bernoulli(notKey, 0.5, [2])).toThrow(`random.bernoulli: ${msg}`);
    expect(() => random.categorical(notKey, zeros([3]))).toThrow(`random.categorical: ${msg}`);
    expect(() => random.split(notKey)).toThrow(`random.split: ${msg}`);
    expect(() => random.foldIn(notKey, 1)).toThrow(`random.foldIn: ${msg}`);
    await expect(random.permutation(notKey, 3)).rejects.toThrow(`random.permutation: ${msg}`);
    expect(() => random.key(1.5)).toThrow('random.key: seed must be a safe integer, got 1.5');
    expect(() => random.foldIn(random.key(0), -1)).toThrow(
      'random.foldIn: data must be an integer in [0, 2^32), got -1',
    );
  });
});

describe('samplers', () => {
  it('uniform: in [0, 1), mean ≈ 0.5, variance ≈ 1/12 over 10k samples; minval/maxval; dtype', () => {
    const u = random.uniform(random.key(1), [N]);
    expect(u.shape).toEqual([N]);
    expect(u.dtype).toBe('f32');
    const v = vals(u);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThan(1);
    expect(Math.abs(meanOf(v) - 0.5)).toBeLessThan(0.01); // 4 sigma: 4 * sqrt(1/12 / 1e4) ≈ 0.0115
    expect(Math.abs(stdOf(v) ** 2 - 1 / 12)).toBeLessThan(0.005);
    const r = vals(random.uniform(random.key(1), [N], { minval: -3, maxval: 5 }));
    expect(Math.min(...r)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...r)).toBeLessThan(5);
    expect(Math.abs(meanOf(r) - 1)).toBeLessThan(0.1);
    expect(random.uniform(random.key(1), [2, 3], { dtype: 'f64' }).dtype).toBe('f64');
    expect(() => random.uniform(random.key(1), [2], { minval: 1, maxval: 0 })).toThrow(
      'random.uniform: maxval 0 must exceed minval 1',
    );
  });

  it('normal: mean ≈ 0 and std ≈ 1 over 10k samples; mean/std options', () => {
    const n = vals(random.normal(random.key(2), [N]));
    expect(Math.abs(meanOf(n))).toBeLessThan(0.04); // 4 sigma = 4 / sqrt(1e4)
    expect(Math.abs(stdOf(n) - 1)).toBeLessThan(0.03);
    // about 68.3% within one std
    expect(Math.abs(n.filter((x) => Math.abs(x) < 1).length / N - 0.6827)).toBeLessThan(0.02);
    const s = vals(random.normal(random.key(2), [N], { mean: 10, std: 2 }));
    expect(Math.abs(meanOf(s) - 10)).toBeLessThan(0.1);
    expect(Math.abs(stdOf(s) - 2)).toBeLessThan(0.06);
  });

  it('truncatedNormal stays within its bounds (default [-2, 2]) and fills them', () => {
    const t = vals(random.truncatedNormal(random.key(3), [N]));
    expect(Math.min(...t)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...t)).toBeLessThanOrEqual(2);
    expect(Math.min(...t)).toBeLessThan(-1.9);
    expect(Math.max(...t)).toBeGreaterThan(1.9);
    expect(Math.abs(meanOf(t))).toBeLessThan(0.04);
    // std of a standard normal truncated to [-2, 2] is 0.8796
    expect(Math.abs(stdOf(t) - 0.8796)).toBeLessThan(0.03);
    const o = vals(random.truncatedNormal(random.key(3), [N], { lower: 0.5, upper: 1 }));
    expect(Math.min(...o)).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...o)).toBeLessThanOrEqual(1);
    expect(() => random.truncatedNormal(random.key(3), [2], { lower: 1, upper: 0 })).toThrow(
      'random.truncatedNormal: upper 0 must exceed lower 1',
    );
  });

  it('bernoulli: rate ≈ p; p = 0 and p = 1 are exact', () => {
    const b = random.bernoulli(random.key(4), 0.3, [N]);
    expect(b.dtype).toBe('bool');
    expect(Math.abs(meanOf(vals(b)) - 0.3)).toBeLessThan(0.02); // 4 sigma ≈ 0.018
    expect(vals(random.bernoulli(random.key(4), 0, [100])).every((v) => v === 0)).toBe(true);
    expect(vals(random.bernoulli(random.key(4), 1, [100])).every((v) => v === 1)).toBe(true);
    expect(() => random.bernoulli(random.key(4), 1.5, [2])).toThrow(
      'random.bernoulli: p must be in [0, 1], got 1.5',
    );
  });

  it('categorical: class frequencies follow softmax(logits); axis option', () => {
    const p = [0.2, 0.5, 0.3];
    const logits = broadcastTo(log(tensor(p)), [N, 3]);
    const c = random.categorical(random.key(5), logits);
    expect(c.dtype).toBe('i32');
    expect(c.shape).toEqual([N]);
    const v = vals(c);
    p.forEach((q, i) => {
      expect(Math.abs(v.filter((x) => x === i).length / N - q)).toBeLessThan(0.02);
    });
    // along axis 0: one sample per column; a -inf logit is never drawn
    const col = random.categorical(
      random.key(6),
      tensor([
        [0, Number.NEGATIVE_INFINITY],
        [Number.NEGATIVE_INFINITY, 0],
      ]),
      {
        axis: 0,
      },
    );
    expect(vals(col)).toEqual([0, 1]);
    expect(() => random.categorical(random.key(5), zeros([2, 3]), { axis: 2 })).toThrow(
      'random.categorical: axis 2 out of range for rank 2',
    );
  });

  it('permutation is a permutation of 0..n-1, deterministic per key', async () => {
    const p = await random.permutation(random.key(6), 100);
    expect(p.dtype).toBe('i32');
    const v = vals(p);
    expect([...v].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(v).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(vals(await random.permutation(random.key(6), 100))).toEqual(v);
    expect((await random.permutation(random.key(6), 0)).shape).toEqual([0]);
    await expect(random.permutation(random.key(6), -1)).rejects.toThrow(
      'random.permutation: n must be a non-negative integer, got -1',
    );
  });
});

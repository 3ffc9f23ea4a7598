/**
 * Issue 11 item 2: jit keys static arguments so that a program traced for one value is
 * never replayed for another (Object.is for numbers, identity for functions and objects),
 * and rejects static arguments it cannot key, or indices the call does not have.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.ts';
import * as tg from '../../src/index.ts';

type V = Tensor<[2], 'f32'>;
const x = () => tg.tensor([1, 2]) as V;
const read = (t: Tensor) => Array.from(t.dataSync() as Float32Array);

describe('jit static arguments', () => {
  it('keys numbers with Object.is: Infinity/-Infinity, 0/-0, NaN', () => {
    const g = tg.jit((a: V, s: number) => tg.mul(a, s), { staticArgnums: [1] });
    expect(read(g(x(), Number.POSITIVE_INFINITY))).toEqual([Infinity, Infinity]);
    expect(read(g(x(), Number.NEGATIVE_INFINITY))).toEqual([-Infinity, -Infinity]);
    // 1 / s tells 0 from -0 on the JS side, where the static value is used
    const inv = tg.jit((a: V, s: number) => tg.mul(a, 1 / s), { staticArgnums: [1] });
    expect(read(inv(x(), 0))).toEqual([Infinity, Infinity]);
    expect(read(inv(x(), -0))).toEqual([-Infinity, -Infinity]);
    g(x(), 0);
    g(x(), -0);
    expect(read(g(x(), Number.NaN)).every(Number.isNaN)).toBe(true);
    expect(g.cacheSize).toBe(5);
    g(x(), Number.NaN);
    expect(g.cacheSize).toBe(5);
  });

  it('keys functions and Maps by identity, arrays and records by content', () => {
    const g = tg.jit((a: V, f: (t: V) => Tensor) => f(a), { staticArgnums: [1] });
    expect(read(g(x(), (t) => tg.mul(t, 2)))).toEqual([2, 4]);
    expect(read(g(x(), (t) => tg.mul(t, 3)))).toEqual([3, 6]);
    const h = tg.jit((a: V, m: Map<string, number>) => tg.mul(a, m.get('k')!), { staticArgnums: [1] });
    expect(read(h(x(), new Map([['k', 2]])))).toEqual([2, 4]);
    expect(read(h(x(), new Map([['k', 5]])))).toEqual([5, 10]);
    const r = tg.jit((a: V, o: { s: number[] }) => tg.mul(a, o.s[0]!), { staticArgnums: [1] });
    expect(read(r(x(), { s: [2] }))).toEqual([2, 4]);
    expect(read(r(x(), { s: [2] }))).toEqual([2, 4]);
    expect(r.cacheSize).toBe(1);
    expect(read(r(x(), { s: [-3] }))).toEqual([-3, -6]);
  });

  it('keys non-tensor leaves inside dynamic arguments the same way', () => {
    const g = tg.jit((p: { a: V; s: number }) => tg.mul(p.a, p.s));
    expect(read(g({ a: x(), s: Number.POSITIVE_INFINITY }))).toEqual([Infinity, Infinity]);
    expect(read(g({ a: x(), s: Number.NEGATIVE_INFINITY }))).toEqual([-Infinity, -Infinity]);
  });

  it('rejects unhashable static arguments and bad indices', () => {
    const g = tg.jit((a: V, s: unknown) => (s ? a : a), { staticArgnums: [1] });
    expect(() => g(x(), x())).toThrow(/jit: static argument 1 is a tensor \(f32\[2\]\)/);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(() => g(x(), cyclic)).toThrow(/jit: static argument 1\.self is cyclic/);
    const one = tg.jit((a: V) => a, { staticArgnums: [3] });
    expect(() => one(x())).toThrow(/jit: argument 3 is named in staticArgnums but the call has 1 argument/);
    expect(() => tg.jit((a: V) => a, { staticArgnums: [0.5] })).toThrow(/jit: staticArgnums entry 0.5/);
    expect(() => tg.jit((a: V) => a, { donate: [-1] })).toThrow(/jit: donate entry -1/);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../index.ts';
import {
  customVjp,
  exp,
  matmul,
  memory,
  mul,
  neg,
  scope,
  sin,
  stopGradient,
  sum,
  tanh,
  tensor,
  zeros,
} from '../index.ts';
import {
  arbBroadcastPair,
  arbConvConfig,
  arbHostTensor,
  arbKey,
  arbMatmulPair,
  arbShape,
  arbTensor,
  checkGrads,
} from './index.ts';

const x64 = () =>
  tensor(
    [
      [0.3, -0.7, 1.1],
      [0.5, 0.2, -1.4],
    ],
    { dtype: 'f64' },
  );

/** sin with a deliberately wrong backward rule: tanh(x) instead of cos(x). */
const wrongSin = customVjp(
  (x: Tensor) => sin(x),
  (x: Tensor) => [sin(x), x] as const,
  (x: Tensor, ct: Tensor): [Tensor] => [mul(ct, tanh(x))],
);

describe('checkGrads', () => {
  it('passes for correct rules and reports what it compared', () => {
    const r = checkGrads((x: Tensor) => tanh(mul(x, x)), [x64()]);
    expect(r.inputs).toBe(6);
    expect(r.outputs).toBe(6);
    expect(r.checks.map((c) => c.mode)).toEqual(['fwd', 'rev']);
    expect(r.checks[1]!.compared).toBe('input elements');
    expect(r.maxRatio).toBeLessThan(1e-2);
  });

  it('accepts pytrees, f32 inputs (checked in f64) and integer leaves that are not differentiated', () => {
    const w = tensor([
      [0.1, 0.2],
      [0.3, -0.4],
      [0.5, 0.6],
    ]);
    const r = checkGrads(
      (p: { w: Tensor; b: Tensor }, x: Tensor) => tanh(matmul(x as never, p.w as never) as Tensor),
      [{ w, b: tensor([1, 2]) }, x64()],
    );
    expect(r.inputs).toBe(6 + 2 + 6);
  });

  it('checks second derivatives (jvp of jvp, vjp of vjp …) with order 2', () => {
    const r = checkGrads((x: Tensor) => sum(exp(sin(x))), [x64()], { order: 2 });
    expect(r.checks.filter((c) => c.order === 2)).toHaveLength(4);
  });

  it('uses the inner-product identity for inputs larger than maxJacobian', () => {
    const r = checkGrads((x: Tensor) => tanh(x), [x64()], { maxJacobian: 4, modes: ['rev'] });
    expect(r.checks[0]!.compared).toBe('inner products');
  });

  it('fails for a wrong customVjp rule, naming mode, element, values and tolerance', () => {
    expect(() => checkGrads((x: Tensor) => wrongSin(x), [x64()], { modes: ['rev'] })).toThrowError(
      /checkGrads rev-mode mismatch \(order 1\): vector-Jacobian product at d<u, f>\/d input\[\d, \d\] for random cotangent u \d: analytic -?[\d.e-]+, numeric -?[\d.e-]+, \|diff\| [\d.e-]+ exceeds tolerance [\d.e-]+ \(atol 0.00001 \+ rtol 0.0001/,
    );
    // The inner-product form fails too.
    expect(() =>
      checkGrads((x: Tensor) => wrongSin(x), [x64()], { modes: ['rev'], maxJacobian: 0 }),
    ).toThrowError(/rev-mode mismatch.*inner product at <vjp\(u\), v> vs <u, FD\(v\)>/);
  });

  it('fails when a derivative is wrong only at second order', () => {
    // f(x) = x * x with a backward rule that is right everywhere but treats its residual
    // as a constant, so the derivative of the gradient (the second derivative) is lost.
    const g = customVjp(
      (x: Tensor) => mul(x, x),
      (x: Tensor) => [mul(x, x), x] as const,
      (x: Tensor, ct: Tensor): [Tensor] => [mul(ct, mul(stopGradient(x), 2) as Tensor)],
    );
    const at = tensor([1.5, -0.5], { dtype: 'f64' });
    expect(() => checkGrads((x: Tensor) => g(x), [at], { modes: ['rev'] })).not.toThrow();
    expect(() => checkGrads((x: Tensor) => g(x), [at], { modes: ['rev'], order: 2 })).toThrowError(
      /rev-mode mismatch \(order 2, of vjp\)/,
    );
  });

  it('is deterministic and leaves no live tensors behind', () => {
    const x = x64();
    const before = memory().cpu?.tensors ?? 0;
    const a = checkGrads((t: Tensor) => tanh(neg(t)), [x], { seed: 3 });
    const b = checkGrads((t: Tensor) => tanh(neg(t)), [x], { seed: 3 });
    expect(a).toEqual(b);
    expect(memory().cpu?.tensors ?? 0).toBe(before);
  });
});

describe('arbitraries', () => {
  it('arbTensor yields tensors of the typed shape, dtype and range', () => {
    fc.assert(
      fc.property(arbTensor([2, 3] as const, { min: -2, max: 2, minAbs: 0.5 }), (t) => {
        const typed: Tensor<[2, 3], 'f64'> = t;
        expect(typed.shape).toEqual([2, 3]);
        expect(t.dtype).toBe('f64');
        for (const v of t.dataSync()) expect(Math.abs(v) >= 0.5 && Math.abs(v) <= 2).toBe(true);
      }),
      { numRuns: 20, seed: 1 },
    );
  });

  it('arbHostTensor makes no backend memory until toTensor', () => {
    const before = memory().cpu?.tensors ?? 0;
    const samples = fc.sample(arbHostTensor([3, 2] as const, { dtype: 'i32', min: 0, max: 4 }), {
      numRuns: 50,
      seed: 2,
    });
    expect(memory().cpu?.tensors ?? 0).toBe(before);
    for (const s of samples) for (const v of s.data) expect(v >= 0 && v <= 4).toBe(true);
    const t = scope(() => {
      const made = samples[0]!.toTensor();
      expect(made.dtype).toBe('i32');
      return 0;
    });
    expect(t).toBe(0);
    expect(memory().cpu?.tensors ?? 0).toBe(before);
  });

  it('arbShape, arbBroadcastPair and arbMatmulPair produce valid shapes', () => {
    for (const s of fc.sample(arbShape(3, { maxDim: 5 }), { numRuns: 30, seed: 3 })) {
      expect(s).toHaveLength(3);
      for (const d of s) expect(d >= 1 && d <= 5).toBe(true);
    }
    for (const { a, b, out } of fc.sample(arbBroadcastPair(), { numRuns: 50, seed: 4 })) {
      const r = Math.max(a.length, b.length);
      expect(out).toHaveLength(r);
      for (let i = 1; i <= r; i++) {
        const x = a[a.length - i] ?? 1;
        const y = b[b.length - i] ?? 1;
        expect(x === y || x === 1 || y === 1).toBe(true);
        expect(out[r - i]).toBe(Math.max(x, y));
      }
    }
    for (const { a, b, out } of fc.sample(arbMatmulPair({ vectors: true }), { numRuns: 50, seed: 5 })) {
      const y = scope(() => [...(matmul(zeros(a) as Tensor, zeros(b) as never) as Tensor).shape]);
      expect(y).toEqual(out);
    }
  });

  it('arbConvConfig yields configurations with a non-empty output', () => {
    const configs = fc.sample(
      arbConvConfig({ maxLhsDilation: 2, negativePadding: true, spatial: { min: 1, max: 3 } }),
      { numRuns: 100, seed: 6 },
    );
    for (const c of configs) {
      expect(c.lhs[1]).toBe(c.rhs[1]! * c.params.groups);
      expect(c.rhs[0]! % c.params.groups).toBe(0);
      for (const d of c.out) expect(d).toBeGreaterThanOrEqual(1);
    }
  });

  it('arbKey yields i32[2] keys', () => {
    fc.assert(
      fc.property(arbKey(), (k) => {
        expect(k.dtype).toBe('i32');
        expect(k.shape).toEqual([2]);
      }),
      { numRuns: 5, seed: 7 },
    );
  });
});

/**
 * The transposition identity <vjp(u), v> = <u, jvp(v)> for every linear primitive, in each
 * operand it is linear in (the others fixed), and linearity of the pullback:
 * pullback(a u1 + b u2) = a pullback(u1) + b pullback(u2).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as lax from '../src/core/lax.ts';
import type { Tensor } from '../src/index.ts';
import { add, jvp, mul, scope, tensor, vjp } from '../src/index.ts';
import { dot, expectClose, randomLike, values } from './helpers.ts';
import type { PrimCase } from './prim-cases.ts';
import { LINEAR_PRIMS, primCases, withData } from './prim-cases.ts';

function checkTransposition(pc: PrimCase, args: Tensor[], seed: number): number {
  const tol = pc.check?.eps ? 1e-6 : 1e-11;
  let checked = 0;
  for (const i of pc.linearIn ?? []) {
    const f = (x: Tensor) => pc.fn(...args.map((a, k) => (k === i ? x : a)));
    const x = args[i]!;
    const v = randomLike(x, seed + i);
    const [y, pullback] = vjp(f, x);
    const u = randomLike(y, seed + 100 + i);
    const [ct] = pullback(u);
    const [, jv] = jvp(f, [x], [v]);
    const left = dot(ct, v);
    const right = dot(u, jv);
    const scale = Math.max(left.scale, right.scale);
    if (Math.abs(left.value - right.value) > tol * (1 + scale))
      throw new Error(
        `operand ${i}: <vjp(u), v> = ${left.value} but <u, jvp(v)> = ${right.value} (${pc.label})`,
      );
    // The pullback is linear in the cotangent.
    const u2 = randomLike(y, seed + 200 + i);
    const [ct2] = pullback(u2);
    const [ctSum] = pullback(add(mul(u, 2), mul(u2, -3)) as Tensor);
    const expected = values(ct).map((a, k) => 2 * a - 3 * values(ct2)[k]!);
    expectClose(values(ctSum), expected, tol * 10);
    checked++;
  }
  return checked;
}

describe('transposition identity <vjp(u), v> = <u, jvp(v)> (f64)', () => {
  for (const prim of LINEAR_PRIMS) {
    it(prim, () => {
      let checked = 0;
      fc.assert(
        fc.property(withData(primCases[prim]), fc.integer({ min: 0, max: 2 ** 30 }), ({ pc, data }, seed) => {
          checked += scope(() =>
            checkTransposition(
              pc,
              data.map((h) => h.toTensor()),
              seed,
            ),
          );
        }),
        { numRuns: 20, seed: 7 },
      );
      expect(checked).toBeGreaterThan(0);
    });
  }

  const f64 = (shape: number[], seed: number) =>
    randomLike(
      tensor(new Float64Array(shape.reduce((a, b) => a * b, 1)), shape, { dtype: 'f64' }) as Tensor,
      seed,
    );

  it('conv_general with stride, padding, lhs and rhs dilation and groups (fixed cases)', () => {
    const cases = [
      {
        x: [2, 4, 7, 6],
        w: [6, 2, 3, 2],
        p: {
          strides: [2, 3],
          padding: [
            [1, 2],
            [0, 1],
          ] as [number, number][],
          lhsDilation: [1, 1],
          rhsDilation: [2, 1],
          groups: 2,
        },
      },
      {
        x: [1, 3, 5],
        w: [3, 1, 2],
        p: {
          strides: [1],
          padding: [[-1, 2]] as [number, number][],
          lhsDilation: [2],
          rhsDilation: [3],
          groups: 3,
        },
      },
      {
        x: [2, 2, 4, 4],
        w: [4, 2, 3, 3],
        p: {
          strides: [2, 1],
          padding: [
            [2, 2],
            [1, 0],
          ] as [number, number][],
          lhsDilation: [2, 3],
          rhsDilation: [1, 2],
          groups: 1,
        },
      },
    ];
    scope(() => {
      cases.forEach((c, k) => {
        const args = [f64(c.x, k), f64(c.w, k + 10)];
        const n = checkTransposition(
          {
            label: `conv ${k}`,
            data: fc.constant([]),
            fn: (x, w) => lax.convGeneral(x, w, c.p),
            linearIn: [0, 1],
          },
          args,
          k,
        );
        expect(n).toBe(2);
      });
      return 0;
    });
  });

  it('dot_general with batch dims in the middle and several contracting dims (fixed case)', () => {
    const p = { lhsContract: [3, 0], rhsContract: [0, 2], lhsBatch: [1], rhsBatch: [3] };
    scope(() => {
      const args = [f64([3, 2, 4, 5], 1), f64([5, 6, 3, 2], 2)];
      const pc: PrimCase = {
        label: 'dot',
        data: fc.constant([]),
        fn: (a, b) => lax.dotGeneral(a, b, p),
        linearIn: [0, 1],
      };
      expect(checkTransposition(pc, args, 3)).toBe(2);
      return 0;
    });
  });
});

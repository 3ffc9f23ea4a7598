/**
 * The CPU backend's fast kernels (blocked gemm behind dot_general, im2col conv) agree with
 * naive loops written from the definitions, on random small shapes and parameters. Values are
 * small integers in f64, so both sides are exact and must match exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convOutSize, naiveConv, naiveDotGeneral } from '../src/backends/cpu/reference.ts';
import { run } from '../src/backends/cpu/test-helpers.ts';
import type { PrimParams } from '../src/core/primitives.ts';

const ints = (n: number) => fc.array(fc.integer({ min: -8, max: 8 }), { minLength: n, maxLength: n });
const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function dotCase(M: number, N: number, K: number, B: number, transA: boolean, transB: boolean) {
  const aShape = transA ? [B, K, M] : [B, M, K];
  const bShape = transB ? [B, N, K] : [B, K, N];
  const p: PrimParams['dot_general'] = {
    lhsContract: [transA ? 1 : 2],
    rhsContract: [transB ? 2 : 1],
    lhsBatch: [0],
    rhsBatch: [0],
  };
  return { aShape, bShape, p };
}

describe('cpu dot_general = naive loops', () => {
  it('on random shapes and transposed layouts (direct and blocked paths)', () => {
    fc.assert(
      fc.property(
        fc.record({
          M: fc.integer({ min: 1, max: 40 }),
          N: fc.integer({ min: 1, max: 40 }),
          K: fc.integer({ min: 0, max: 40 }),
          B: fc.integer({ min: 1, max: 2 }),
          transA: fc.boolean(),
          transB: fc.boolean(),
          seed: fc.integer(),
        }),
        ({ M, N, K, B, transA, transB, seed }) => {
          const { aShape, bShape, p } = dotCase(M, N, K, B, transA, transB);
          const rand = fc.sample(fc.tuple(ints(prod(aShape)), ints(prod(bShape))), { numRuns: 1, seed })[0]!;
          const [a, b] = rand;
          const ref = naiveDotGeneral(a, aShape, b, bShape, p);
          const got = run(
            'dot_general',
            [
              { data: a, shape: aShape, dtype: 'f64' },
              { data: b, shape: bShape, dtype: 'f64' },
            ],
            p,
            ref.shape,
            'f64',
          );
          expect(got).toEqual(ref.data);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('cpu conv_general = naive loops', () => {
  const axis = fc.record({
    size: fc.integer({ min: 1, max: 7 }),
    win: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 3 }),
    lo: fc.integer({ min: -2, max: 3 }),
    hi: fc.integer({ min: -2, max: 3 }),
    lhsDil: fc.integer({ min: 1, max: 3 }),
    rhsDil: fc.integer({ min: 1, max: 2 }),
  });
  it('on random 1-d, 2-d and 3-d shapes, strides, padding, dilations and groups', () => {
    fc.assert(
      fc.property(
        fc.record({
          axes: fc.array(axis, { minLength: 1, maxLength: 3 }),
          N: fc.integer({ min: 1, max: 2 }),
          groups: fc.integer({ min: 1, max: 3 }),
          cg: fc.integer({ min: 1, max: 3 }),
          og: fc.integer({ min: 1, max: 3 }),
          seed: fc.integer(),
        }),
        ({ axes, N, groups, cg, og, seed }) => {
          const p: PrimParams['conv_general'] = {
            strides: axes.map((a) => a.stride),
            padding: axes.map((a) => [a.lo, a.hi] as const),
            lhsDilation: axes.map((a) => a.lhsDil),
            rhsDilation: axes.map((a) => a.rhsDil),
            groups,
          };
          const outSp = axes.map((a) =>
            convOutSize(a.size, a.win, a.stride, [a.lo, a.hi], a.lhsDil, a.rhsDil),
          );
          fc.pre(outSp.every((n) => n > 0));
          const xShape = [N, cg * groups, ...axes.map((a) => a.size)];
          const wShape = [og * groups, cg, ...axes.map((a) => a.win)];
          const [x, w] = fc.sample(fc.tuple(ints(prod(xShape)), ints(prod(wShape))), {
            numRuns: 1,
            seed,
          })[0]!;
          const ref = naiveConv(x, xShape, w, wShape, p);
          const got = run(
            'conv_general',
            [
              { data: x, shape: xShape, dtype: 'f64' },
              { data: w, shape: wShape, dtype: 'f64' },
            ],
            p,
            ref.shape,
            'f64',
          );
          expect(got).toEqual(ref.data);
        },
      ),
      { numRuns: 80 },
    );
  });
});

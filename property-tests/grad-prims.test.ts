/**
 * Every primitive's jvp and vjp against central finite differences (f64, CPU), on random
 * shapes, parameters and values (fast-check, fixed seed; the seed and the failing case
 * are printed on failure). Non-differentiable primitives must have a zero tangent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFloat } from '../src/core/dtype.ts';
import { PRIM_NAMES } from '../src/core/primitives.ts';
import type { Tensor } from '../src/index.ts';
import { jvp, scope, tensor } from '../src/index.ts';
import { checkGrads } from '../src/testing/index.ts';
import { NON_DIFFERENTIABLE, primCases, withData } from './prim-cases.ts';

const RUNS = 15;

describe('primitive derivatives match finite differences (f64)', () => {
  for (const prim of PRIM_NAMES) {
    if (NON_DIFFERENTIABLE.includes(prim) && prim !== 'sign') continue;
    it(`${prim}: jvp and vjp`, () => {
      let compared = 0;
      fc.assert(
        fc.property(withData(primCases[prim]), ({ pc, data }) => {
          scope(() => {
            const args = data.map((h) => h.toTensor());
            compared += checkGrads(pc.fn, args, { ...pc.check, directions: 2, allowEmpty: true }).compared;
            return 0;
          });
        }),
        { numRuns: RUNS, seed: 42 },
      );
      expect(compared).toBeGreaterThan(RUNS);
    });
  }
});

describe('primitive second derivatives match finite differences of the first (f64)', () => {
  for (const prim of PRIM_NAMES) {
    if (NON_DIFFERENTIABLE.includes(prim) && prim !== 'sign') continue;
    it(`${prim}: jvp/vjp of jvp/vjp`, () => {
      fc.assert(
        fc.property(withData(primCases[prim]), ({ pc, data }) => {
          scope(() => {
            checkGrads(
              pc.fn,
              data.map((h) => h.toTensor()),
              { ...pc.check, order: 2, directions: 1, maxJacobian: 12, allowEmpty: true },
            );
            return 0;
          });
        }),
        { numRuns: 5, seed: 44 },
      );
    });
  }
});

describe('non-differentiable primitives have zero tangents', () => {
  for (const prim of NON_DIFFERENTIABLE) {
    it(`${prim}: the jvp tangent is zero`, () => {
      fc.assert(
        fc.property(withData(primCases[prim]), ({ pc, data }) => {
          scope(() => {
            const args = data.map((h) => h.toTensor());
            // Ones as the tangent of every float operand; integer operands' tangents are ignored.
            const tangents = args.map((a) =>
              isFloat(a.dtype)
                ? tensor(new Float64Array(a.size).fill(1), a.shape as number[], { dtype: 'f64' })
                : a,
            );
            const [y, ty] = jvp(pc.fn, args, tangents as Tensor[]);
            expect(ty.shape).toEqual(y.shape);
            expect(ty.dtype).toBe(y.dtype);
            for (const v of Array.from(ty.dataSync() as ArrayLike<number>)) expect(v).toBe(0);
            return 0;
          });
        }),
        { numRuns: 8, seed: 43 },
      );
    });
  }
});

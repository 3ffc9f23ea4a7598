/**
 * vmap(f)(xs) equals stacking f over the slices, for every primitive's batching rule: each
 * operand batched or not, along a random in-axis, with a random out-axis. For the
 * primitives whose rules have several branches (dot_general, conv_general, gather,
 * scatter_add, select …) every combination of batched operands is reached.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRIM_NAMES } from '../src/core/primitives.ts';
import type { Tensor } from '../src/index.ts';
import { jacfwd, jacrev, scope, vmap } from '../src/index.ts';
import { expectClose, stackHost, stackValues, values } from './helpers.ts';
import type { Host, PrimCase } from './prim-cases.ts';
import { NON_DIFFERENTIABLE, primCases, withData } from './prim-cases.ts';

interface BatchCase {
  readonly pc: PrimCase;
  readonly slices: Host[][];
  readonly batched: boolean[];
  readonly axisSeeds: number[];
  readonly outSeed: number;
}

const batchCase = (prim: (typeof PRIM_NAMES)[number]): fc.Arbitrary<BatchCase> =>
  primCases[prim].chain((pc) =>
    fc
      .record({
        b: fc.integer({ min: 1, max: 3 }),
        first: pc.data,
        batched: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        axisSeeds: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
        outSeed: fc.nat(),
      })
      .chain(({ b, first, batched, axisSeeds, outSeed }) =>
        fc.array(pc.data, { minLength: b - 1, maxLength: b - 1 }).map((rest) => {
          const n = first.length;
          const mask = batched.slice(0, n);
          if (!mask.some(Boolean)) mask[0] = true;
          return { pc, slices: [first, ...rest], batched: mask, axisSeeds: axisSeeds.slice(0, n), outSeed };
        }),
      ),
  );

function checkBatching(c: BatchCase): string {
  const { pc, slices, batched } = c;
  const B = slices.length;
  const inAxes = slices[0]!.map((h, i) => (batched[i] ? c.axisSeeds[i]! % (h.shape.length + 1) : null));
  const args = slices[0]!.map((_, i) =>
    batched[i]
      ? stackHost(
          slices.map((s) => s[i]!),
          inAxes[i]!,
        )
      : slices[0]![i]!.toTensor(),
  );
  // Reference: f on each slice (unbatched operands take the first slice's value).
  const outs = slices.map((s) => pc.fn(...s.map((h, i) => (batched[i] ? h.toTensor() : args[i]!))));
  const outAxis = c.outSeed % (outs[0]!.ndim + 1);
  const expected = stackValues(outs, outAxis);
  const got = vmap(pc.fn, { inAxes, outAxes: outAxis })(...args) as Tensor;
  expect(got.shape).toEqual(expected.shape);
  expect(got.dtype).toBe(outs[0]!.dtype);
  expectClose(values(got), expected.data, 1e-12);
  expect(B).toBe(expected.shape[outAxis]);
  return batched.map((b) => (b ? 'B' : '-')).join('');
}

/** The primitives whose batching rules branch on which operands are batched. */
const ALL_COMBINATIONS = new Set([
  'dot_general',
  'conv_general',
  'gather',
  'scatter_add',
  'select',
  'add',
  'pow',
]);

describe('vmap(f) equals stacking f over slices, for every batching rule', () => {
  for (const prim of PRIM_NAMES) {
    it(prim, () => {
      const seen = new Set<string>();
      fc.assert(
        fc.property(batchCase(prim), (c) => {
          seen.add(scope(() => checkBatching(c)));
        }),
        { numRuns: ALL_COMBINATIONS.has(prim) ? 30 : 12, seed: 11 },
      );
      if (ALL_COMBINATIONS.has(prim)) {
        const n = prim === 'select' || prim === 'scatter_add' ? 3 : 2;
        expect(seen.size).toBe(2 ** n - 1);
      }
    });
  }
});

describe('vmap of derivatives: jacfwd (vmap of jvp) equals jacrev (vmap of the pullback)', () => {
  for (const prim of PRIM_NAMES) {
    if (NON_DIFFERENTIABLE.includes(prim)) continue;
    it(prim, () => {
      fc.assert(
        fc.property(withData(primCases[prim]), ({ pc, data }) => {
          scope(() => {
            const args = data.map((h) => h.toTensor());
            const i = args.findIndex((a) => a.dtype === 'f64');
            const f = (x: Tensor) => pc.fn(...args.map((a, k) => (k === i ? x : a)));
            if (f(args[i]!).dtype !== 'f64') return 0; // casts to i32/bool: no Jacobian
            const fwd = jacfwd(f)(args[i]!);
            const rev = jacrev(f)(args[i]!);
            expect(rev.shape).toEqual(fwd.shape);
            expectClose(values(rev), values(fwd), 1e-12);
            return 0;
          });
        }),
        { numRuns: 6, seed: 13 },
      );
    });
  }
});

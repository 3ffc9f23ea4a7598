/**
 * padSumsToConcat: the transposed slices of a tiled value (a sum of zero pads) become one
 * concatenation, with the same values; sums that leave a gap, overlap, or pad along two
 * axes are left as they are.
 */
import { describe, expect, it } from 'vitest';
import { add, grad, jit, mul, type Scalar, sin, slice, sum, type Tensor, tanh, tensor } from '../index.ts';
import { evalJaxpr, type Jaxpr } from './jaxpr.ts';
import { padSumsToConcat } from './pad-concat.ts';

const x = tensor(
  Float64Array.from({ length: 12 }, (_, i) => Math.cos(i * 0.9)),
  [2, 6],
  { dtype: 'f64' },
);
const prims = (j: Jaxpr) => j.eqns.map((e) => e.prim);

/** The gradient program of Σ tanh(x[:, a]) · sin(x[:, b]) … over the given column ranges. */
function gradProgram(ranges: [number, number][]) {
  const f = (t: Tensor): Scalar => {
    const parts = ranges.map(([a, b], k) => {
      const piece = slice(t, [null, [a, b]]);
      return sum(mul(k % 2 ? sin(piece) : tanh(piece), piece));
    });
    return parts.reduce((s, p) => add(s, p)) as Scalar;
  };
  return jit(grad(f)).lower(x);
}

describe('padSumsToConcat', () => {
  it('turns the sum of pads that tile the value into one concatenation, same values', () => {
    const program = gradProgram([
      [4, 6],
      [0, 1],
      [1, 4],
    ]);
    expect(prims(program.jaxpr)).toContain('pad');
    const rewritten = padSumsToConcat(program.jaxpr);
    expect(prims(rewritten)).not.toContain('pad');
    expect(prims(rewritten).filter((p) => p === 'concatenate')).toHaveLength(1);
    const [want] = evalJaxpr(program.jaxpr, program.consts, [x]);
    const [got] = evalJaxpr(rewritten, program.consts, [x]);
    expect(Array.from(got!.dataSync())).toEqual(Array.from(want!.dataSync()));
  });

  it('leaves sums with a gap or an overlap as they are', () => {
    for (const ranges of [
      [
        [0, 2],
        [3, 6],
      ],
      [
        [0, 4],
        [2, 6],
      ],
    ] as [number, number][][]) {
      const program = gradProgram(ranges);
      expect(padSumsToConcat(program.jaxpr)).toBe(program.jaxpr);
    }
  });
});

/**
 * Unfused elementwise primitives on the fused-group SIMD kernel (`fused-kernel.ts`): a
 * primitive is a one-step group over contiguous operands, so its module has no baked
 * extents and one module per primitive (and compare op, and dtypes) serves every size.
 * Same ops, same exactness rule: the results equal the JS kernels' bit for bit.
 */
import type { DType } from '../../../core/dtype.ts';
import type { ProgramEqn, ProgramVar } from '../../backend.ts';
import type { FusionGroup } from '../../fusion-plan.ts';
import { type FusedWasm, fusedWasm } from './fused-run.ts';

/** Outputs smaller than this stay on the JS kernels (the copies and the call cost more). */
export const SIMD_ELEMENTWISE_MIN_SIZE = 1024;

/** Runners by primitive signature; undefined where the primitive has no exact SIMD twin. */
const runners = new Map<string, FusedWasm | undefined>();

function runner(
  prim: string,
  ins: readonly DType[],
  outDtype: DType,
  params: unknown,
): FusedWasm | undefined {
  const key = `${prim} ${ins.join(',')} ${outDtype} ${JSON.stringify(params)}`;
  if (runners.has(key)) return runners.get(key);
  // the shape is a placeholder: a contiguous one-step group coalesces to one dim, `rows` long
  const v = (dtype: DType): ProgramVar => ({ aval: { shape: [SIMD_ELEMENTWISE_MIN_SIZE], dtype } });
  const inputs = ins.map(v);
  const out = v(outDtype);
  const eqn: ProgramEqn = { prim, inputs, params, outs: [out] };
  const names = ins.map((_, i) => `x${i}`);
  const group: FusionGroup = {
    eqns: [0],
    own: [],
    extra: inputs,
    out,
    epi: {
      shape: out.aval.shape,
      loads: names.map((name, bind) => ({ name, bind })),
      steps: [{ name: 'y', eqn: 0, args: names }],
      result: 'y',
      memo: new Map(),
    },
  };
  const r = fusedWasm(group, [eqn]);
  runners.set(key, r);
  return r;
}

/**
 * The SIMD runner of an elementwise primitive on `size` elements, or undefined where the JS
 * kernel runs it (no exact SIMD twin, or fewer than `SIMD_ELEMENTWISE_MIN_SIZE` elements).
 * `run(xs, out, size)` writes the whole output.
 *
 * @example
 * const r = simdElementwise('mul', ['f32', 'f32'], 'f32', {}, a.length);
 * if (r) r.run([a, b], out, a.length);
 */
export function simdElementwise(
  prim: string,
  dtypes: readonly DType[],
  outDtype: DType,
  params: unknown,
  size: number,
): FusedWasm | undefined {
  return size < SIMD_ELEMENTWISE_MIN_SIZE ? undefined : runner(prim, dtypes, outDtype, params);
}

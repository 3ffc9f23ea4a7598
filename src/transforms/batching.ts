import { formatShape } from '../core/aval.ts';
import * as lax from '../core/lax.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import { countLeaves as countOf, flatten, unflatten } from '../core/pytree.ts';
import { withOwnedScope } from '../core/scope.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Params } from '../core/trace.ts';
import { bind, Trace, Tracer, withMainTrace } from '../core/trace.ts';
import { agreeBatch } from '../shapes/vmap.ts';
import { batchRules, moveBatchAxis } from './batch-rules.ts';
import type { VmapOptions, Vmapped } from './vmap-types.ts';

export type { VmapOptions } from './vmap-types.ts';

/**
 * Vectorising map: each value carries the axis (or none) along which it is batched; each
 * primitive's batching rule computes the batched result directly, with no loop.
 */
export type BDim = number | null;
export type BatchRule = (
  args: readonly Tensor[],
  dims: readonly BDim[],
  params: Params,
) => [Tensor[], BDim[]];

const structuredRules = new Map<string, BatchRule>();
export function registerBatchRule(prim: string, rule: BatchRule): void {
  structuredRules.set(prim, rule);
}

export class BatchTracer extends Tracer {
  constructor(
    readonly _trace: Trace,
    readonly value: Tensor,
    readonly bdim: BDim,
  ) {
    super({
      shape: bdim === null ? value.shape : value.shape.filter((_, i) => i !== bdim),
      dtype: value.dtype,
    });
  }
}

class BatchTrace extends Trace {
  pure(x: Tensor): Tensor {
    return new BatchTracer(this, x, null);
  }
  lift(x: Tensor): Tensor {
    return this.pure(x);
  }
  process(prim: string, args: readonly Tensor[], params: Params): Tensor[] {
    const tracers = args as readonly BatchTracer[];
    const values = tracers.map((t) => t.value);
    const dims = tracers.map((t) => t.bdim);
    if (dims.every((d) => d === null)) {
      return bind(prim, values, params).map((o) => new BatchTracer(this, o, null));
    }
    const rule =
      structuredRules.get(prim) ?? (batchRules as unknown as Record<string, BatchRule | undefined>)[prim];
    if (!rule) throw new Error(`vmap: no batching rule for primitive '${prim}'`);
    const [outs, outDims] = rule(values, dims, params);
    return outs.map((o, i) => new BatchTracer(this, o, outDims[i]!));
  }
}

/** Flat vmap over leaves with per-leaf input axes; outputs batched along `outAxes`. */
export function vmapFlat(
  fn: (args: Tensor[]) => readonly Tensor[],
  args: readonly Tensor[],
  inAxes: readonly BDim[],
  outAxes: readonly BDim[] | BDim,
  size: number,
): Tensor[] {
  return withMainTrace('vmap', BatchTrace, size, (main) => {
    const trace = new BatchTrace(main);
    const outs = fn(args.map((a, i) => new BatchTracer(trace, a, inAxes[i] ?? null)));
    return outs.map((o, i) => {
      let axis = Array.isArray(outAxes) ? (outAxes[i] ?? 0) : (outAxes as BDim);
      let value: Tensor;
      let bdim: BDim;
      if (o instanceof BatchTracer && o._trace.main === main) {
        value = o.value;
        bdim = o.bdim;
      } else {
        value = o;
        bdim = null;
      }
      if (axis === null) {
        if (bdim !== null) throw new Error('vmap: an output with outAxes null depends on the mapped axis');
        return value;
      }
      // The batched output has one more dim than the per-example one: axis is in [0, rank].
      const rank = value.ndim - (bdim === null ? 0 : 1);
      if (axis < -(rank + 1) || axis > rank)
        throw new Error(
          `vmap: outAxes ${axis} is out of range for output ${i} of rank ${rank} (use an axis in [${-(rank + 1)}, ${rank}])`,
        );
      if (axis < 0) axis += rank + 1;
      if (bdim === null) {
        // An output that does not depend on the mapped inputs is broadcast along the axis.
        const shape = [...(value.shape as readonly number[])];
        shape.splice(axis, 0, size);
        const dims = value.shape.map((_, j) => (j < axis ? j : j + 1));
        return lax.broadcastInDim(value, shape, dims);
      }
      return moveBatchAxis(value, bdim, axis);
    });
  });
}

/**
 * `vmap(f)` maps `f` over a leading (or chosen) axis of its arguments, without a loop. Typed:
 * each argument is f's parameter with the batch dim added at its in-axis (`inAxes`: one axis
 * for all, `null` for unmapped, or one per argument), each output gains it at `outAxes`
 * (default 0), and mapped arguments with different literal batch sizes do not compile.
 *
 * @param f the per-example function (its arguments and result may be pytrees of tensors)
 * @param opts `inAxes`, `outAxes`
 * @returns the batched function
 * @example
 * ```ts
 * import { matmul, type Tensor, tensor, vmap, zeros } from 'typegrad';
 *
 * const m = tensor([[1, 0], [0, 2]]);
 * const apply = (v: Tensor<[2]>) => matmul(m, v); // one example: [2] -> [2]
 * const ys = vmap(apply)(tensor([[1, 1], [2, 3], [0, 1]])); // a batch: [3, 2] -> [3, 2]
 * console.log(ys.toArray()); // [[1, 2], [2, 6], [0, 2]]
 * const cols: Tensor<[2, 5]> = vmap(apply, { inAxes: 1, outAxes: 1 })(zeros([2, 5]));
 * ```
 */
export function vmap<P extends unknown[], Out, const O extends VmapOptions = {}>(
  f: (...args: P) => Out,
  opts?: O,
): Vmapped<P, Out, O>;
export function vmap(
  f: (...args: unknown[]) => unknown,
  opts: VmapOptions = {},
): (...args: unknown[]) => unknown {
  checkOptions('vmap', opts, optionKeys<VmapOptions>({ inAxes: true, outAxes: true }));
  const outAxes = opts.outAxes;
  if (
    outAxes !== undefined &&
    outAxes !== null &&
    (typeof outAxes !== 'number' || !Number.isInteger(outAxes))
  )
    throw new Error(`vmap: outAxes must be an integer or null, got ${String(outAxes)}`);
  return (...args: unknown[]) => {
    const perArg = args.map((_, i) => {
      const ax = opts.inAxes;
      if (ax === undefined) return 0;
      if (ax === null || typeof ax === 'number') return ax;
      if (ax.length !== args.length)
        throw new Error(`vmap: inAxes has ${ax.length} entries for ${args.length} arguments`);
      return ax[i] ?? null;
    });
    const leafAxes: BDim[] = [];
    const leaves: Tensor[] = [];
    const defs = args.map((a, i) => {
      const [ls, def] = flatten(a);
      for (const l of ls) {
        const ax = perArg[i]!;
        leaves.push(l);
        leafAxes.push(ax === null ? null : ax < 0 ? ax + l.ndim : ax);
      }
      return def;
    });
    const sizes: number[] = [];
    leaves.forEach((l, i) => {
      const ax = leafAxes[i]!;
      if (ax === null) return;
      if (ax < 0 || ax >= l.ndim)
        throw new Error(
          `vmap: in axis ${ax} out of range for an argument of shape ${formatShape(l.shape as number[])}`,
        );
      sizes.push(l.shape[ax] as number);
    });
    const size = agreeBatch(sizes);
    let outDef = flatten(undefined)[1];
    // Owned: intermediates are freed when vmap returns, and on the error path too.
    const outs = withOwnedScope(
      () =>
        vmapFlat(
          (xs) => {
            let k = 0;
            const rebuilt = defs.map((def) => {
              const count = countOf(def);
              const part = xs.slice(k, k + count);
              k += count;
              return unflatten(def, part);
            });
            const [outLeaves, def] = flatten(f(...rebuilt));
            outDef = def;
            return outLeaves;
          },
          leaves,
          leafAxes,
          opts.outAxes === undefined ? 0 : opts.outAxes,
          size,
        ),
      (o) => o,
    );
    return unflatten(outDef, outs);
  };
}

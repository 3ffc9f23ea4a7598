import type { Aval } from '../core/aval.ts';
import { isFloat } from '../core/dtype.ts';

import type { Tensor } from '../core/tensor.ts';
import type { Params } from '../core/trace.ts';
import { bind, Trace, Tracer, withMainTrace } from '../core/trace.ts';
import { jvpRules } from './jvp-rules.ts';
import type { MaybeZero } from './zero.ts';
import { isZero, Zero } from './zero.ts';

/**
 * Forward-mode differentiation: each value carries a tangent (possibly a symbolic zero),
 * and each primitive's jvp rule maps primal and tangent inputs to outputs.
 */
export type JvpRule = (
  primals: readonly Tensor[],
  tangents: readonly MaybeZero[],
  params: Params,
) => [Tensor[], MaybeZero[]];

const structuredJvpRules = new Map<string, JvpRule>();
export function registerJvpRule(prim: string, rule: JvpRule): void {
  structuredJvpRules.set(prim, rule);
}

export class JvpTracer extends Tracer {
  constructor(
    readonly _trace: Trace,
    readonly primal: Tensor,
    readonly tangent: MaybeZero,
  ) {
    super(primal.aval);
  }
}

/** Tangents of non-float values are always zero. */
function tangentFor(aval: Aval, t: MaybeZero): MaybeZero {
  return isFloat(aval.dtype) ? t : new Zero(aval);
}

class JvpTrace extends Trace {
  pure(x: Tensor): Tensor {
    return new JvpTracer(this, x, new Zero(x.aval));
  }
  lift(x: Tensor): Tensor {
    return this.pure(x);
  }
  process(prim: string, args: readonly Tensor[], params: Params): Tensor[] {
    const tracers = args as readonly JvpTracer[];
    const primals = tracers.map((t) => t.primal);
    const tangents = tracers.map((t) => t.tangent);
    if (tangents.every(isZero)) {
      const outs = bind(prim, primals, params);
      return outs.map((o) => new JvpTracer(this, o, new Zero(o.aval)));
    }
    const rule =
      structuredJvpRules.get(prim) ?? (jvpRules as unknown as Record<string, JvpRule | undefined>)[prim];
    if (!rule) throw new Error(`jvp: no differentiation rule for primitive '${prim}'`);
    const [outs, outTangents] = rule(primals, tangents, params);
    return outs.map((o, i) => new JvpTracer(this, o, tangentFor(o.aval, outTangents[i]!)));
  }
}

/** Flat jvp: primals and tangents in, primal outputs and (possibly zero) tangents out. */
export function jvpFlat(
  fn: (args: Tensor[]) => readonly Tensor[],
  primals: readonly Tensor[],
  tangents: readonly MaybeZero[],
  name = 'jvp',
): [Tensor[], MaybeZero[]] {
  return withMainTrace(name, JvpTrace, null, (main) => {
    const trace = new JvpTrace(main);
    const ins = primals.map((p, i) => new JvpTracer(trace, p, tangentFor(p.aval, tangents[i]!)));
    const outs = fn(ins);
    const primalsOut: Tensor[] = [];
    const tangentsOut: MaybeZero[] = [];
    for (const o of outs) {
      if (o instanceof JvpTracer && o._trace.main === main) {
        primalsOut.push(o.primal);
        tangentsOut.push(o.tangent);
      } else {
        // An output that does not depend on the inputs has a zero tangent.
        primalsOut.push(o);
        tangentsOut.push(new Zero(o.aval));
      }
    }
    return [primalsOut, tangentsOut];
  });
}

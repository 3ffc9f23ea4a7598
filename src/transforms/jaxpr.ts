import type { FusedKernel } from '../backends/backend.ts';
import type { Aval } from '../core/aval.ts';
import { formatShape } from '../core/aval.ts';
import { currentBackend } from '../core/backend-registry.ts';
import { isBackendPrim, runOnBackend } from '../core/eval.ts';
import type { PrimName } from '../core/primitives.ts';
import { shapeRules } from '../core/shape-rules.ts';
import type { Tensor } from '../core/tensor.ts';
import type { MainTrace, Params } from '../core/trace.ts';
import { bind, currentLevel, Trace, Tracer, withMainTrace } from '../core/trace.ts';
import { freeSchedule } from './liveness.ts';

/**
 * The program IR (a jaxpr): typed variables, equations applying primitives, constants
 * captured from outside. `jit`, `linearize`, `scan` and `customVjp` build programs by
 * staging: running a function on tracers that record each primitive instead of computing.
 */
let nextVarId = 0;
/**
 * A typed variable of a program: printed `v12`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { jit, mul, type Tensor, tensor } from 'typegrad';
 * const program = jit((x: Tensor<[2]>) => mul(x, x)).lower(tensor([1, 2]));
 * const [v] = program.jaxpr.inVars;
 * assert.deepEqual(v!.aval, { shape: [2], dtype: 'f32' });
 * ```
 */
export class Var {
  /** Unique within the process: the number in the printed name. */
  readonly id = nextVarId++;
  constructor(
    /** The variable's shape and dtype. */
    readonly aval: Aval,
  ) {}
  /**
   * The printed name, `v` and the id.
   *
   * @example
   * ```ts
   * import assert from 'node:assert/strict';
   * import { jit, type Tensor, tensor } from 'typegrad';
   * const [v] = jit((x: Tensor<[2]>) => x).lower(tensor([1, 2])).jaxpr.inVars;
   * assert.equal(String(v), `v${v!.id}`);
   * ```
   */
  toString(): string {
    return `v${this.id}`;
  }
}

/** One equation of a program: `outs = prim[params](inputs)`. */
export interface Eqn {
  /** The primitive's name (`mul`, `dot_general`, `scan` …). */
  readonly prim: string;
  /** The variables it reads. */
  readonly inputs: readonly Var[];
  /** The primitive's static parameters (axes, shapes, a body program …). */
  readonly params: Params;
  /** The variables it defines. */
  readonly outs: readonly Var[];
}

/** A program (JAX's jaxpr): inputs, equations in order, outputs. */
export interface Jaxpr {
  /** Variables bound to the captured constants (`ClosedJaxpr.consts`). */
  readonly constVars: readonly Var[];
  /** The inputs, one per flattened argument leaf. */
  readonly inVars: readonly Var[];
  /** The equations, in execution order. */
  readonly eqns: readonly Eqn[];
  /** The outputs, one per flattened result leaf. */
  readonly outVars: readonly Var[];
}

/** A program with its captured constants. */
export interface ClosedJaxpr {
  /** The program. */
  readonly jaxpr: Jaxpr;
  /** The constants, one per `jaxpr.constVars` entry. */
  readonly consts: readonly Tensor[];
}

// ---- abstract evaluation of every primitive (backend ones and structured ones) ----

type AbstractEval = (inputs: readonly Aval[], params: Params) => Aval[];
const structuredAbstractEval = new Map<string, AbstractEval>();

export function registerAbstractEval(prim: string, rule: AbstractEval): void {
  structuredAbstractEval.set(prim, rule);
}

export function abstractEval(prim: string, inputs: readonly Aval[], params: Params): Aval[] {
  const structured = structuredAbstractEval.get(prim);
  if (structured) return structured(inputs, params);
  if (!isBackendPrim(prim)) throw new Error(`unknown primitive '${prim}'`);
  const rule = shapeRules[prim as PrimName] as (i: readonly Aval[], p: Params) => Aval;
  return [rule(inputs, params)];
}

// ---- the staging trace ----

class Builder {
  readonly eqns: Eqn[] = [];
  readonly vars = new Map<Tensor, Var>();
  readonly constVars = new Map<Tensor, Var>();
  readonly constTracers = new Map<Tensor, Tensor>();

  varOf(t: Tensor): Var {
    const v = this.vars.get(t);
    if (!v) throw new Error(`internal: tracer ${t.describe()} has no variable`);
    return v;
  }
}

class StagingTracer extends Tracer {
  constructor(
    readonly _trace: Trace,
    aval: Aval,
  ) {
    super(aval);
  }
}

export class StagingTrace extends Trace {
  get builder(): Builder {
    return this.main.globalData as Builder;
  }

  newArg(aval: Aval): Tensor {
    const t = new StagingTracer(this, aval);
    this.builder.vars.set(t, new Var(aval));
    return t;
  }

  /** A value from outside the program (concrete, or a lower-level tracer) becomes a constant. */
  pure(x: Tensor): Tensor {
    const b = this.builder;
    const existing = b.constTracers.get(x);
    if (existing) return existing;
    const t = new StagingTracer(this, x.aval);
    const v = new Var(x.aval);
    b.vars.set(t, v);
    b.constVars.set(x, v);
    b.constTracers.set(x, t);
    return t;
  }

  lift(x: Tensor): Tensor {
    return this.pure(x);
  }

  process(prim: string, args: readonly Tensor[], params: Params): Tensor[] {
    const b = this.builder;
    const outAvals = abstractEval(
      prim,
      args.map((a) => a.aval),
      params,
    );
    const outs = outAvals.map((a) => new StagingTracer(this, a));
    const outVars = outAvals.map((a) => new Var(a));
    outs.forEach((t, i) => {
      b.vars.set(t, outVars[i]!);
    });
    b.eqns.push({ prim, inputs: args.map((a) => b.varOf(a)), params, outs: outVars });
    return outs;
  }
}

/**
 * Stages `fn` into a program over inputs of the given avals. With `dynamic`, every
 * primitive is recorded, even on constants (jit); without it, only the computation that
 * depends on the inputs is (linearize), and the rest runs now.
 */
export function stage(
  name: string,
  inAvals: readonly Aval[],
  fn: (args: Tensor[]) => readonly Tensor[],
  opts: { dynamic: boolean },
): ClosedJaxpr {
  const builder = new Builder();
  return withMainTrace(
    name,
    StagingTrace,
    builder,
    (main: MainTrace) => {
      const trace = new StagingTrace(main);
      const args = inAvals.map((a) => trace.newArg(a));
      const outs = fn(args);
      const outVars = outs.map((o) => builder.vars.get(o) ?? builder.varOf(raise(trace, o)));
      return {
        jaxpr: {
          constVars: [...builder.constVars.values()],
          inVars: args.map((a) => builder.varOf(a)),
          eqns: builder.eqns,
          outVars,
        },
        consts: [...builder.constVars.keys()],
      };
    },
    { dynamic: opts.dynamic },
  );
}

function raise(trace: StagingTrace, o: Tensor): Tensor {
  if (o instanceof Tracer && o._trace.main === trace.main) return o;
  if (o instanceof Tracer && o._trace.main.level > trace.main.level)
    throw new Error(
      `${trace.main.name}: an output (${o.describe()}) is a value traced by an inner transform`,
    );
  return trace.pure(o);
}

/**
 * Runs a program on the given constants and inputs, binding each primitive anew. `fused`
 * (a plan from the current backend's `fuse`, concrete evaluation only) replaces groups of
 * equations by one kernel each.
 */
export function evalJaxpr(
  jaxpr: Jaxpr,
  consts: readonly Tensor[],
  args: readonly Tensor[],
  fused: readonly FusedKernel[] = [],
): Tensor[] {
  const run = new Evaluation(jaxpr, consts, args, fused);
  for (let i = 0; i < jaxpr.eqns.length; i++) run.step(i);
  return run.outputs();
}

/**
 * One evaluation of a program: its environment, fused groups and free schedule. `step(i)`
 * runs equation `i`; evalJaxpr steps through every equation, evalJaxprAsync (eval-async.ts)
 * the same, but computes some equations itself (awaiting) and hands `step` their outputs.
 */
export class Evaluation {
  private readonly env = new Map<Var, Tensor>();
  private readonly at = new Map<number, FusedKernel>();
  private readonly skip = new Set<number>();
  private readonly frees: ReadonlyMap<number, readonly Var[]> | undefined;
  private pinned: Set<Tensor> | undefined;

  constructor(
    private readonly jaxpr: Jaxpr,
    consts: readonly Tensor[],
    args: readonly Tensor[],
    fused: readonly FusedKernel[],
  ) {
    for (const k of fused) {
      this.at.set(k.eqns[k.eqns.length - 1]!, k);
      for (const i of k.eqns) this.skip.add(i);
    }
    jaxpr.constVars.forEach((v, i) => {
      this.env.set(v, consts[i]!);
    });
    jaxpr.inVars.forEach((v, i) => {
      this.env.set(v, args[i]!);
    });
    // Concrete evaluation frees intermediates after their last reader (liveness.ts).
    this.frees = currentLevel() === 0 ? freeSchedule(jaxpr, fused) : undefined;
  }

  /** Whether equation `i` runs as part of a fused kernel (not by itself). */
  isFused(i: number): boolean {
    return this.skip.has(i);
  }

  /** The values of equation `i`'s inputs. */
  inputs(i: number): Tensor[] {
    return this.jaxpr.eqns[i]!.inputs.map((v) => this.env.get(v)!);
  }

  /** Runs equation `i` (binding it, or taking `computed`, its outputs), then frees what died there. */
  step(i: number, computed?: readonly Tensor[]): void {
    const eqn = this.jaxpr.eqns[i]!;
    const k = this.at.get(i);
    if (k) {
      const ins = k.inputs.map((v) => this.env.get(v as Var)!);
      this.env.set(
        k.output as Var,
        runOnBackend(currentBackend(), 'fused', ins, k.output.aval, (_b, ops) => k.run(ops)),
      );
    } else if (!this.skip.has(i)) {
      const ins = this.inputs(i);
      const outs = computed ?? bind(eqn.prim, ins, eqn.params);
      eqn.outs.forEach((v, j) => {
        this.env.set(v, outs[j]!);
      });
      // A structured primitive may hand an input back as an output: that tensor lives on.
      if (this.frees && !isBackendPrim(eqn.prim)) {
        for (const o of outs) {
          if (!ins.includes(o)) continue;
          this.pinned ??= new Set();
          this.pinned.add(o);
        }
      }
    }
    const dead = this.frees?.get(i);
    if (dead) for (const v of dead) freeIntermediate(this.env.get(v), this.pinned);
  }

  /** The program's outputs. */
  outputs(): Tensor[] {
    return this.jaxpr.outVars.map((v) => this.env.get(v)!);
  }
}

/** Frees a concrete tensor a kernel made during this evaluation (never a tracer). */
function freeIntermediate(t: Tensor | undefined, pinned: ReadonlySet<Tensor> | undefined): void {
  if (t && !(t instanceof Tracer) && t._storage && !pinned?.has(t)) t.dispose();
}

/** Human-readable listing, for debugging and docs; nested programs (a scan's body) are indented. */
export function printJaxpr(jaxpr: Jaxpr, indent = ''): string {
  const ty = (v: Var) => `${v}:${v.aval.dtype}${formatShape(v.aval.shape)}`;
  const lines = jaxpr.eqns.flatMap((e) => {
    const simple: Record<string, unknown> = {};
    const nested: [string, Jaxpr][] = [];
    for (const [k, v] of Object.entries(e.params)) {
      const program = asJaxpr(v);
      if (program) nested.push([k, program]);
      else if (typeof v !== 'function') simple[k] = v;
    }
    const ps = Object.keys(simple).length ? ` ${JSON.stringify(simple)}` : '';
    return [
      `${indent}  ${e.outs.map(ty).join(' ')} = ${e.prim}${ps} ${e.inputs.join(' ')}`,
      ...nested.map(([k, j]) => `${indent}    ${k} = ${printJaxpr(j, `${indent}    `).trimStart()}`),
    ];
  });
  return [
    `${indent}{ lambda ${jaxpr.constVars.map(ty).join(' ')} ; ${jaxpr.inVars.map(ty).join(' ')} .`,
    ...lines,
    `${indent}  in (${jaxpr.outVars.join(', ')}) }`,
  ].join('\n');
}

/** A program parameter: a jaxpr, or a closed one. */
function asJaxpr(v: unknown): Jaxpr | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  if ('eqns' in v && 'inVars' in v) return v as Jaxpr;
  if ('jaxpr' in v) return asJaxpr((v as { jaxpr: unknown }).jaxpr);
  return undefined;
}

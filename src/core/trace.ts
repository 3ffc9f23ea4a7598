import type { Aval } from './aval.ts';
import { Tensor } from './tensor.ts';
import { setTraceDepth } from './trace-depth.ts';

/**
 * The interpreter stack (as in Autodidax). Each active transform owns a MainTrace at a
 * level; a primitive applied to values is handled by the highest-level trace among its
 * operands, which may in turn apply primitives to lower-level values. Level 0 evaluates
 * on a backend.
 */
export type Params = Readonly<Record<string, unknown>>;

export class MainTrace {
  active = true;
  constructor(
    readonly level: number,
    readonly traceType: new (main: MainTrace) => Trace,
    readonly globalData: unknown,
    readonly name: string,
  ) {}
}

export abstract class Trace {
  constructor(readonly main: MainTrace) {}
  /** Wraps a concrete value as a tracer of this trace. */
  abstract pure(x: Tensor): Tensor;
  /** Wraps a tracer of a lower-level trace. */
  abstract lift(x: Tensor): Tensor;
  /** Applies a primitive to this trace's values. */
  abstract process(prim: string, args: readonly Tensor[], params: Params): Tensor[];
}

/** A tensor standing for a value inside a transform. */
export abstract class Tracer extends Tensor {
  abstract readonly _trace: Trace;
  constructor(aval: Aval) {
    super(aval);
  }

  /** Reading a tracer's values: impossible inside its transform, an escape after it. */
  override _live(op: string): never {
    if (!this._trace.main.active) escaped(op, this);
    throw new Error(
      `${op}: cannot read the values of a traced tensor ${this.describe()} inside ${this._trace.main.name}; return it from the transformed function instead`,
    );
  }
}

type EvalFn = (prim: string, args: readonly Tensor[], params: Params) => Tensor[];
type EvalFn1 = (prim: string, args: readonly Tensor[], params: Params) => Tensor;
let evaluate: EvalFn = () => {
  throw new Error('no evaluator installed');
};
let evaluate1: EvalFn1 = (prim, args, params) => evaluate(prim, args, params)[0]!;
/**
 * The eager evaluator (core/eval.ts installs it; kept apart to avoid an import cycle), and
 * optionally its single-output form, which spares eager ops the result array.
 */
export function installEvaluator(fn: EvalFn, fn1?: EvalFn1): void {
  evaluate = fn;
  evaluate1 = fn1 ?? ((prim, args, params) => fn(prim, args, params)[0]!);
}

/** The parameters of a primitive that takes none (shared, so eager calls allocate none). */
const NO_PARAMS: Params = Object.freeze({});

class EvalTrace extends Trace {
  pure(x: Tensor): Tensor {
    return x;
  }
  lift(x: Tensor): Tensor {
    return x;
  }
  process(prim: string, args: readonly Tensor[], params: Params): Tensor[] {
    return evaluate(prim, args, params);
  }
}

const stack: MainTrace[] = [new MainTrace(0, EvalTrace, null, 'eval')];
/** A staging trace that every primitive goes to, even on constants (for jit). */
let dynamicMain: MainTrace | undefined;

export function withMainTrace<T>(
  name: string,
  traceType: new (main: MainTrace) => Trace,
  globalData: unknown,
  fn: (main: MainTrace) => T,
  opts: { dynamic?: boolean } = {},
): T {
  const main = new MainTrace(stack.length, traceType, globalData, name);
  stack.push(main);
  setTraceDepth(stack.length - 1);
  const prevDynamic = dynamicMain;
  if (opts.dynamic) dynamicMain = main;
  try {
    return fn(main);
  } finally {
    main.active = false;
    stack.pop();
    setTraceDepth(stack.length - 1);
    dynamicMain = prevDynamic;
  }
}

/** Runs `fn` with no dynamic (staging) trace, so constants are computed eagerly. */
export function withoutDynamic<T>(fn: () => T): T {
  const prev = dynamicMain;
  dynamicMain = undefined;
  try {
    return fn();
  } finally {
    dynamicMain = prev;
  }
}

function topMain(args: readonly Tensor[]): MainTrace {
  let top = dynamicMain ?? stack[0]!;
  for (const a of args) {
    if (a instanceof Tracer) {
      const m = a._trace.main;
      if (m.level > top.level) top = m;
    }
  }
  return top;
}

function escaped(prim: string, t: Tracer): never {
  throw new Error(
    `${prim}: a traced value from ${t._trace.main.name} (${t.describe()}) escaped its transform; ` +
      'values computed inside grad/vmap/jit must be returned, not kept in a closure and used later',
  );
}

function fullRaise(trace: Trace, x: Tensor, prim: string): Tensor {
  if (!(x instanceof Tracer)) {
    if (!x._storage) throw new Error(`${prim}: operand is neither a concrete tensor nor a tracer`);
    return trace.main.level === 0 ? x : trace.pure(x);
  }
  const m = x._trace.main;
  if (!m.active) escaped(prim, x);
  if (m === trace.main) return x;
  if (m.level < trace.main.level) return trace.lift(x);
  return escaped(prim, x);
}

/** Applies a primitive: the one entry point every op goes through. */
export function bind(prim: string, args: readonly Tensor[], params: Params = NO_PARAMS): Tensor[] {
  const main = topMain(args);
  const trace = new main.traceType(main);
  return trace.process(
    prim,
    args.map((a) => fullRaise(trace, a, prim)),
    params,
  );
}

export function bind1(prim: string, args: readonly Tensor[], params: Params = NO_PARAMS): Tensor {
  // Eager fast path: no transform active and every operand concrete, so `bind` would pick
  // the eval trace and pass the operands through unchanged; skip its trace object and arrays.
  if (stack.length === 1 && dynamicMain === undefined && allConcrete(args))
    return evaluate1(prim, args, params);
  return bind(prim, args, params)[0]!;
}

function allConcrete(args: readonly Tensor[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a._storage === undefined || a instanceof Tracer) return false;
  }
  return true;
}

/** The current innermost main trace's level (0 when no transform is active). */
export function currentLevel(): number {
  return stack.length - 1;
}

import type { Backend, FusedKernel } from '../backends/backend.ts';
import { avalKey } from '../core/aval.ts';
import { currentBackend } from '../core/backend-registry.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { TreeDef } from '../core/pytree.ts';
import { flatten, treeKey, unflatten } from '../core/pytree.ts';
import { persist, runScoped, withOwnedScope } from '../core/scope.ts';
import { staticKey } from '../core/static-key.ts';
import type { Tensor } from '../core/tensor.ts';
import { currentLevel, Tracer } from '../core/trace.ts';
import { evalJaxprAsync } from './eval-async.ts';
import { withCpuFusion } from './install-fusion.ts';
import type { ClosedJaxpr } from './jaxpr.ts';
import { evalJaxpr, stage } from './jaxpr.ts';

/**
 * `jit(f)` traces f once per input signature (tree structure, shapes, dtypes, static
 * arguments) into a program, caches it, and replays the program on later calls: no
 * re-tracing, no op-level checks, intermediates freed as the program runs.
 *
 * Inside another transform (grad, vmap, an outer jit), a jitted function is simply
 * inlined: its primitives are handled by that transform, so every composition works.
 */
export interface JitOptions {
  /**
   * positional arguments that are not tensors but configuration: part of the cache key.
   * Numbers compare with `Object.is` (`0` and `-0` differ), arrays and plain records by
   * content, functions and other objects (a `Map`, a class instance) by identity.
   */
  readonly staticArgnums?: readonly number[];
  /** positional arguments whose buffers are released once the outputs exist */
  readonly donate?: readonly number[];
}

interface Compiled {
  readonly program: ClosedJaxpr;
  readonly outDef: TreeDef;
  /** constants made while tracing (freed by clearCache); captured tensors are not among them */
  readonly owned: readonly Tensor[];
  /** fusion plans of backends that offer `fuse`, made on first use */
  readonly fused: WeakMap<Backend, readonly FusedKernel[]>;
}

/**
 * A jitted function (what `jit` returns): call it as the original, inspect its program.
 *
 * @typeParam F - The original function's type.
 */
export interface Jitted<F extends (...args: never[]) => unknown> {
  /** Runs the cached program for these arguments (tracing it first for a new signature). */
  (...args: Parameters<F>): ReturnType<F>;
  /**
   * Runs the same program, awaiting what must be read on the host as it runs: a `whileLoop`'s
   * condition, each iteration. On a backend that reads only asynchronously (WebGPU) this is
   * how a program with a `whileLoop` runs; elsewhere it equals the plain call. Concrete
   * arguments only (inside a transform, call the jitted function itself).
   */
  async(...args: Parameters<F>): Promise<ReturnType<F>>;
  /** The cached program for these arguments, as text (traces if needed). */
  lower(...args: Parameters<F>): ClosedJaxpr;
  /** How many distinct signatures were traced. */
  readonly cacheSize: number;
  /** Drops the cached programs and frees their constants (they are otherwise kept until GC). */
  clearCache(): void;
}

function argnums(nums: readonly number[] | undefined, name: string): number[] {
  if (nums === undefined) return [];
  if (!Array.isArray(nums))
    throw new Error(`jit: ${name} must be an array of argument indices, got ${String(nums)}`);
  for (const n of nums)
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`jit: ${name} entry ${String(n)} is not a non-negative integer argument index`);
  return [...nums];
}

/**
 * `jit(f)` traces `f` once per input signature (tree structure, shapes, dtypes, static
 * arguments) into a program, caches it, and replays the program on later calls: no
 * re-tracing, no op-level checks, intermediates freed as the program runs (and on the CPU,
 * elementwise chains fused). Inside another transform a jitted function is inlined.
 *
 * @typeParam F - The function's type, kept by the result.
 * @param f - A pure function of tensors (pytrees allowed).
 * @param opts - `staticArgnums` (configuration arguments, part of the cache key) and `donate`
 *   (arguments whose buffers are freed once the outputs exist).
 * @returns The jitted function, with `async` (awaits a `whileLoop`'s condition: WebGPU), `lower`,
 *   `cacheSize` and `clearCache`.
 *
 * @example
 * ```ts
 * import { add, jit, mul, type Tensor, tensor } from 'typegrad';
 * const f = jit((x: Tensor<[3]>) => add(mul(x, 2), 1));
 * console.log(f(tensor([1, 2, 3])).toArray()); // [3, 5, 7]
 * console.log(f(tensor([0, 0, 0])).toArray(), f.cacheSize); // [1, 1, 1] 1
 * ```
 */
export function jit<F extends (...args: never[]) => unknown>(f: F, opts: JitOptions = {}): Jitted<F> {
  const cache = new Map<string, Compiled>();
  checkOptions('jit', opts, optionKeys<JitOptions>({ staticArgnums: true, donate: true }));
  const statics = new Set(argnums(opts.staticArgnums, 'staticArgnums'));
  const donated = new Set(argnums(opts.donate, 'donate'));

  const split = (args: unknown[]) => {
    for (const n of [...statics, ...donated])
      if (n >= args.length)
        throw new Error(
          `jit: argument ${n} is named in ${statics.has(n) ? 'staticArgnums' : 'donate'} but the call has ${args.length} argument(s)`,
        );
    const dynamic = args.map((a, i) => (statics.has(i) ? null : a));
    const [leaves, def] = flatten(dynamic);
    const staticPart = [...statics]
      .sort((a, b) => a - b)
      .map((i) => `${i}=${staticKey(args[i], 'jit', `static argument ${i}`)}`)
      .join(',');
    return {
      leaves,
      def,
      key: `${treeKey(def)}|${leaves.map((l) => avalKey(l.aval)).join(';')}|${staticPart}`,
    };
  };

  const compile = (args: unknown[]): { compiled: Compiled; leaves: Tensor[] } => {
    const { leaves, def, key } = split(args);
    let compiled = cache.get(key);
    if (!compiled) {
      let outDef: TreeDef = flatten(undefined)[1];
      // Constants made while tracing belong to the cache entry; captured ones stay the caller's.
      let owned: Tensor[] = [];
      const program = runScoped(
        'jit tracing',
        () =>
          stage(
            'jit',
            leaves.map((l) => l.aval),
            (xs) => {
              const dynamic = unflatten<unknown[]>(def, xs);
              const full = dynamic.map((a, i) => (statics.has(i) ? args[i] : a));
              const [outLeaves, od] = flatten((f as unknown as (...a: unknown[]) => unknown)(...full));
              outDef = od;
              return outLeaves;
            },
            { dynamic: true },
          ),
        (p, made) => {
          owned = p.consts.filter((c) => made.has(c));
          return p.consts;
        },
      );
      for (const c of owned) persist(c);
      compiled = { program, outDef, owned, fused: new WeakMap() };
      cache.set(key, compiled);
    }
    return { compiled, leaves };
  };

  /** The backend's fusion plan for a compiled program (made on first use). */
  const planOf = (compiled: Compiled): readonly FusedKernel[] | undefined => {
    const backend = currentBackend();
    let plan = compiled.fused.get(backend);
    if (!plan && backend.fuse) {
      withCpuFusion();
      plan = backend.fuse(compiled.program.jaxpr);
      compiled.fused.set(backend, plan);
    }
    return plan;
  };

  /** Frees the donated arguments' buffers (those not handed back as outputs). */
  const donate = (args: unknown[], outs: readonly Tensor[]): void => {
    if (donated.size === 0) return;
    const keep = new Set(outs);
    args.forEach((a, i) => {
      if (!donated.has(i)) return;
      for (const t of flatten(a)[0]) {
        if (keep.has(t) || !t._storage) continue;
        t._storage.donated = true;
        t.dispose();
      }
    });
  };

  const call = (...args: unknown[]): unknown => {
    const { leaves } = split(args);
    if (currentLevel() > 0 || leaves.some((l) => l instanceof Tracer)) {
      return (f as unknown as (...a: unknown[]) => unknown)(...args);
    }
    const { compiled } = compile(args);
    const { program, outDef } = compiled;
    const plan = planOf(compiled);
    const outs = withOwnedScope(
      () => evalJaxpr(program.jaxpr, program.consts, leaves, plan),
      (o) => o,
    );
    donate(args, outs);
    return unflatten(outDef, outs);
  };

  const callAsync = async (...args: unknown[]): Promise<unknown> => {
    const { leaves } = split(args);
    if (currentLevel() > 0 || leaves.some((l) => l instanceof Tracer))
      throw new Error(
        'jit(f).async: runs on concrete tensors only; inside a transform (grad, vmap, jit) call the jitted function itself',
      );
    const { compiled } = compile(args);
    const { program, outDef } = compiled;
    const plan = planOf(compiled);
    const outs = await runScoped(
      'jit(f).async',
      () => evalJaxprAsync(program.jaxpr, program.consts, leaves, plan),
      (o) => o,
    );
    donate(args, outs);
    return unflatten(outDef, outs);
  };

  const jitted = call as unknown as Jitted<F>;
  Object.defineProperty(jitted, 'async', { value: callAsync });
  Object.defineProperty(jitted, 'lower', { value: (...args: unknown[]) => compile(args).compiled.program });
  Object.defineProperty(jitted, 'cacheSize', { get: () => cache.size });
  Object.defineProperty(jitted, 'clearCache', {
    value: () => {
      for (const entry of cache.values()) for (const c of entry.owned) c.dispose();
      cache.clear();
    },
  });
  return jitted;
}

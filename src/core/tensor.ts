import type { Shape } from '../shapes/dim.ts';
import type { Aval } from './aval.ts';
import { formatShape, sizeOf } from './aval.ts';
import type { DType, TypedArrayFor } from './dtype.ts';
import { byteSize } from './dtype.ts';
import { formatTensor } from './format.ts';
import type { Storage } from './memory.ts';
import { release, track } from './memory.ts';
import { registerInScope } from './scope.ts';

declare global {
  // The declarations ship to users whose `lib` may lack ESNext.Disposable (ES2022, with or
  // without DOM): declare the one member `Tensor` uses, exactly as lib.esnext.disposable and
  // @types/node do, so the declarations merge wherever those are present too.
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** The run-time shape of a typed shape: named dims are plain numbers at run time. */
export type RuntimeShape<S> = S extends Shape
  ? { readonly [K in keyof S]: S[K] extends number ? S[K] : number }
  : readonly number[];

/**
 * The dtype of `Tensor<S>` when none is written: f32 once a shape is given (DESIGN.md's
 * default), the whole `DType` union for the bare `Tensor` (any tensor at all). The union
 * stays reachable for any shape as `Tensor<S, DType>`.
 */
export type DefaultDType<S> = Shape extends S ? DType : 'f32';

/**
 * An immutable n-d array. `S` is its shape in the type system (`[B, 784]`), `D` its dtype.
 * A tensor either holds a backend buffer (a concrete value) or is a tracer standing for a
 * value inside a transform (`grad`, `vmap`, `jit` …); see `Tracer` in trace.ts. Make one
 * with `tensor`, `zeros`, `arange` …, never with `new`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { type Tensor, tensor } from 'typegrad';
 * const x: Tensor<[2, 3], 'f32'> = tensor([[1, 2, 3], [4, 5, 6]]);
 * assert.deepEqual([x.shape, x.dtype, x.ndim, x.size], [[2, 3], 'f32', 2, 6]);
 * assert.equal(x.describe(), 'f32[2, 3]');
 * ```
 */
// S is unconstrained so that a rule's result computed inside a generic function (e.g.
// Flatten<[B, 16, 5, 5], 1> = [B, 400]) is usable without a deferred `extends Shape` test.
export class Tensor<S = Shape, D extends DType = DefaultDType<S>> {
  /** Phantom: the static shape, kept so that named dims ('B' vs 'T') stay distinct. */
  declare readonly __shape: S;
  /** The dims, frozen: literal numbers where the type has them, named dims as numbers. */
  readonly shape: RuntimeShape<S>;
  /** The element type: `'f32'`, `'f64'`, `'i32'` or `'bool'`. */
  readonly dtype: D;
  /** @internal the buffer of a concrete tensor; undefined for tracers */
  readonly _storage: Storage | undefined;

  /** @internal use the creation functions (`tensor`, `zeros` …) */
  constructor(aval: Aval, storage?: Storage) {
    // A frozen shape (another tensor's, which a shape rule passed through) is shared, not copied.
    const shape = aval.shape;
    this.shape = (Object.isFrozen(shape) ? shape : Object.freeze([...shape])) as unknown as RuntimeShape<S>;
    this.dtype = aval.dtype as D;
    this._storage = storage;
    if (storage) {
      track(storage, this);
      registerInScope(this as unknown as Tensor);
    }
  }

  /** The rank: the number of dims. */
  get ndim(): number {
    return this.shape.length;
  }

  /** The number of elements, the product of the dims. */
  get size(): number {
    return sizeOf(this.shape as readonly number[]);
  }

  /** @internal */
  get aval(): Aval {
    return { shape: this.shape as readonly number[], dtype: this.dtype };
  }

  /** Whether `dispose()` (or a `scope`, or donation to `jit`) has freed the buffer. */
  get isDisposed(): boolean {
    return this._storage?.freed ?? false;
  }

  /** @internal the storage, checked alive; `op` names the operation for the error. */
  _live(op: string): Storage {
    const s = this._storage;
    if (!s)
      throw new Error(
        `${op}: cannot read the values of a traced tensor ${this.describe()} inside a transform`,
      );
    if (s.freed)
      throw new Error(
        s.donated
          ? `${op}: tensor ${this.describe()} was donated to a jitted function (jit donate) and freed; use the function's outputs instead`
          : `${op}: tensor ${this.describe()} was disposed`,
      );
    return s;
  }

  /**
   * The dtype and shape, as errors print them.
   *
   * @example
   * ```ts
   * import { zeros } from 'typegrad';
   * console.log(zeros([2, 3], { dtype: 'i32' }).describe()); // i32[2, 3]
   * ```
   */
  describe(): string {
    return `${this.dtype}${formatShape(this.shape as readonly number[])}`;
  }

  /**
   * The values, as a typed array (a copy), row-major. Works on every backend (WebGPU reads
   * asynchronously).
   *
   * @example
   * ```ts
   * import { tensor } from 'typegrad';
   * const values = await tensor([[1, 2], [3, 4]]).data();
   * console.log(values instanceof Float32Array, Array.from(values)); // true [1, 2, 3, 4]
   * ```
   */
  async data(): Promise<TypedArrayFor[D]> {
    const s = this._live('data');
    return (await s.backend.read(s.buffer, this.dtype, this.size)) as TypedArrayFor[D];
  }

  /**
   * The values, as a typed array (a copy), synchronously: CPU backend only (elsewhere an error
   * that says to use `data()`).
   *
   * @example
   * ```ts
   * import { tensor } from 'typegrad';
   * console.log(Array.from(tensor([1, 2, 3], { dtype: 'i32' }).dataSync())); // [1, 2, 3]
   * ```
   */
  dataSync(): TypedArrayFor[D] {
    const s = this._live('dataSync');
    if (!s.backend.readSync) {
      throw new Error(`dataSync: the ${s.backend.name} backend reads asynchronously; use await t.data()`);
    }
    return s.backend.readSync(s.buffer, this.dtype, this.size) as TypedArrayFor[D];
  }

  /**
   * The single value of a one-element tensor, a number (a boolean for bool). Synchronous:
   * CPU only; use `itemAsync` elsewhere.
   *
   * @example
   * ```ts
   * import { sum, tensor } from 'typegrad';
   * console.log(sum(tensor([1, 2, 3])).item()); // 6
   * ```
   */
  item(): D extends 'bool' ? boolean : number {
    if (this.size !== 1) throw new Error(`item: tensor ${this.describe()} has ${this.size} elements, not 1`);
    return this.scalarOf(this.dataSync());
  }

  /**
   * The single value of a one-element tensor, on every backend.
   *
   * @example
   * ```ts
   * import { tensor } from 'typegrad';
   * console.log(await tensor([[7]]).itemAsync()); // 7
   * ```
   */
  async itemAsync(): Promise<D extends 'bool' ? boolean : number> {
    if (this.size !== 1) throw new Error(`item: tensor ${this.describe()} has ${this.size} elements, not 1`);
    return this.scalarOf(await this.data());
  }

  private scalarOf(values: TypedArrayFor[D]): D extends 'bool' ? boolean : number {
    const v = values[0] as number;
    return (this.dtype === 'bool' ? v !== 0 : v) as D extends 'bool' ? boolean : number;
  }

  /**
   * The values as nested arrays of numbers (booleans for bool), synchronously: CPU only. A
   * scalar gives the number itself.
   *
   * @example
   * ```ts
   * import { tensor } from 'typegrad';
   * console.log(tensor([[1, 2], [3, 4]]).toArray()); // [[1, 2], [3, 4]]
   * ```
   */
  toArray(): unknown {
    const values = Array.from(this.dataSync() as ArrayLike<number>, (v): number | boolean =>
      this.dtype === 'bool' ? v !== 0 : v,
    );
    return nest(values, [...(this.shape as readonly number[])]);
  }

  /**
   * Frees the buffer now. Idempotent. Using the tensor afterwards is an error. `using t = …`
   * disposes at the end of the block.
   *
   * @example
   * ```ts
   * import assert from 'node:assert/strict';
   * import { zeros } from 'typegrad';
   * const z = zeros([3]);
   * z.dispose();
   * assert.ok(z.isDisposed);
   * assert.throws(() => z.toArray(), /was disposed/);
   * ```
   */
  dispose(): void {
    if (this._storage) release(this._storage);
  }

  /** The same as `dispose()`, for `using`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /**
   * The values as text, numpy-style (`tensor([1., 2.])`); traced, disposed and non-CPU
   * tensors print what they are instead.
   *
   * @example
   * ```ts
   * import { tensor } from 'typegrad';
   * console.log(String(tensor([1, 2]))); // tensor([1., 2.])
   * ```
   */
  toString(): string {
    const s = this._storage;
    if (!s) return `Tensor(traced ${this.describe()})`;
    if (s.freed) return `Tensor(disposed ${this.describe()})`;
    if (!s.backend.readSync) return `Tensor(${this.describe()} on ${s.backend.name})`;
    return formatTensor(this.dataSync() as ArrayLike<number>, this.shape as readonly number[], this.dtype);
  }

  /**
   * Logs dtype, shape and values (`f32[2] tensor([1., 2.])`) and returns the tensor, so it
   * can sit inside an expression.
   *
   * @example
   * ```ts
   * import { tensor } from 'typegrad';
   * tensor([1, 2]).print(); // f32[2] tensor([1., 2.])
   * ```
   */
  print(): this {
    console.log(printedForm(this));
    return this;
  }
}

const printedForm = (t: { describe(): string; toString(): string }): string =>
  `${t.describe()} ${t.toString()}`;

// Node's console.log / util.inspect show the values, not the backend internals. Set on the
// prototype, since a `Symbol.for` key cannot appear in the class's declaration file.
Object.defineProperty(Tensor.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value(this: Tensor): string {
    return printedForm(this);
  },
});

function nest(flat: unknown[], shape: number[]): unknown {
  if (shape.length === 0) return flat[0];
  const [n, ...rest] = shape as [number, ...number[]];
  const step = sizeOf(rest);
  return Array.from({ length: n }, (_, i) => nest(flat.slice(i * step, (i + 1) * step), rest));
}

export function storageBytes(aval: Aval): number {
  return sizeOf(aval.shape) * byteSize(aval.dtype);
}

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

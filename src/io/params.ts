import { formatShape } from '../core/aval.ts';
import type { DType, TypedArray } from '../core/dtype.ts';
import { checkOptions } from '../core/options.ts';
import { isTensor, type Tensor } from '../core/tensor.ts';
import { tensor } from '../ops/creation.ts';
import type { MetadataOptions, SafeDtype, SafeTensorInput, SafeTypedArray } from './safetensors.ts';
import { decodeSafetensors, encodeSafetensors } from './safetensors.ts';

/**
 * Checkpoints of parameter pytrees (records and arrays of tensors) as safetensors files:
 * each leaf is stored under its path (`f5.w`, `layers.0.b`). Loading takes a template of the
 * same structure, so the result has the template's type, and every name, shape and dtype is
 * checked before a tensor is made.
 */
// f16 tensors (WebGPU) are read back as Float32Arrays, so they are saved widened to F32.
const SAFE: Record<DType, SafeDtype> = { f16: 'F32', f32: 'F32', f64: 'F64', i32: 'I32', bool: 'BOOL' };
const FROM_SAFE: Partial<Record<SafeDtype, DType>> = { F32: 'f32', F64: 'f64', I32: 'i32', BOOL: 'bool' };

function isRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The tensor leaves of a pytree with their dotted paths, in a stable order.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io, tensor } from 'typegrad';
 * const paths = io.leavesWithPaths({ enc: { w: tensor([1]) }, layers: [{ b: tensor([2]) }] }).map(([p]) => p);
 * assert.deepEqual(paths, ['enc.w', 'layers.0.b']);
 * ```
 */
export function leavesWithPaths(tree: unknown, prefix = ''): [string, Tensor][] {
  if (isTensor(tree)) return [[prefix, tree]];
  const join = (k: string) => (prefix ? `${prefix}.${k}` : k);
  if (Array.isArray(tree)) return tree.flatMap((v, i) => leavesWithPaths(v, join(String(i))));
  if (isRecord(tree)) return Object.keys(tree).flatMap((k) => leavesWithPaths(tree[k], join(k)));
  return [];
}

/**
 * Encodes a parameter pytree as safetensors bytes (reads values: works on every backend).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io, tensor } from 'typegrad';
 * const bytes = await io.encodeParams({ w: tensor([[1, 2]]), steps: tensor([3], { dtype: 'i32' }) });
 * const { tensors } = io.decodeSafetensors(bytes);
 * assert.deepEqual([tensors.w!.shape, tensors.steps!.dtype], [[1, 2], 'I32']);
 * ```
 */
export async function encodeParams(params: unknown, opts?: MetadataOptions): Promise<Uint8Array> {
  checkOptions('encodeParams', opts, ['metadata']);
  const leaves = leavesWithPaths(params);
  if (leaves.length === 0) throw new Error('encodeParams: the tree has no tensors');
  const entries = new Map<string, SafeTensorInput>();
  for (const [name, t] of leaves) {
    const data = (await t.data()) as SafeTypedArray;
    entries.set(name, { dtype: SAFE[t.dtype], shape: t.shape as readonly number[], data });
  }
  return encodeSafetensors(entries, opts);
}

/**
 * Decodes safetensors bytes into a pytree shaped like `template` (names, shapes, dtypes checked).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io, tensor } from 'typegrad';
 * const bytes = await io.encodeParams({ w: tensor([1, 2]) });
 * const back = io.decodeParams(bytes, { w: tensor([0, 0]) }, 'ckpt');
 * assert.deepEqual(back.w.toArray(), [1, 2]);
 * assert.throws(() => io.decodeParams(bytes, { v: tensor([0, 0]) }, 'ckpt'), /^Error: loadParams\(ckpt\): unexpected tensors w/);
 * ```
 */
export function decodeParams<P>(bytes: Uint8Array, template: P, name = '<bytes>'): P {
  const { tensors } = decodeSafetensors(bytes, name);
  const expected = leavesWithPaths(template);
  const wanted = new Set(expected.map(([path]) => path));
  const extra = Object.keys(tensors).filter((k) => !wanted.has(k));
  if (extra.length > 0) throw new Error(`loadParams(${name}): unexpected tensors ${extra.join(', ')}`);
  // Every name, dtype and shape is checked before any tensor is made, so a late mismatch
  // leaves nothing alive.
  for (const [path, like] of expected) {
    const t = tensors[path];
    if (!t) throw new Error(`loadParams(${name}): missing tensor ${path}`);
    const dtype = FROM_SAFE[t.dtype];
    if (dtype !== like.dtype)
      throw new Error(`loadParams(${name}): ${path} is ${t.dtype} but the template has ${like.dtype}`);
    const shape = like.shape as readonly number[];
    if (formatShape(t.shape) !== formatShape(shape))
      throw new Error(
        `loadParams(${name}): ${path} has shape ${formatShape(t.shape)} but the template has ${formatShape(shape)}`,
      );
  }
  const loaded = new Map<Tensor, Tensor>();
  for (const [path, like] of expected)
    loaded.set(
      like,
      tensor(tensors[path]!.data as TypedArray, [...(like.shape as readonly number[])], {
        dtype: like.dtype,
      }),
    );
  return rebuild(template, loaded) as P;
}

function rebuild(tree: unknown, loaded: ReadonlyMap<Tensor, Tensor>): unknown {
  if (isTensor(tree)) return loaded.get(tree);
  if (Array.isArray(tree)) return tree.map((v) => rebuild(v, loaded));
  if (isRecord(tree)) return Object.fromEntries(Object.keys(tree).map((k) => [k, rebuild(tree[k], loaded)]));
  return tree;
}

/**
 * PyTorch state dicts ⇄ typegrad parameter records. PyTorch stores `Linear.weight` as
 * `[out, in]` and recurrent weights as `[gates·H, in]` (typegrad: `[in, out]`, `x @ w`), and
 * gives recurrent layers two biases (typegrad: one). The layer kind is read off the names and
 * ranks PyTorch uses, so no model description is needed:
 *
 * | PyTorch module (its keys) | typegrad layer |
 * | --- | --- |
 * | `Linear` (`weight [O, I]`, `bias`) | `dense` `{ w: [I, O] (transposed), b }` |
 * | `Conv2d` (`weight [O, I, KH, KW]`, `bias`) | `conv2d` `{ w, b }` (same layout) |
 * | `Embedding` (`weight [V, E]`, no bias) | `embedding` `{ table }` |
 * | `LayerNorm` (`weight [F]`, `bias [F]`) | `layerNorm` `{ gamma, beta }` |
 * | `RNN`/`LSTM` (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`) | `rnn`/`lstm` `{ wx, wh (transposed), b = bias_ih + bias_hh }` (gate order i, f, g, o in both) |
 *
 * Anything else (BatchNorm's running statistics, stacked `_l1` or `_reverse` recurrent
 * weights, a layer the mapping leaves out) is reported in `unmatched`, never dropped silently.
 */

import { isTensor, type Tensor } from '../core/tensor.ts';
import { tensor } from '../ops/creation.ts';
import type { SafeTensor } from './safetensors.ts';

/**
 * Names PyTorch modules by typegrad layer, or the reverse: a table, or a function (undefined: leave out).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io } from 'typegrad';
 * const byTable: io.TorchNameMapping = { fc1: 'hidden', fc2: 'out' };
 * const byFunction: io.TorchNameMapping = (name) => (name.startsWith('aux') ? undefined : name);
 * const dict = {
 *   'fc1.weight': { dtype: 'F32', shape: [1, 1], data: Float32Array.from([2]) },
 *   'fc1.bias': { dtype: 'F32', shape: [1], data: Float32Array.from([0]) },
 * } as const;
 * assert.deepEqual(Object.keys(io.fromTorchStateDict(dict, byTable).params), ['hidden']);
 * assert.deepEqual(Object.keys(io.fromTorchStateDict(dict, byFunction).params), ['fc1']);
 * ```
 */
export type TorchNameMapping = Readonly<Record<string, string>> | ((name: string) => string | undefined);

/**
 * What {@link fromTorchStateDict} returns.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io } from 'typegrad';
 * const dict = { 'bn.running_mean': { dtype: 'F32', shape: [2], data: new Float32Array(2) } } as const;
 * const r: io.FromTorchResult = io.fromTorchStateDict(dict, { bn: 'norm' });
 * assert.deepEqual(r.unmatched, ['bn.running_mean']); // reported, not dropped silently
 * ```
 */
export interface FromTorchResult {
  /** The typegrad parameters, nested by the dotted layer paths (`'enc.fc'` → `{ enc: { fc } }`). */
  readonly params: Record<string, unknown>;
  /** The state-dict keys that mapped to no typegrad parameter. */
  readonly unmatched: readonly string[];
}

type Host = { readonly shape: readonly number[]; readonly data: Float32Array | Float64Array };

const lookup = (mapping: TorchNameMapping | undefined, name: string): string | undefined =>
  mapping === undefined ? name : typeof mapping === 'function' ? mapping(name) : mapping[name];

function floatHost(op: string, key: string, t: SafeTensor): Host {
  if (t.dtype === 'F32' || t.dtype === 'F64')
    return { shape: t.shape, data: t.data as Float32Array | Float64Array };
  throw new Error(
    `${op}: "${key}" is ${t.dtype}; expected a float weight (F32, F64, or F16/BF16 read as F32)`,
  );
}

/** The 2-D transpose of a host matrix `[r, c]` → `[c, r]`. */
function transposed(m: Host): Host {
  const [r, c] = m.shape as [number, number];
  const out = new (m.data.constructor as Float32ArrayConstructor)(m.data.length);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = m.data[i * c + j]!;
  return { shape: [c, r], data: out };
}

function summed(a: Host, b: Host): Host {
  const out = new (a.data.constructor as Float32ArrayConstructor)(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i]! + b.data[i]!;
  return { shape: a.shape, data: out };
}

const toTensor = (h: Host): Tensor =>
  tensor(h.data, h.shape as number[], { dtype: h.data instanceof Float64Array ? 'f64' : 'f32' }) as Tensor;

/** The typegrad layer record for one PyTorch module's parameters, or undefined when it is no known kind. */
function layerFromTorch(
  op: string,
  module: string,
  keys: Map<string, SafeTensor>,
): Record<string, Tensor> | undefined {
  const get = (k: string) => floatHost(op, `${module}.${k}`, keys.get(k)!);
  const names = [...keys.keys()].sort().join(',');
  if (names === 'bias_hh_l0,bias_ih_l0,weight_hh_l0,weight_ih_l0' || names === 'weight_hh_l0,weight_ih_l0') {
    const wx = transposed(get('weight_ih_l0'));
    const wh = transposed(get('weight_hh_l0'));
    const gates = wx.shape[1]!;
    const b = keys.has('bias_ih_l0')
      ? summed(get('bias_ih_l0'), get('bias_hh_l0'))
      : { shape: [gates], data: new Float32Array(gates) };
    return { wx: toTensor(wx), wh: toTensor(wh), b: toTensor(b) };
  }
  const weight = keys.has('weight') ? get('weight') : undefined;
  if (!weight) return undefined;
  const rank = weight.shape.length;
  if (names === 'bias,weight' && rank === 2)
    return { w: toTensor(transposed(weight)), b: toTensor(get('bias')) };
  if (names === 'bias,weight' && rank === 4) return { w: toTensor(weight), b: toTensor(get('bias')) };
  if (names === 'bias,weight' && rank === 1) return { gamma: toTensor(weight), beta: toTensor(get('bias')) };
  if (names === 'weight' && rank === 2) return { table: toTensor(weight) };
  return undefined;
}

function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = root;
  for (const p of parts.slice(0, -1)) {
    node[p] ??= {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

/**
 * Maps a PyTorch state dict (as read by `loadSafetensors`; F16/BF16 arrive as F32) to typegrad
 * parameters. `mapping` names the typegrad layer of each PyTorch module (`'features.0'` →
 * `'conv1'`), by table or function; without it the module names are kept. Weights are
 * transposed and recurrent biases summed as the module table above says.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io, nn, tensor } from 'typegrad';
 * const torch = { 'fc.weight': { dtype: 'F32', shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
 *                 'fc.bias': { dtype: 'F32', shape: [2], data: new Float32Array([0, 1]) } } as const;
 * const { params, unmatched } = io.fromTorchStateDict(torch, { fc: 'dense' });
 * const y = nn.dense(params.dense as nn.DenseParams, tensor([[1, 0, 0]]));
 * assert.deepEqual(y.toArray(), [[1, 5]]); // x @ weight.T + bias
 * assert.deepEqual(unmatched, []);
 * ```
 */
export function fromTorchStateDict(
  tensors: Readonly<Record<string, SafeTensor>>,
  mapping?: TorchNameMapping,
): FromTorchResult {
  const op = 'fromTorchStateDict';
  const modules = new Map<string, Map<string, SafeTensor>>();
  for (const [key, t] of Object.entries(tensors)) {
    const dot = key.lastIndexOf('.');
    const module = dot < 0 ? '' : key.slice(0, dot);
    if (!modules.has(module)) modules.set(module, new Map());
    modules.get(module)!.set(key.slice(dot + 1), t);
  }
  const params: Record<string, unknown> = {};
  const unmatched: string[] = [];
  for (const [module, keys] of modules) {
    const target = module === '' ? undefined : lookup(mapping, module);
    const layer = target === undefined ? undefined : layerFromTorch(op, module, keys);
    if (target === undefined || layer === undefined) {
      for (const k of keys.keys()) unmatched.push(module ? `${module}.${k}` : k);
      continue;
    }
    setPath(params, target, layer);
  }
  return { params, unmatched: unmatched.sort() };
}

async function host(t: Tensor): Promise<Host> {
  if (t.dtype !== 'f32' && t.dtype !== 'f64')
    throw new Error(`toTorchStateDict: parameter of dtype ${t.dtype}; PyTorch weights are float`);
  return { shape: t.shape as readonly number[], data: (await t.data()) as Float32Array | Float64Array };
}

const safe = (h: Host): SafeTensor => ({
  dtype: h.data instanceof Float64Array ? 'F64' : 'F32',
  shape: [...h.shape],
  data: h.data,
});

/** The PyTorch keys and arrays of one typegrad layer record, or undefined when it is no known kind. */
async function layerToTorch(layer: Record<string, unknown>): Promise<Record<string, SafeTensor> | undefined> {
  const keys = Object.keys(layer).sort().join(',');
  const t = (k: string) => host(layer[k] as Tensor);
  if (keys === 'b,wh,wx') {
    const b = await t('b');
    return {
      weight_ih_l0: safe(transposed(await t('wx'))),
      weight_hh_l0: safe(transposed(await t('wh'))),
      bias_ih_l0: safe(b),
      bias_hh_l0: safe({
        shape: b.shape,
        data: new (b.data.constructor as Float32ArrayConstructor)(b.data.length),
      }),
    };
  }
  if (keys === 'b,w') {
    const w = await t('w');
    if (w.shape.length === 2) return { weight: safe(transposed(w)), bias: safe(await t('b')) };
    if (w.shape.length === 4) return { weight: safe(w), bias: safe(await t('b')) };
  }
  if (keys === 'beta,gamma') return { weight: safe(await t('gamma')), bias: safe(await t('beta')) };
  if (keys === 'table') return { weight: safe(await t('table')) };
  return undefined;
}

const isLayer = (v: Record<string, unknown>) => Object.values(v).every(isTensor);

/**
 * The reverse of {@link fromTorchStateDict}: a PyTorch state dict (name → `{ dtype, shape,
 * data }`, ready for `encodeSafetensors`/`saveSafetensors` and `torch.load_state_dict` after
 * `safetensors.torch.load_file`) from typegrad parameters. `mapping` names the PyTorch module
 * of each typegrad layer path; recurrent layers get `bias_hh_l0 = 0`. Reads values from any backend.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io, nn, random } from 'typegrad';
 * const params = { fc: nn.dense.init(random.key(0), { in: 3, out: 2 }) };
 * const dict = await io.toTorchStateDict(params);
 * assert.deepEqual(dict['fc.weight']?.shape, [2, 3]); // PyTorch's [out, in]
 * ```
 */
export async function toTorchStateDict(
  params: unknown,
  mapping?: TorchNameMapping,
): Promise<Record<string, SafeTensor>> {
  const out: Record<string, SafeTensor> = {};
  const visit = async (node: unknown, path: string): Promise<void> => {
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (!Array.isArray(node) && Object.keys(record).length > 0 && isLayer(record)) {
      const layer = await layerToTorch(record);
      if (!layer)
        throw new Error(
          `toTorchStateDict: "${path}" is no layer PyTorch has (keys ${Object.keys(record).join(', ')})`,
        );
      const module = lookup(mapping, path);
      if (module === undefined) return;
      for (const [k, v] of Object.entries(layer)) out[`${module}.${k}`] = v;
      return;
    }
    for (const [k, v] of Object.entries(record)) await visit(v, path ? `${path}.${k}` : k);
  };
  await visit(params, '');
  return out;
}

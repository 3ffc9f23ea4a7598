/**
 * safetensors (https://github.com/huggingface/safetensors) read and write of named typed
 * arrays. Browser-safe; the Node file adapter is `node-fs.ts`.
 *
 * Layout: an 8-byte little-endian unsigned header length N; N bytes of UTF-8 JSON
 * `{"__metadata__": {str: str}?, name: {"dtype", "shape", "data_offsets": [begin, end]}, …}`
 * (padded with spaces to a multiple of 8); then the data buffer, each tensor little-endian,
 * row-major, at its offsets relative to the buffer start. The writer orders tensors as the
 * reference implementation does (descending dtype, then name) so its output is byte-identical
 * to the reference `serialize`; the reader checks everything the reference checks and more.
 */
import { checkOptions } from '../core/options.ts';

import { isWideDtype, WIDE_DTYPES, type WideDtype } from './wide-dtypes.ts';

/**
 * The safetensors dtypes typegrad reads and writes as they are (F16, BF16 and I64 are widened on
 * read: see `io.WideDtype`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io } from 'typegrad';
 * const dtype: io.SafeDtype = io.inferSafeDtype(new Int16Array(1));
 * assert.equal(dtype, 'I16');
 * ```
 */
export type SafeDtype = 'F64' | 'F32' | 'U32' | 'I32' | 'U16' | 'I16' | 'I8' | 'U8' | 'BOOL';

/**
 * The typed array holding each safetensors dtype (BOOL as one byte per element).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io } from 'typegrad';
 * const mask: io.SafeTypedArrayMap['BOOL'] = new Uint8Array([1, 0]);
 * const back = io.decodeSafetensors(io.encodeSafetensors({ mask: { dtype: 'BOOL', shape: [2], data: mask } }));
 * assert.equal(back.tensors.mask!.dtype, 'BOOL');
 * ```
 */
export interface SafeTypedArrayMap {
  /** 64-bit floats. */
  F64: Float64Array;
  /** 32-bit floats. */
  F32: Float32Array;
  /** Unsigned 32-bit integers. */
  U32: Uint32Array;
  /** Signed 32-bit integers. */
  I32: Int32Array;
  /** Unsigned 16-bit integers. */
  U16: Uint16Array;
  /** Signed 16-bit integers. */
  I16: Int16Array;
  /** Signed bytes. */
  I8: Int8Array;
  /** Unsigned bytes. */
  U8: Uint8Array;
  /** One byte per element, 0 or 1. */
  BOOL: Uint8Array;
}

/**
 * Any typed array a safetensors tensor can hold.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io } from 'typegrad';
 * const data: io.SafeTypedArray = new Uint32Array([7]);
 * assert.equal(io.inferSafeDtype(data), 'U32');
 * ```
 */
export type SafeTypedArray = SafeTypedArrayMap[SafeDtype];

/**
 * A named array in a safetensors file.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io } from 'typegrad';
 * const t: io.SafeTensor<'F32'> = { dtype: 'F32', shape: [2], data: Float32Array.from([1, 2]) };
 * assert.deepEqual([...io.decodeSafetensors(io.encodeSafetensors({ t })).tensors.t!.data], [1, 2]);
 * ```
 */
export interface SafeTensor<D extends SafeDtype = SafeDtype> {
  /** The element type. */
  readonly dtype: D;
  /** The dims, outermost first (`[]` for a scalar). */
  readonly shape: readonly number[];
  /** The elements, row-major. */
  readonly data: SafeTypedArrayMap[D];
}

/**
 * What {@link encodeSafetensors} accepts: `dtype` may be left out except for BOOL.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io } from 'typegrad';
 * const input: io.SafeTensorInput = { shape: [1, 2], data: Float64Array.from([1, 2]) }; // dtype inferred: F64
 * assert.equal(io.decodeSafetensors(io.encodeSafetensors({ input })).tensors.input!.dtype, 'F64');
 * ```
 */
export interface SafeTensorInput {
  /** The element type; inferred from `data` when left out (say `'BOOL'` explicitly). */
  readonly dtype?: SafeDtype;
  /** The dims; their product must be `data.length`. */
  readonly shape: readonly number[];
  /** The elements, row-major. */
  readonly data: SafeTypedArray;
}

/**
 * What `io.decodeSafetensors` (and `loadSafetensors`) return: the tensors by name, the metadata,
 * and the names of skipped tensors.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io } from 'typegrad';
 * const contents: io.SafetensorsContents = io.decodeSafetensors(io.encodeSafetensors({ a: { shape: [], data: Int32Array.from([3]) } }));
 * assert.deepEqual([Object.keys(contents.tensors), contents.metadata, contents.skipped], [['a'], {}, undefined]);
 * ```
 */
export interface SafetensorsContents {
  /** The tensors by name. */
  readonly tensors: Record<string, SafeTensor>;
  /** The `__metadata__` string map ({} when absent). */
  readonly metadata: Record<string, string>;
  /** Names of the tensors left out by {@link DecodeOptions.skip} (absent when none were). */
  readonly skipped?: readonly string[];
}

/**
 * How {@link decodeSafetensors} treats the dtypes it widens.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io } from 'typegrad';
 * const opts: io.DecodeOptions = { skip: ['I64'] };
 * const bytes = io.encodeSafetensors({ w: { shape: [1], data: Float32Array.from([1]) } });
 * assert.deepEqual(Object.keys(io.decodeSafetensors(bytes, 'model.safetensors', opts).tensors), ['w']);
 * ```
 */
export interface DecodeOptions {
  /**
   * Dtypes to leave out instead of converting (F16, BF16 → F32; I64 → I32 with a range
   * check), e.g. `['I64']` to drop BatchNorm's `num_batches_tracked` counters.
   */
  readonly skip?: readonly WideDtype[];
}

/**
 * Header size limit, as in the reference implementation (100 MB).
 *
 * The largest JSON header `io.decodeSafetensors` accepts, in bytes (100 MB, as the reference
 * implementation).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io } from 'typegrad';
 * assert.equal(io.MAX_HEADER_SIZE, 100_000_000);
 * ```
 */
export const MAX_HEADER_SIZE = 100_000_000;

interface DtypeInfo {
  readonly bytes: number;
  /** Position in the reference `Dtype` enum (its alignment order). */
  readonly rank: number;
  readonly make: (buffer: ArrayBuffer) => SafeTypedArray;
  readonly is: (a: SafeTypedArray) => boolean;
}

const DTYPES: Readonly<Record<SafeDtype, DtypeInfo>> = {
  BOOL: { bytes: 1, rank: 0, make: (b) => new Uint8Array(b), is: (a) => a instanceof Uint8Array },
  U8: { bytes: 1, rank: 1, make: (b) => new Uint8Array(b), is: (a) => a instanceof Uint8Array },
  I8: { bytes: 1, rank: 2, make: (b) => new Int8Array(b), is: (a) => a instanceof Int8Array },
  I16: { bytes: 2, rank: 5, make: (b) => new Int16Array(b), is: (a) => a instanceof Int16Array },
  U16: { bytes: 2, rank: 6, make: (b) => new Uint16Array(b), is: (a) => a instanceof Uint16Array },
  I32: { bytes: 4, rank: 9, make: (b) => new Int32Array(b), is: (a) => a instanceof Int32Array },
  U32: { bytes: 4, rank: 10, make: (b) => new Uint32Array(b), is: (a) => a instanceof Uint32Array },
  F32: { bytes: 4, rank: 11, make: (b) => new Float32Array(b), is: (a) => a instanceof Float32Array },
  F64: { bytes: 8, rank: 12, make: (b) => new Float64Array(b), is: (a) => a instanceof Float64Array },
};

/** Dtypes of the format that this reader does not decode (named in the error). */
const KNOWN_UNSUPPORTED = new Set(['U64', 'F8_E5M2', 'F8_E4M3']);

const isSafeDtype = (d: unknown): d is SafeDtype => typeof d === 'string' && Object.hasOwn(DTYPES, d);

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function assertLittleEndian(op: string): void {
  if (!LITTLE_ENDIAN) throw new Error(`${op}: big-endian hosts are not supported`);
}

/**
 * The dtype a typed array maps to when none is given (Uint8Array → U8; say BOOL explicitly).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io } from 'typegrad';
 * assert.equal(io.inferSafeDtype(new Float32Array(1)), 'F32');
 * assert.equal(io.inferSafeDtype(new Uint8Array(1)), 'U8'); // BOOL must be said explicitly
 * ```
 */
export function inferSafeDtype(data: SafeTypedArray): SafeDtype {
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof Int32Array) return 'I32';
  if (data instanceof Uint32Array) return 'U32';
  if (data instanceof Int16Array) return 'I16';
  if (data instanceof Uint16Array) return 'U16';
  if (data instanceof Int8Array) return 'I8';
  if (data instanceof Uint8Array) return 'U8';
  throw new Error(`encodeSafetensors: unsupported array type ${Object.prototype.toString.call(data)}`);
}

const utf8 = new TextEncoder();

function compareUtf8(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function elementCount(shape: readonly number[]): number | null {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) return null;
    n *= d;
  }
  return Number.isSafeInteger(n) ? n : null;
}

/** The optional string map stored as the file's `__metadata__`. */
export interface MetadataOptions {
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * Encodes named arrays (and optional string metadata) as a safetensors file. Checks that each
 * array's length matches its shape, its type matches its dtype and BOOL data is 0/1.
 *
 * @param tensors named arrays `{ dtype?, shape, data }`, as a record or a `Map`.
 * @param opts `metadata`: a string-to-string record stored as `__metadata__`.
 * @returns the file's bytes.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io } from 'typegrad';
 * const bytes = io.encodeSafetensors({ w: { shape: [2], data: Float32Array.from([1, 2]) } }, { metadata: { format: 'pt' } });
 * const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
 * assert.equal(bytes.length, 8 + headerLength + 8); // length, JSON header, 2 × 4 bytes of data
 * assert.throws(() => io.encodeSafetensors({ w: { shape: [3], data: Float32Array.from([1]) } }), /needs 3 elements/);
 * ```
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, SafeTensorInput>> | ReadonlyMap<string, SafeTensorInput>,
  opts?: MetadataOptions,
): Uint8Array {
  checkOptions('encodeSafetensors', opts, ['metadata']);
  const metadata = opts?.metadata;
  assertLittleEndian('encodeSafetensors');
  const entries: [string, SafeTensorInput][] =
    tensors instanceof Map
      ? [...(tensors as ReadonlyMap<string, SafeTensorInput>).entries()]
      : Object.entries(tensors);
  const items = entries.map(([name, t]) => {
    if (name === '__metadata__')
      throw new Error('encodeSafetensors: "__metadata__" is reserved for the metadata');
    const dtype = t.dtype ?? inferSafeDtype(t.data);
    if (!isSafeDtype(dtype)) {
      throw new Error(`encodeSafetensors: tensor "${name}" has unknown dtype ${String(dtype)}`);
    }
    const info = DTYPES[dtype];
    if (!info.is(t.data)) {
      throw new Error(
        `encodeSafetensors: tensor "${name}" is ${dtype} but its data is a ${Object.prototype.toString.call(t.data).slice(8, -1)}`,
      );
    }
    const n = elementCount(t.shape);
    if (n === null) {
      throw new Error(`encodeSafetensors: tensor "${name}" has an invalid shape [${t.shape.join(', ')}]`);
    }
    if (t.data.length !== n) {
      throw new Error(
        `encodeSafetensors: tensor "${name}" of shape [${t.shape.join(', ')}] needs ${n} elements, data has ${t.data.length}`,
      );
    }
    if (dtype === 'BOOL') {
      const i = (t.data as Uint8Array).findIndex((v) => v > 1);
      if (i >= 0)
        throw new Error(`encodeSafetensors: BOOL tensor "${name}" has value ${t.data[i]} at index ${i}`);
    }
    return { name, dtype, shape: [...t.shape], data: t.data, info };
  });
  items.sort((a, b) => b.info.rank - a.info.rank || compareUtf8(a.name, b.name));

  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new Error(`encodeSafetensors: metadata "${k}" must be a string`);
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const it of items) {
    const end = offset + it.data.byteLength;
    Object.defineProperty(header, it.name, {
      value: { dtype: it.dtype, shape: it.shape, data_offsets: [offset, end] },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    offset = end;
  }
  const json = utf8.encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let pos = 8 + padded;
  for (const it of items) {
    out.set(new Uint8Array(it.data.buffer, it.data.byteOffset, it.data.byteLength), pos);
    pos += it.data.byteLength;
  }
  return out;
}

/**
 * Decodes a safetensors file into named typed arrays (fresh copies, safe to keep). Throws an
 * `Error` starting `readSafetensors(<name>):` that says what is wrong: a short file, a header
 * length past the end or over 100 MB, bad UTF-8 or JSON, a header that is not an object, an
 * unknown or unsupported dtype, a bad shape, offsets that do not match the shape, overlap,
 * leave gaps or do not cover the data exactly, non-string metadata, BOOL bytes other than 0/1.
 *
 * @param bytes the file's bytes.
 * @param name the name errors use (default `'<bytes>'`).
 * @param options `skip`: widened dtypes to leave out.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { io } from 'typegrad';
 * const bytes = io.encodeSafetensors({ b: { shape: [1], data: Int32Array.from([5]) } }, { metadata: { step: '3' } });
 * const { tensors, metadata } = io.decodeSafetensors(bytes, 'ckpt.safetensors');
 * assert.deepEqual([tensors.b!.dtype, [...tensors.b!.data], metadata], ['I32', [5], { step: '3' }]);
 * assert.throws(() => io.decodeSafetensors(bytes.subarray(0, 12), 'ckpt.safetensors'), /^Error: readSafetensors\(ckpt\.safetensors\): /);
 * ```
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  name = '<bytes>',
  options: DecodeOptions = {},
): SafetensorsContents {
  assertLittleEndian('decodeSafetensors');
  const fail = (msg: string): never => {
    throw new Error(`readSafetensors(${name}): ${msg}`);
  };
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes long, too short for the 8-byte header length`);
  const n64 = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_SIZE)) fail(`header length ${n64} is over the ${MAX_HEADER_SIZE}-byte limit`);
  const n = Number(n64);
  if (8 + n > bytes.length) {
    fail(`header length ${n} runs past the end of the file (${bytes.length - 8} bytes after the length)`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return fail('the header is not valid UTF-8');
  }
  if (!text.startsWith('{'))
    fail(`the header must be a JSON object starting with "{", found ${JSON.stringify(text.slice(0, 20))}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    fail('the header is not a JSON object');
  const header = parsed as Record<string, unknown>;

  const metadata: Record<string, string> = {};
  const infos: {
    name: string;
    dtype: SafeDtype | WideDtype;
    shape: number[];
    begin: number;
    end: number;
  }[] = [];
  for (const key of Object.keys(header)) {
    const value = header[key];
    if (key === '__metadata__') {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        fail('__metadata__ must be an object');
      for (const [mk, mv] of Object.entries(value as object)) {
        if (typeof mv !== 'string')
          fail(`__metadata__ value for "${mk}" must be a string, found ${JSON.stringify(mv)}`);
        Object.defineProperty(metadata, mk, {
          value: mv,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      continue;
    }
    const where = `tensor "${key}"`;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      fail(`${where} must be an object`);
    const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
    if (!isSafeDtype(dtype) && !isWideDtype(dtype)) {
      if (typeof dtype === 'string' && KNOWN_UNSUPPORTED.has(dtype)) {
        fail(
          `${where} has dtype ${dtype}, which typegrad does not read (supported: ${[...Object.keys(DTYPES), ...Object.keys(WIDE_DTYPES)].join(', ')})`,
        );
      }
      fail(`${where} has unknown dtype ${JSON.stringify(dtype)}`);
    }
    const d = dtype as SafeDtype | WideDtype;
    const bytesPer = isWideDtype(d) ? WIDE_DTYPES[d].bytes : DTYPES[d].bytes;
    if (!Array.isArray(shape) || !shape.every((x) => Number.isSafeInteger(x) && x >= 0)) {
      fail(`${where} has an invalid shape ${JSON.stringify(shape)} (expected non-negative integers)`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((x) => Number.isSafeInteger(x) && x >= 0) ||
      offsets[0] > offsets[1]
    ) {
      fail(
        `${where} has invalid data_offsets ${JSON.stringify(offsets)} (expected [begin, end] with begin <= end)`,
      );
    }
    const [begin, end] = offsets as [number, number];
    const count = elementCount(shape as number[]);
    const want = count === null ? null : count * bytesPer;
    if (want === null || !Number.isSafeInteger(want))
      fail(`${where}: shape ${JSON.stringify(shape)} is too large`);
    if (end - begin !== want) {
      fail(
        `${where}: ${d} of shape [${(shape as number[]).join(', ')}] needs ${want} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`,
      );
    }
    infos.push({ name: key, dtype: d, shape: shape as number[], begin, end });
  }
  const sorted = [...infos].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expect = 0;
  for (const t of sorted) {
    if (t.begin !== expect) {
      fail(
        t.begin < expect
          ? `tensor "${t.name}" data_offsets [${t.begin}, ${t.end}] overlap the previous tensor (which ends at ${expect})`
          : `tensor "${t.name}" data_offsets [${t.begin}, ${t.end}] leave a gap after byte ${expect}`,
      );
    }
    expect = t.end;
  }
  const dataBytes = bytes.length - 8 - n;
  if (expect !== dataBytes) {
    fail(
      expect > dataBytes
        ? `truncated: the header needs ${expect} data bytes, the file has ${dataBytes}`
        : `the tensors cover ${expect} data bytes but the file has ${dataBytes} after the header`,
    );
  }
  const base = 8 + n;
  const tensors: Record<string, SafeTensor> = {};
  const skipped: string[] = [];
  for (const t of infos) {
    if (isWideDtype(t.dtype)) {
      if (options.skip?.includes(t.dtype)) {
        skipped.push(t.name);
        continue;
      }
      const wide = WIDE_DTYPES[t.dtype];
      const data = wide.decode(bytes.subarray(base + t.begin, base + t.end), (i, v) =>
        fail(
          `${t.dtype} tensor "${t.name}" has value ${v} at index ${i}, outside the I32 range (skip it with { skip: ['${t.dtype}'] })`,
        ),
      );
      Object.defineProperty(tensors, t.name, {
        value: { dtype: wide.to, shape: t.shape, data },
        enumerable: true,
        writable: true,
        configurable: true,
      });
      continue;
    }
    // An explicit copy: a Node Buffer's slice() is a view into a shared pool, not a copy.
    const copy = new Uint8Array(t.end - t.begin);
    copy.set(bytes.subarray(base + t.begin, base + t.end));
    const data = DTYPES[t.dtype].make(copy.buffer);
    if (t.dtype === 'BOOL') {
      const i = data.findIndex((v) => v > 1);
      if (i >= 0) fail(`BOOL tensor "${t.name}" has byte ${data[i]} at index ${i} (expected 0 or 1)`);
    }
    Object.defineProperty(tensors, t.name, {
      value: { dtype: t.dtype, shape: t.shape, data },
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return skipped.length > 0 ? { tensors, metadata, skipped } : { tensors, metadata };
}

/**
 * IDX files (the MNIST container format, http://yann.lecun.com/exdb/mnist/): a 4-byte magic
 * `0x00 0x00 <type> <ndims>`, `ndims` big-endian uint32 dims, then the data, row-major and
 * big-endian.
 *
 * This module is browser-safe: it works on `Uint8Array`s. Gzipped input is detected by the
 * gzip magic (0x1f 0x8b) and decompressed with `DecompressionStream` ({@link parseIdxAsync})
 * or with a synchronous `gunzip` you pass in (the Node adapter in `node-fs.ts` passes
 * `zlib.gunzipSync`).
 */

/**
 * The element types of the IDX format (MNIST's file format): the type byte of its magic number.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const dtype: data.IdxDtype = 'float32';
 * const back = data.parseIdx(data.encodeIdx({ dtype, shape: [1], data: Float32Array.from([0.5]) }));
 * assert.equal(back.dtype, 'float32');
 * ```
 */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/**
 * The typed array of each IDX element type.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const bytes: data.IdxTypedArrayMap['uint8'] = new Uint8Array([1, 2]);
 * assert.equal(data.parseIdx(data.encodeIdx({ dtype: 'uint8', shape: [2], data: bytes })).data[1], 2);
 * ```
 */
export interface IdxTypedArrayMap {
  /** Type byte 0x08. */
  uint8: Uint8Array;
  /** Type byte 0x09. */
  int8: Int8Array;
  /** Type byte 0x0b. */
  int16: Int16Array;
  /** Type byte 0x0c. */
  int32: Int32Array;
  /** Type byte 0x0d. */
  float32: Float32Array;
  /** Type byte 0x0e. */
  float64: Float64Array;
}

/**
 * Any of the typed arrays an IDX file decodes to.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const values: data.IdxTypedArray = data.parseIdx(data.encodeIdx({ dtype: 'int16', shape: [1], data: new Int16Array([-7]) })).data;
 * assert.ok(values instanceof Int16Array);
 * ```
 */
export type IdxTypedArray = IdxTypedArrayMap[IdxDtype];

/**
 * A decoded IDX file: its element type, its dims and its data in native byte order.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const images: data.IdxArray<'uint8'> = { dtype: 'uint8', shape: [2, 2, 2], data: new Uint8Array(8) };
 * assert.equal(data.encodeIdx(images).length, 4 + 3 * 4 + 8); // magic, 3 dims, data
 * ```
 */
export interface IdxArray<D extends IdxDtype = IdxDtype> {
  /** The element type (from the magic number's type byte). */
  readonly dtype: D;
  /** The dims, outermost first. */
  readonly shape: number[];
  /** The elements, row-major, in native byte order. */
  readonly data: IdxTypedArrayMap[D];
}

interface DtypeInfo {
  readonly code: number;
  readonly bytes: number;
}

const DTYPES: Readonly<Record<IdxDtype, DtypeInfo>> = {
  uint8: { code: 0x08, bytes: 1 },
  int8: { code: 0x09, bytes: 1 },
  int16: { code: 0x0b, bytes: 2 },
  int32: { code: 0x0c, bytes: 4 },
  float32: { code: 0x0d, bytes: 4 },
  float64: { code: 0x0e, bytes: 8 },
};

const DTYPE_BY_CODE = new Map<number, IdxDtype>(
  (Object.keys(DTYPES) as IdxDtype[]).map((d) => [DTYPES[d].code, d]),
);

const hex2 = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

/**
 * True when the bytes start with the gzip magic 0x1f 0x8b.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * assert.equal(data.isGzip(new Uint8Array([0x1f, 0x8b, 8])), true);
 * assert.equal(data.isGzip(new Uint8Array([0, 0, 8, 1])), false);
 * ```
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The options of `data.parseIdx`: a name for error messages and a synchronous gunzip.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { gunzipSync } from 'node:zlib';
 * import { data } from 'typegrad';
 * const opts: data.ParseIdxOptions = { name: 'labels.idx', gunzip: (b) => gunzipSync(b) };
 * assert.throws(() => data.parseIdx(new Uint8Array([1, 2]), opts), /^Error: readIdx\(labels\.idx\): /);
 * ```
 */
export interface ParseIdxOptions {
  /** Name used in error messages (usually the file name). Default `'<bytes>'`. */
  readonly name?: string;
  /** Synchronous gunzip, used when the bytes are gzipped. */
  readonly gunzip?: (bytes: Uint8Array) => Uint8Array;
}

/**
 * Builds the error every IDX failure throws: `readIdx(<name>): <what is wrong>`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * assert.equal(data.idxError('x.idx', 'truncated').message, 'readIdx(x.idx): truncated');
 * ```
 */
export function idxError(name: string, message: string, cause?: unknown): Error {
  return cause === undefined
    ? new Error(`readIdx(${name}): ${message}`)
    : new Error(`readIdx(${name}): ${message}`, { cause });
}

/**
 * Decodes an IDX file. Gzipped bytes need `options.gunzip` (or use {@link parseIdxAsync}).
 * Throws an `Error` naming the file and what is wrong for a bad magic, an unknown type byte,
 * truncated or oversized data.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const bytes = data.encodeIdx({ dtype: 'int32', shape: [2, 2], data: Int32Array.from([1, 2, 3, 4]) });
 * const a = data.parseIdx(bytes, { name: 'm.idx' });
 * assert.deepEqual([a.dtype, a.shape, [...a.data]], ['int32', [2, 2], [1, 2, 3, 4]]);
 * assert.throws(() => data.parseIdx(bytes.subarray(0, 10), { name: 'm.idx' }), /^Error: readIdx\(m\.idx\): /);
 * ```
 */
export function parseIdx(bytes: Uint8Array, options: ParseIdxOptions = {}): IdxArray {
  const name = options.name ?? '<bytes>';
  let raw = bytes;
  if (isGzip(bytes)) {
    if (options.gunzip === undefined) {
      throw idxError(name, 'the data is gzipped; pass a gunzip function or use parseIdxAsync');
    }
    try {
      raw = options.gunzip(bytes);
    } catch (e) {
      throw idxError(name, `gzip data is corrupt or truncated (${(e as Error).message})`, e);
    }
  }
  return decodeIdx(raw, name);
}

/**
 * Like {@link parseIdx}, but decompresses gzip with the web `DecompressionStream`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { gzipSync } from 'node:zlib';
 * import { data } from 'typegrad';
 * const gz = gzipSync(data.encodeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array([4, 5, 6]) }));
 * const a = await data.parseIdxAsync(gz, { name: 'v.idx.gz' });
 * assert.deepEqual([...a.data], [4, 5, 6]);
 * ```
 */
export async function parseIdxAsync(
  bytes: Uint8Array,
  options: { readonly name?: string } = {},
): Promise<IdxArray> {
  const name = options.name ?? '<bytes>';
  let raw = bytes;
  if (isGzip(bytes)) {
    try {
      raw = await gunzipWeb(bytes);
    } catch (e) {
      throw idxError(name, `gzip data is corrupt or truncated (${(e as Error).message})`, e);
    }
  }
  return decodeIdx(raw, name);
}

/**
 * Gunzips with the web-standard `DecompressionStream` (browsers, Node >= 18, Deno, Bun).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { gzipSync } from 'node:zlib';
 * import { data } from 'typegrad';
 * assert.deepEqual([...(await data.gunzipWeb(gzipSync(new Uint8Array([1, 2, 3]))))], [1, 2, 3]);
 * ```
 */
export async function gunzipWeb(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function decodeIdx(raw: Uint8Array, name: string): IdxArray {
  if (raw.length < 4) {
    throw idxError(name, `file is ${raw.length} bytes long, too short for the 4-byte IDX magic`);
  }
  const [m0, m1, code, ndims] = [raw[0]!, raw[1]!, raw[2]!, raw[3]!];
  if (m0 !== 0 || m1 !== 0) {
    throw idxError(
      name,
      `bad magic: the first two bytes must be 0x00 0x00, found ${hex2(m0)} ${hex2(m1)} (not an IDX file)`,
    );
  }
  const dtype = DTYPE_BY_CODE.get(code);
  if (dtype === undefined) {
    throw idxError(
      name,
      `unknown data type byte ${hex2(code)} (expected 0x08 ubyte, 0x09 sbyte, 0x0b short, 0x0c int, 0x0d float or 0x0e double)`,
    );
  }
  const headerBytes = 4 + 4 * ndims;
  if (raw.length < headerBytes) {
    throw idxError(
      name,
      `header declares ${ndims} dims (${headerBytes} header bytes) but the file is only ${raw.length} bytes`,
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < ndims; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    shape.push(d);
    count *= d;
  }
  const { bytes: itemBytes } = DTYPES[dtype];
  const expected = count * itemBytes;
  const found = raw.length - headerBytes;
  if (found !== expected) {
    const what = found < expected ? 'truncated' : 'trailing bytes after the data';
    throw idxError(
      name,
      `${what}: expected ${expected} data bytes after the header (shape [${shape.join(', ')}] of ${dtype}), found ${found}`,
    );
  }
  return { dtype, shape, data: readBigEndian(view, headerBytes, dtype, count) };
}

function readBigEndian(view: DataView, offset: number, dtype: IdxDtype, n: number): IdxTypedArray {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + n));
    case 'int8':
      return new Int8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + n));
    case 'int16': {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/**
 * Encodes an array as an (uncompressed) IDX file. The data length must match the shape.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const bytes = data.encodeIdx({ dtype: 'uint8', shape: [2], data: new Uint8Array([9, 8]) });
 * assert.deepEqual([...bytes], [0, 0, 8, 1, 0, 0, 0, 2, 9, 8]); // magic (type 0x08, 1 dim), dims, data
 * ```
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const { dtype, shape, data } = array;
  if (!Object.hasOwn(DTYPES, dtype)) throw new Error(`encodeIdx: unknown dtype ${String(dtype)}`);
  const info = DTYPES[dtype];
  if (shape.length > 255) throw new Error(`encodeIdx: at most 255 dims, got ${shape.length}`);
  let count = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) {
      throw new Error(`encodeIdx: dims must be integers in [0, 2^32), got [${shape.join(', ')}]`);
    }
    count *= d;
  }
  if (data.length !== count) {
    throw new Error(
      `encodeIdx: shape [${shape.join(', ')}] needs ${count} elements, data has ${data.length}`,
    );
  }
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + count * info.bytes);
  const view = new DataView(out.buffer);
  out[2] = info.code;
  out[3] = shape.length;
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  for (let i = 0; i < count; i++) {
    const v = data[i]!;
    const o = header + i * info.bytes;
    switch (dtype) {
      case 'uint8':
        view.setUint8(o, v);
        break;
      case 'int8':
        view.setInt8(o, v);
        break;
      case 'int16':
        view.setInt16(o, v, false);
        break;
      case 'int32':
        view.setInt32(o, v, false);
        break;
      case 'float32':
        view.setFloat32(o, v, false);
        break;
      case 'float64':
        view.setFloat64(o, v, false);
        break;
    }
  }
  return out;
}

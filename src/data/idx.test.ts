import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeIdx, type IdxArray, type IdxDtype, isGzip, parseIdx, parseIdxAsync } from './idx.ts';

const gunzip = (b: Uint8Array) => gunzipSync(b);

describe('parseIdx', () => {
  it('decodes a hand-written uint8 file', () => {
    // magic 00 00 08 02, dims 2 and 3, then 6 bytes.
    const bytes = new Uint8Array([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 250, 251, 255]);
    const a = parseIdx(bytes);
    expect(a.dtype).toBe('uint8');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 250, 251, 255]);
    expect(a.data).toBeInstanceOf(Uint8Array);
  });

  it('decodes big-endian int16, int32, float32 and float64', () => {
    const i16 = parseIdx(new Uint8Array([0, 0, 0x0b, 1, 0, 0, 0, 2, 0xff, 0xfe, 0x01, 0x02]));
    expect(i16.dtype).toBe('int16');
    expect(Array.from(i16.data)).toEqual([-2, 258]);
    const i32 = parseIdx(new Uint8Array([0, 0, 0x0c, 1, 0, 0, 0, 1, 0x80, 0, 0, 1]));
    expect(Array.from(i32.data)).toEqual([-2147483647]);
    const f32 = parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0]));
    expect(f32.dtype).toBe('float32');
    expect(Array.from(f32.data)).toEqual([1.5]);
    const f64 = parseIdx(
      new Uint8Array([0, 0, 0x0e, 1, 0, 0, 0, 1, 0xc0, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18]),
    );
    expect(f64.dtype).toBe('float64');
    expect(f64.data[0]).toBe(-Math.PI);
    const i8 = parseIdx(new Uint8Array([0, 0, 0x09, 1, 0, 0, 0, 2, 0xff, 0x7f]));
    expect(Array.from(i8.data)).toEqual([-1, 127]);
  });

  it('reads gzipped data through the given gunzip, and async via DecompressionStream', async () => {
    const raw = encodeIdx({ dtype: 'uint8', shape: [2, 2], data: new Uint8Array([9, 8, 7, 6]) });
    const gz = gzipSync(raw);
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(raw)).toBe(false);
    expect(Array.from(parseIdx(gz, { gunzip }).data)).toEqual([9, 8, 7, 6]);
    const a = await parseIdxAsync(gz, { name: 'x.gz' });
    expect(a.shape).toEqual([2, 2]);
    expect(Array.from(a.data)).toEqual([9, 8, 7, 6]);
    expect(Array.from((await parseIdxAsync(raw)).data)).toEqual([9, 8, 7, 6]);
  });

  it('handles zero-size dims', () => {
    const a = parseIdx(encodeIdx({ dtype: 'float32', shape: [0, 28, 28], data: new Float32Array(0) }));
    expect(a.shape).toEqual([0, 28, 28]);
    expect(a.data.length).toBe(0);
  });

  it('names the file and the fault for bad input', () => {
    const name = 'train-images-idx3-ubyte.gz';
    expect(() => parseIdx(new Uint8Array([0, 0]), { name })).toThrow(
      'readIdx(train-images-idx3-ubyte.gz): file is 2 bytes long, too short for the 4-byte IDX magic',
    );
    expect(() => parseIdx(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), { name })).toThrow(
      'readIdx(train-images-idx3-ubyte.gz): bad magic: the first two bytes must be 0x00 0x00, found 0x50 0x4b (not an IDX file)',
    );
    expect(() => parseIdx(new Uint8Array([0, 0, 0x0a, 1, 0, 0, 0, 0]), { name })).toThrow(
      /unknown data type byte 0x0a/,
    );
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1]), { name })).toThrow(
      'readIdx(train-images-idx3-ubyte.gz): header declares 3 dims (16 header bytes) but the file is only 8 bytes',
    );
    const header = encodeIdx({ dtype: 'uint8', shape: [60000, 28, 28], data: new Uint8Array(47040000) });
    const truncated = header.subarray(0, 16 + 1000);
    expect(() => parseIdx(truncated, { name })).toThrow(
      'readIdx(train-images-idx3-ubyte.gz): truncated: expected 47040000 data bytes after the header (shape [60000, 28, 28] of uint8), found 1000',
    );
    const long = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 5, 6]);
    expect(() => parseIdx(long, { name: 'l' })).toThrow(
      'readIdx(l): trailing bytes after the data: expected 1 data bytes after the header (shape [1] of uint8), found 2',
    );
  });

  it('rejects gzip without a gunzip, and corrupt gzip', async () => {
    const gz = gzipSync(encodeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array([1, 2, 3]) }));
    expect(() => parseIdx(gz, { name: 'a.gz' })).toThrow('readIdx(a.gz): the data is gzipped');
    const cut = gz.subarray(0, gz.length - 6);
    expect(() => parseIdx(cut, { name: 'a.gz', gunzip })).toThrow(
      /readIdx\(a\.gz\): gzip data is corrupt or truncated/,
    );
    await expect(parseIdxAsync(cut, { name: 'a.gz' })).rejects.toThrow(
      /readIdx\(a\.gz\): gzip data is corrupt or truncated/,
    );
  });
});

describe('encodeIdx', () => {
  it('writes the documented header', () => {
    const b = encodeIdx({ dtype: 'int32', shape: [1, 2], data: new Int32Array([1, -1]) });
    expect(Array.from(b)).toEqual([0, 0, 0x0c, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 255, 255, 255, 255]);
  });

  it('rejects data that does not fit the shape', () => {
    expect(() => encodeIdx({ dtype: 'uint8', shape: [2, 2], data: new Uint8Array(3) })).toThrow(
      'encodeIdx: shape [2, 2] needs 4 elements, data has 3',
    );
  });

  it('round-trips every dtype (property)', () => {
    const ctor: Record<IdxDtype, (xs: number[]) => IdxArray['data']> = {
      uint8: (xs) => Uint8Array.from(xs),
      int8: (xs) => Int8Array.from(xs),
      int16: (xs) => Int16Array.from(xs),
      int32: (xs) => Int32Array.from(xs),
      float32: (xs) => Float32Array.from(xs),
      float64: (xs) => Float64Array.from(xs),
    };
    fc.assert(
      fc.property(
        fc.constantFrom<IdxDtype>('uint8', 'int8', 'int16', 'int32', 'float32', 'float64'),
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
        fc.integer(),
        (dtype, shape, seed) => {
          const n = shape.reduce((a, b) => a * b, 1);
          const xs = Array.from({ length: n }, (_, i) => ((seed + i * 2654435761) % 100000) / 7);
          const data = ctor[dtype](xs);
          const back = parseIdx(encodeIdx({ dtype, shape, data } as IdxArray));
          expect(back.dtype).toBe(dtype);
          expect(back.shape).toEqual(shape);
          expect(Array.from(back.data)).toEqual(Array.from(data));
        },
      ),
      { numRuns: 200 },
    );
  });
});

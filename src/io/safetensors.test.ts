import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, type SafeDtype, type SafeTensorInput } from './safetensors.ts';

// Byte-exact outputs of the reference implementation's `serialize`, from the tests in
// huggingface/safetensors, safetensors/src/tensor.rs (test_serialization, test_empty,
// test_serialization_forced_alignement).
const ATTN_0 = [
  64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34,
  58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97,
  116, 97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0,
  128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
];
const EMPTY = [8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32];
const EMPTY_WITH_METADATA = [
  40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95, 95, 34, 58, 123, 34, 102,
  114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112, 116, 34, 125, 125, 32, 32, 32, 32, 32,
];
const ATTN0_ALIGNED = [
  72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34, 58,
  34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100,
  97, 116, 97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32,
  32, 32, 32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
];

const f32 = Float32Array.from([0, 1, 2, 3, 4, 5]);

/** Builds a file from a header object and raw data bytes, padding the header to 8. */
function file(header: unknown, data: number[] = [], pad = true): Uint8Array {
  let json = typeof header === 'string' ? header : JSON.stringify(header);
  if (pad) json = json.padEnd(Math.ceil(json.length / 8) * 8, ' ');
  const h = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('encodeSafetensors matches the reference serializer byte for byte', () => {
  it('one F32 tensor', () => {
    expect(
      Array.from(encodeSafetensors({ 'attn.0': { dtype: 'F32', shape: [1, 2, 3], data: f32 } })),
    ).toEqual(ATTN_0);
    expect(Array.from(encodeSafetensors({ attn0: { shape: [1, 1, 2, 3], data: f32 } }))).toEqual(
      ATTN0_ALIGNED,
    );
  });

  it('no tensors, with and without metadata', () => {
    expect(Array.from(encodeSafetensors({}))).toEqual(EMPTY);
    expect(Array.from(encodeSafetensors({}, { metadata: { framework: 'pt' } }))).toEqual(EMPTY_WITH_METADATA);
  });

  it('orders tensors by descending dtype, then name, like the reference', () => {
    const out = encodeSafetensors({
      b: { dtype: 'BOOL', shape: [2], data: new Uint8Array([1, 0]) },
      z: { shape: [1], data: new Int32Array([7]) },
      a: { shape: [1], data: new Int32Array([8]) },
      w: { shape: [1], data: new Float64Array([0.5]) },
    });
    const n = Number(new DataView(out.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(out.subarray(8, 8 + n)));
    expect(Object.keys(header)).toEqual(['w', 'a', 'z', 'b']);
    expect(header.w.data_offsets).toEqual([0, 8]);
    expect(header.a.data_offsets).toEqual([8, 12]);
    expect(header.b.data_offsets).toEqual([16, 18]);
    expect(n % 8).toBe(0);
  });
});

describe('decodeSafetensors', () => {
  it('reads the reference files', () => {
    const a = decodeSafetensors(Uint8Array.from(ATTN_0));
    expect(Object.keys(a.tensors)).toEqual(['attn.0']);
    const t = a.tensors['attn.0']!;
    expect(t.dtype).toBe('F32');
    expect(t.shape).toEqual([1, 2, 3]);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t.data)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(decodeSafetensors(Uint8Array.from(EMPTY_WITH_METADATA)).metadata).toEqual({ framework: 'pt' });
    expect(decodeSafetensors(Uint8Array.from(EMPTY))).toEqual({ tensors: {}, metadata: {} });
  });

  it("reads the reference doc example (I32 [2, 2], unpadded header '<')", () => {
    const bytes = file(
      '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}',
      new Array(16).fill(0),
      false,
    );
    expect(bytes[0]).toBe(60); // '<'
    const t = decodeSafetensors(bytes).tensors.test!;
    expect(t.dtype).toBe('I32');
    expect(Array.from(t.data)).toEqual([0, 0, 0, 0]);
  });

  it('reads offsets in any header order and from an unaligned view, copying the data', () => {
    const bytes = file(
      {
        second: { dtype: 'U16', shape: [1], data_offsets: [4, 6] },
        first: { dtype: 'I32', shape: [], data_offsets: [0, 4] },
        empty: { dtype: 'F64', shape: [0, 3], data_offsets: [6, 6] },
      },
      [0xff, 0xff, 0xff, 0xff, 0x34, 0x12],
    );
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const r = decodeSafetensors(shifted.subarray(1));
    expect(Array.from(r.tensors.first!.data)).toEqual([-1]);
    expect(r.tensors.first!.shape).toEqual([]);
    expect(Array.from(r.tensors.second!.data)).toEqual([0x1234]);
    expect(r.tensors.empty!.data.length).toBe(0);
    shifted.fill(0);
    expect(Array.from(r.tensors.first!.data)).toEqual([-1]);
  });

  it('keeps a tensor named __proto__ as an ordinary entry', () => {
    const r = decodeSafetensors(
      encodeSafetensors(new Map([['__proto__', { shape: [1], data: new Uint8Array([3]) }]])),
    );
    expect(Object.keys(r.tensors)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(r.tensors)).toBe(Object.prototype);
  });

  const bad: [string, Uint8Array, string][] = [
    ['short file', new Uint8Array(5), 'file is 5 bytes long, too short for the 8-byte header length'],
    [
      'header past the end',
      file({}).subarray(0, 12),
      'header length 8 runs past the end of the file (4 bytes after the length)',
    ],
    [
      'huge header length',
      Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 0, 123, 125]),
      'header length 4294967296 is over the 100000000-byte limit',
    ],
    ['not JSON', file('{"a": '), 'the header is not valid JSON'],
    ['not an object', file('[1, 2]'), 'the header must be a JSON object starting with "{", found "[1, 2]  "'],
    [
      'bad UTF-8',
      (() => {
        const b = file('{"a":1}');
        b[10] = 0xff;
        return b;
      })(),
      'the header is not valid UTF-8',
    ],
    [
      'unknown dtype',
      file({ x: { dtype: 'F33', shape: [], data_offsets: [0, 4] } }, [0, 0, 0, 0]),
      'tensor "x" has unknown dtype "F33"',
    ],
    [
      'unsupported dtype',
      file({ x: { dtype: 'U64', shape: [1], data_offsets: [0, 8] } }, [0, 0, 0, 0, 0, 0, 0, 0]),
      'tensor "x" has dtype U64, which typegrad does not read (supported: BOOL, U8, I8, I16, U16, I32, U32, F32, F64, F16, BF16, I64)',
    ],
    [
      'bad shape',
      file({ x: { dtype: 'U8', shape: [-1], data_offsets: [0, 0] } }),
      'tensor "x" has an invalid shape [-1] (expected non-negative integers)',
    ],
    [
      'bad offsets',
      file({ x: { dtype: 'U8', shape: [1], data_offsets: [1, 0] } }, [0]),
      'tensor "x" has invalid data_offsets [1,0] (expected [begin, end] with begin <= end)',
    ],
    [
      'size mismatch',
      file({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, [0, 0, 0, 0]),
      'tensor "x": F32 of shape [2] needs 8 bytes but data_offsets [0, 4] span 4',
    ],
    [
      'overlap',
      file(
        {
          x: { dtype: 'U8', shape: [2], data_offsets: [0, 2] },
          y: { dtype: 'U8', shape: [2], data_offsets: [1, 3] },
        },
        [0, 0, 0],
      ),
      'tensor "y" data_offsets [1, 3] overlap the previous tensor (which ends at 2)',
    ],
    [
      'gap',
      file({ x: { dtype: 'U8', shape: [1], data_offsets: [1, 2] } }, [0, 0]),
      'tensor "x" data_offsets [1, 2] leave a gap after byte 0',
    ],
    [
      'truncated data',
      file({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, [0, 0, 0]),
      'truncated: the header needs 8 data bytes, the file has 3',
    ],
    [
      'trailing data',
      file({ x: { dtype: 'U8', shape: [1], data_offsets: [0, 1] } }, [0, 0]),
      'the tensors cover 1 data bytes but the file has 2 after the header',
    ],
    [
      'bad metadata',
      file({ __metadata__: { epoch: 3 } }),
      '__metadata__ value for "epoch" must be a string, found 3',
    ],
    [
      'bad BOOL',
      file({ m: { dtype: 'BOOL', shape: [2], data_offsets: [0, 2] } }, [1, 2]),
      'BOOL tensor "m" has byte 2 at index 1 (expected 0 or 1)',
    ],
  ];
  for (const [what, bytes, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => decodeSafetensors(bytes, 'model.safetensors')).toThrow(
        `readSafetensors(model.safetensors): ${message}`,
      );
    });
  }
});

describe('encodeSafetensors bad input', () => {
  it('names the tensor and the fault', () => {
    expect(() => encodeSafetensors({ w: { shape: [2, 2], data: new Float32Array(3) } })).toThrow(
      'encodeSafetensors: tensor "w" of shape [2, 2] needs 4 elements, data has 3',
    );
    expect(() => encodeSafetensors({ w: { dtype: 'F64', shape: [1], data: new Float32Array(1) } })).toThrow(
      'encodeSafetensors: tensor "w" is F64 but its data is a Float32Array',
    );
    expect(() =>
      encodeSafetensors({ m: { dtype: 'BOOL', shape: [2], data: new Uint8Array([0, 5]) } }),
    ).toThrow('encodeSafetensors: BOOL tensor "m" has value 5 at index 1');
    expect(() => encodeSafetensors({ __metadata__: { shape: [0], data: new Uint8Array(0) } })).toThrow(
      'reserved',
    );
    expect(() => encodeSafetensors({ w: { shape: [1.5], data: new Uint8Array(1) } })).toThrow(
      'invalid shape [1.5]',
    );
  });
});

describe('round trip (property)', () => {
  const dtypes: SafeDtype[] = ['F64', 'F32', 'U32', 'I32', 'U16', 'I16', 'I8', 'U8', 'BOOL'];
  const make = (d: SafeDtype, xs: number[]): SafeTensorInput['data'] => {
    switch (d) {
      case 'F64':
        return Float64Array.from(xs);
      case 'F32':
        return Float32Array.from(xs);
      case 'U32':
        return Uint32Array.from(xs);
      case 'I32':
        return Int32Array.from(xs);
      case 'U16':
        return Uint16Array.from(xs);
      case 'I16':
        return Int16Array.from(xs);
      case 'I8':
        return Int8Array.from(xs);
      case 'U8':
        return Uint8Array.from(xs);
      case 'BOOL':
        return Uint8Array.from(xs, (x) => x & 1);
    }
  };

  it('decode(encode(t)) = t for any set of named arrays', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s !== '__metadata__'),
          fc.record({
            dtype: fc.constantFrom(...dtypes),
            shape: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
            seed: fc.integer(),
          }),
          { maxKeys: 5 },
        ),
        fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
        (spec, metadata) => {
          const tensors: Record<string, SafeTensorInput> = {};
          for (const [name, { dtype, shape, seed }] of Object.entries(spec)) {
            const n = shape.reduce((a, b) => a * b, 1);
            const xs = Array.from({ length: n }, (_, i) => ((seed ^ (i * 40503)) % 1000) / 4);
            tensors[name] = { dtype, shape, data: make(dtype, xs) };
          }
          const back = decodeSafetensors(encodeSafetensors(tensors, { metadata }));
          expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(tensors).sort());
          for (const [name, t] of Object.entries(tensors)) {
            const b = back.tensors[name]!;
            expect(b.dtype).toBe(t.dtype);
            expect(b.shape).toEqual(t.shape);
            expect(b.data.constructor).toBe(t.data.constructor);
            expect(Array.from(b.data)).toEqual(Array.from(t.data));
          }
          expect(back.metadata).toEqual(metadata);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('Node Buffer input', () => {
  it('decodes from a Buffer inside a shared pool (Buffer.slice is a view, not a copy)', () => {
    const bytes = encodeSafetensors({ a: { shape: [2], data: Float32Array.from([1.5, -2]) } });
    const pooled = Buffer.from(bytes); // small Buffers live at an offset in a shared ArrayBuffer
    const r = decodeSafetensors(pooled);
    expect(Array.from(r.tensors.a!.data)).toEqual([1.5, -2]);
  });
});

describe('dtype lookups', () => {
  it('rejects dtype names that are Object.prototype members', () => {
    expect(() =>
      encodeSafetensors({ a: { dtype: 'toString' as 'F32', shape: [1], data: new Float32Array(1) } }),
    ).toThrow('encodeSafetensors: tensor "a" has unknown dtype toString');
    const bytes = new TextEncoder().encode('{"a":{"dtype":"constructor","shape":[],"data_offsets":[0,0]}}');
    const file = new Uint8Array(8 + bytes.length);
    new DataView(file.buffer).setBigUint64(0, BigInt(bytes.length), true);
    file.set(bytes, 8);
    expect(() => decodeSafetensors(file)).toThrow('tensor "a" has unknown dtype "constructor"');
  });
});

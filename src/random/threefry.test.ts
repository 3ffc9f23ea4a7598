import { describe, expect, it } from 'vitest';
import { threefry2x32, threefry2x32Rounds, threefryBits } from './threefry.ts';

// Random123 kat_vectors lines: name rounds ctr0 ctr1 key0 key1 -> out0 out1.
// The 20-round pi-digits case is also the one in JAX's tests/random_test.py (testThreefry2x32).
const KAT: ReadonlyArray<[number, number, number, number, number, number, number]> = [
  [13, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x9d1c5ec6, 0x8bd50731],
  [13, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xfd36d048, 0x2d17272c],
  [13, 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xba3e4725, 0xf27d669e],
  [20, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x6b200159, 0x99ba4efe],
  [20, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x1cb996fc, 0xbb002be7],
  [20, 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xc4923a9c, 0x483df7a0],
  [32, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0xcee3d47e, 0xa23dfd5c],
  [32, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x6e2fe0d0, 0xb1b76f82],
  [32, 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xe2827716, 0xc3c05cdf],
];

const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

describe('threefry2x32', () => {
  for (const [rounds, c0, c1, k0, k1, e0, e1] of KAT) {
    it(`matches Random123 KAT threefry2x32_${rounds} ctr=(${hex(c0)},${hex(c1)}) key=(${hex(k0)},${hex(k1)})`, () => {
      const out = threefry2x32Rounds(rounds, k0, k1, c0, c1);
      expect(out.map(hex)).toEqual([hex(e0), hex(e1)]);
      if (rounds === 20) expect(threefry2x32(k0, k1, c0, c1)).toEqual([e0, e1]);
    });
  }

  it('accepts int32 bit patterns the same as uint32', () => {
    expect(threefry2x32(-1, -1, -1, -1)).toEqual([0x1cb996fc, 0xbb002be7]);
    expect(threefry2x32(0x13198a2e, 0x03707344, 0x243f6a88 | 0, 0x85a308d3 | 0)).toEqual([
      0xc4923a9c, 0x483df7a0,
    ]);
  });

  it('returns uint32 numbers', () => {
    for (let i = 0; i < 100; i++) {
      for (const v of threefry2x32(i, i * 7919, i * 31, -i)) {
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(2 ** 32);
      }
    }
  });

  it('rejects a bad round count', () => {
    expect(() => threefry2x32Rounds(-1, 0, 0, 0, 0)).toThrow(/rounds/);
  });
});

describe('threefryBits', () => {
  it('lays out words block by block', () => {
    const bits = threefryBits(0x13198a2e, 0x03707344, 5, 7);
    expect(bits.length).toBe(5);
    for (let i = 0; i < 5; i++) {
      const [y0, y1] = threefry2x32(0x13198a2e, 0x03707344, Math.floor(i / 2), 7);
      expect(bits[i]).toBe(i % 2 === 0 ? y0 : y1);
    }
  });

  it('block 0 of stream 0 under the zero key is the zero KAT', () => {
    expect(Array.from(threefryBits(0, 0, 2, 0))).toEqual([0x6b200159, 0x99ba4efe]);
  });

  it('is a prefix-stable, deterministic stream', () => {
    const a = threefryBits(1, 2, 9, 3);
    const b = threefryBits(1, 2, 4, 3);
    expect(Array.from(a.subarray(0, 4))).toEqual(Array.from(b));
    expect(Array.from(threefryBits(1, 2, 9, 3))).toEqual(Array.from(a));
    expect(Array.from(threefryBits(1, 2, 4, 4))).not.toEqual(Array.from(b));
    expect(threefryBits(1, 2, 0, 0).length).toBe(0);
  });

  it('rejects a bad length', () => {
    expect(() => threefryBits(0, 0, -1, 0)).toThrow(/threefryBits/);
    expect(() => threefryBits(0, 0, 1.5, 0)).toThrow(/threefryBits/);
  });
});

describe('threefryBits fast path', () => {
  it('agrees with threefry2x32 block by block for many keys, streams and counters', () => {
    const keys: [number, number, number][] = [
      [0, 0, 0],
      [0xffffffff, 0xffffffff, 0xffffffff],
      [0x13198a2e, 0x03707344, 0x85a308d3],
      [-1, 5, -7],
      [123456789, 987654321, 42],
    ];
    for (const [k0, k1, stream] of keys) {
      const bits = threefryBits(k0, k1, 201, stream);
      for (let i = 0; i < 201; i++) {
        const [y0, y1] = threefry2x32(k0, k1, i >> 1, stream);
        expect(bits[i]).toBe(i % 2 === 0 ? y0 : y1);
      }
    }
  });
});

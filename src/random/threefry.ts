/**
 * Threefry-2x32 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011; the Random123 library), 20 rounds — the same generator JAX uses.
 *
 * All arithmetic is on uint32 values kept as JS numbers via `>>> 0`; no Math.imul is needed
 * because Threefry only adds, rotates and xors.
 */

/** Rotation constants R_32x2 from Random123's threefry.h. */
const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24] as const;

/** The key-schedule parity constant SKEIN_KS_PARITY32. */
const KS_PARITY = 0x1bd11bda;

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

/**
 * Threefry-2x32 with a configurable round count (Random123's `threefry2x32_R`). Exposed for
 * testing against the 13-round known-answer vectors; use {@link threefry2x32} in library code.
 */
export function threefry2x32Rounds(
  rounds: number,
  k0: number,
  k1: number,
  x0: number,
  x1: number,
): [number, number] {
  if (!Number.isInteger(rounds) || rounds < 0 || rounds > 32) {
    throw new RangeError(`threefry2x32: rounds must be an integer in [0, 32], got ${rounds}`);
  }
  const ks0 = k0 >>> 0;
  const ks1 = k1 >>> 0;
  const ks2 = (KS_PARITY ^ ks0 ^ ks1) >>> 0;
  const ks = [ks0, ks1, ks2] as const;
  let a = ((x0 >>> 0) + ks0) >>> 0;
  let b = ((x1 >>> 0) + ks1) >>> 0;
  for (let r = 0; r < rounds; r++) {
    a = (a + b) >>> 0;
    b = rotl(b, ROTATIONS[r % 8]!);
    b = (b ^ a) >>> 0;
    if ((r & 3) === 3) {
      // Key injection number s = (r + 1) / 4.
      const s = (r + 1) >> 2;
      a = (a + ks[s % 3]!) >>> 0;
      b = (b + ks[(s + 1) % 3]! + s) >>> 0;
    }
  }
  return [a, b];
}

/**
 * Threefry-2x32 with 20 rounds: encrypts the counter block (x0, x1) under the key (k0, k1).
 * Inputs may be any int32 or uint32 bit pattern; outputs are uint32 numbers in [0, 2^32).
 */
export function threefry2x32(k0: number, k1: number, x0: number, x1: number): [number, number] {
  return threefry2x32Rounds(20, k0, k1, x0, x1);
}

/**
 * `n` random uint32 words from the key (k0, k1) and a stream id. Word i comes from block
 * j = floor(i / 2): (y0, y1) = threefry2x32(k0, k1, j, stream); out[i] = i even ? y0 : y1.
 */
export function threefryBits(k0: number, k1: number, n: number, stream: number): Uint32Array {
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 32) {
    throw new RangeError(`threefryBits: n must be a non-negative integer up to 2^32, got ${n}`);
  }
  const out = new Uint32Array(n);
  const ks0 = k0 >>> 0;
  const ks1 = k1 >>> 0;
  const ks2 = (KS_PARITY ^ ks0 ^ ks1) >>> 0;
  const ks = [ks0, ks1, ks2, ks0, ks1, ks2, ks0] as const;
  const x1 = stream >>> 0;
  // The same computation as threefry2x32, without a tuple per block (checked in the tests).
  for (let i = 0; i < n; i += 2) {
    let a = ((i / 2) >>> 0) + ks0;
    let b = (x1 + ks1) >>> 0;
    for (let s = 1; s <= 5; s++) {
      const r0 = (s & 1) === 1 ? 0 : 4;
      a = (a + b) >>> 0;
      b = rotl(b, ROTATIONS[r0]!) ^ a;
      a = (a + b) >>> 0;
      b = rotl(b, ROTATIONS[r0 + 1]!) ^ a;
      a = (a + b) >>> 0;
      b = rotl(b, ROTATIONS[r0 + 2]!) ^ a;
      a = (a + b) >>> 0;
      b = rotl(b, ROTATIONS[r0 + 3]!) ^ a;
      a = (a + ks[s]!) >>> 0;
      b = (b + ks[s + 1]! + s) >>> 0;
    }
    out[i] = a;
    if (i + 1 < n) out[i + 1] = b;
  }
  return out;
}

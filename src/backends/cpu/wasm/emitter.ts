/**
 * A small WebAssembly bytecode emitter: enough of the binary format to write the CPU
 * backend's kernels at backend creation, with no toolchain and no build step. A module
 * imports one memory (`env.memory`) and holds functions over i32/f32/f64/v128 values;
 * `Code` appends instructions (SIMD128 only, never relaxed SIMD).
 */

/** Value types, by their binary encoding. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

/** Unsigned LEB128 of a non-negative integer below 2^32. */
export function uleb(n: number): number[] {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`wasm uleb: bad value ${n}`);
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of an i32. */
export function sleb(n: number): number[] {
  if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) throw new Error(`wasm sleb: bad value ${n}`);
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function utf8(s: string): number[] {
  const b = Array.from(new TextEncoder().encode(s));
  return [...uleb(b.length), ...b];
}

function vec(items: readonly number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** Plain opcodes (one byte each). */
const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  drop: 0x1a,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f32Load: 0x2a,
  i32Load8U: 0x2d,
  f64Load: 0x2b,
  i32Store: 0x36,
  f32Store: 0x38,
  f64Store: 0x39,
  i32Store8: 0x3a,
  i32Const: 0x41,
  f32Const: 0x43,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GtS: 0x4a,
  i32LeS: 0x4c,
  i32GeS: 0x4e,
  select: 0x1b,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32DivU: 0x6e,
  i32And: 0x71,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  f32Add: 0x92,
  f32Sub: 0x93,
  f32Mul: 0x94,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
} as const;

/** SIMD128 opcodes (after the 0xfd prefix). */
const SIMD = {
  v128Load: 0,
  v128Load32Splat: 9,
  v128Load64Splat: 10,
  v128Store: 11,
  i32x4Splat: 0x11,
  f32x4Splat: 0x13,
  f64x2Splat: 0x14,
  i32x4ExtractLane: 0x1b,
  f32x4ExtractLane: 0x1f,
  f32x4Eq: 0x41,
  f32x4Ne: 0x42,
  f32x4Lt: 0x43,
  f32x4Gt: 0x44,
  f32x4Le: 0x45,
  f32x4Ge: 0x46,
  v128And: 0x4e,
  v128Or: 0x50,
  v128Xor: 0x51,
  v128Bitselect: 0x52,
  i8x16NarrowI16x8U: 0x66,
  i16x8NarrowI32x4U: 0x86,
  i16x8ExtendLowI8x16U: 0x89,
  i32x4ExtendLowI16x8U: 0xa9,
  i32x4Neg: 0xa1,
  i32x4Add: 0xae,
  f64x2ExtractLane: 0x21,
  f32x4Abs: 0xe0,
  f32x4Neg: 0xe1,
  f32x4Sqrt: 0xe3,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Min: 0xe8,
  f32x4Max: 0xe9,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
} as const;

type PlainOp = keyof typeof OP;
type SimdOp = keyof typeof SIMD;
const LOADS_STORES = new Set<string>([
  'i32Load',
  'i32Load8U',
  'f32Load',
  'f64Load',
  'i32Store',
  'i32Store8',
  'f32Store',
  'f64Store',
]);
const SIMD_MEM = new Set<string>(['v128Load', 'v128Load32Splat', 'v128Load64Splat', 'v128Store']);
const NATURAL_ALIGN: Record<string, number> = {
  i32Load: 2,
  i32Load8U: 0,
  i32Store8: 0,
  f32Load: 2,
  f64Load: 3,
  i32Store: 2,
  f32Store: 2,
  f64Store: 3,
  v128Load: 4,
  v128Load32Splat: 2,
  v128Load64Splat: 3,
  v128Store: 4,
};

/**
 * A function body under construction: each method appends one instruction and returns
 * `this`, so kernels read as straight-line assembly. Locals are numbered after the params.
 *
 * @example
 * const c = new Code().get(0).get(1).op('i32Add');
 */
export class Code {
  readonly bytes: number[] = [];

  /** A plain instruction without immediates (or a load/store at natural alignment, offset 0). */
  op(name: PlainOp): this {
    this.bytes.push(OP[name]);
    if (LOADS_STORES.has(name)) this.bytes.push(NATURAL_ALIGN[name]!, 0);
    return this;
  }

  /** A load or store with a constant byte offset added to the address on the stack. */
  mem(name: PlainOp | SimdOp, offset = 0): this {
    if (name in SIMD) {
      if (!SIMD_MEM.has(name)) throw new Error(`wasm Code.mem: ${name} is not a memory op`);
      this.bytes.push(0xfd, ...uleb(SIMD[name as SimdOp]));
    } else {
      if (!LOADS_STORES.has(name)) throw new Error(`wasm Code.mem: ${name} is not a memory op`);
      this.bytes.push(OP[name as PlainOp]);
    }
    this.bytes.push(NATURAL_ALIGN[name]!, ...uleb(offset));
    return this;
  }

  /** A SIMD128 instruction without memory immediates (lane ops take `lane`). */
  simd(name: SimdOp, lane?: number): this {
    if (SIMD_MEM.has(name)) return this.mem(name);
    this.bytes.push(0xfd, ...uleb(SIMD[name]));
    if (name.endsWith('ExtractLane')) this.bytes.push(lane ?? 0);
    return this;
  }

  /** i8x16.shuffle: 16 byte lanes picked from the two vectors on the stack (0–15 first, 16–31 second). */
  shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16 || lanes.some((l) => !Number.isInteger(l) || l < 0 || l > 31))
      throw new Error(`wasm Code.shuffle: 16 lanes in [0, 32) expected, got ${lanes.join(',')}`);
    this.bytes.push(0xfd, 0x0d, ...lanes);
    return this;
  }

  /** v128.const of four i32 lanes. */
  i32x4(lanes: readonly [number, number, number, number]): this {
    const b = new Uint8Array(new Int32Array(lanes).buffer);
    this.bytes.push(0xfd, 0x0c, ...b);
    return this;
  }

  get(local: number): this {
    this.bytes.push(OP.localGet, ...uleb(local));
    return this;
  }

  set(local: number): this {
    this.bytes.push(OP.localSet, ...uleb(local));
    return this;
  }

  tee(local: number): this {
    this.bytes.push(OP.localTee, ...uleb(local));
    return this;
  }

  i32(value: number): this {
    this.bytes.push(OP.i32Const, ...sleb(value | 0));
    return this;
  }

  f32(value: number): this {
    const b = new Uint8Array(new Float32Array([value]).buffer);
    this.bytes.push(OP.f32Const, ...b);
    return this;
  }

  f64(value: number): this {
    const b = new Uint8Array(new Float64Array([value]).buffer);
    this.bytes.push(OP.f64Const, ...b);
    return this;
  }

  /** `local += delta` for an i32 local. */
  addTo(local: number, delta: number): this {
    return this.get(local).i32(delta).op('i32Add').set(local);
  }

  /** Opens a block or loop without results (`br 0` continues a loop, leaves a block). */
  open(kind: 'block' | 'loop' | 'if'): this {
    this.bytes.push(OP[kind], 0x40);
    return this;
  }

  end(): this {
    return this.op('end');
  }

  brIf(depth: number): this {
    this.bytes.push(OP.brIf, ...uleb(depth));
    return this;
  }

  br(depth: number): this {
    this.bytes.push(OP.br, ...uleb(depth));
    return this;
  }
}

export interface FuncDef {
  name: string;
  params: readonly ValType[];
  results?: readonly ValType[];
  /** Extra locals after the params, by type. */
  locals?: readonly ValType[];
  body: Code;
}

/**
 * Encodes a module importing `env.memory` (at least `minPages` 64 KiB pages) and exporting
 * every function by name. Throws if the host rejects the bytes (`WebAssembly.validate`).
 *
 * @example
 * const add = new Code().get(0).get(1).op('i32Add');
 * const bytes = emitModule([{ name: 'add', params: [I32, I32], results: [I32], body: add }]);
 */
export function emitModule(funcs: readonly FuncDef[], minPages = 1, shared = false): Uint8Array {
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  const valTypes = (ts: readonly ValType[]) => [...uleb(ts.length), ...ts];
  const types = funcs.map((f) => [0x60, ...valTypes(f.params), ...valTypes(f.results ?? [])]);
  const typeSec = section(1, vec(types));
  const limits = shared ? [0x03, ...uleb(minPages), ...uleb(65536)] : [0x00, ...uleb(minPages)];
  const importSec = section(2, vec([[...utf8('env'), ...utf8('memory'), 0x02, ...limits]]));
  const funcSec = section(3, vec(funcs.map((_, i) => uleb(i))));
  const exportSec = section(7, vec(funcs.map((f, i) => [...utf8(f.name), 0x00, ...uleb(i)])));
  const bodies = funcs.map((f) => {
    const groups: number[][] = [];
    for (const t of f.locals ?? []) {
      const lastGroup = groups[groups.length - 1];
      if (lastGroup && lastGroup[1] === t) lastGroup[0]!++;
      else groups.push([1, t]);
    }
    const content = [...vec(groups.map(([n, t]) => [...uleb(n!), t!])), ...f.body.bytes, OP.end];
    return [...uleb(content.length), ...content];
  });
  const codeSec = section(10, vec(bodies));
  const bytes = new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...typeSec,
    ...importSec,
    ...funcSec,
    ...exportSec,
    ...codeSec,
  ]);
  if (!WebAssembly.validate(bytes)) throw new Error('wasm emitModule: the emitted module does not validate');
  return bytes;
}

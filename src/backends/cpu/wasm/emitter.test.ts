import { describe, expect, it } from 'vitest';
import { Code, emitModule, F32, F64, I32, sleb, uleb, V128 } from './emitter.ts';
import { wasmSimdSupported } from './runtime.ts';

function instantiate(bytes: Uint8Array, pages = 1) {
  const memory = new WebAssembly.Memory({ initial: pages });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), { env: { memory } });
  return { memory, ex: inst.exports as Record<string, (...a: number[]) => number> };
}

describe('wasm emitter', () => {
  it('encodes LEB128 integers', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([127]);
    expect(uleb(128)).toEqual([0x80, 1]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([63]);
    expect(sleb(64)).toEqual([0xc0, 0]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(() => uleb(-1)).toThrow(/uleb: bad value -1/);
  });

  it('emits scalar functions that validate and compute', () => {
    const add = new Code().get(0).get(1).op('i32Add');
    const fma = new Code().get(0).get(1).op('f64Mul').f64(0.5).op('f64Add');
    const bytes = emitModule([
      { name: 'add', params: [I32, I32], results: [I32], body: add },
      { name: 'fma', params: [F64, F64], results: [F64], body: fma },
    ]);
    expect(WebAssembly.validate(bytes as BufferSource)).toBe(true);
    const { ex } = instantiate(bytes);
    expect(ex.add!(2, 40)).toBe(42);
    expect(ex.fma!(3, 4)).toBe(12.5);
  });

  it('emits loops, locals, loads and stores with offsets', () => {
    // sum(n): s = Σ_{i<n} mem_f32[i], stored at float index n (offset 0) and returned
    const SUM = 2;
    const body = new Code()
      .f32(0)
      .set(SUM)
      .i32(0)
      .set(1)
      .open('block')
      .get(0)
      .op('i32Eqz')
      .brIf(0)
      .open('loop')
      .get(SUM)
      .get(1)
      .i32(4)
      .op('i32Mul')
      .mem('f32Load', 0)
      .op('f32Add')
      .set(SUM)
      .addTo(1, 1)
      .get(1)
      .get(0)
      .op('i32LtS')
      .brIf(0)
      .end()
      .end()
      .get(0)
      .i32(4)
      .op('i32Mul')
      .get(SUM)
      .mem('f32Store', 0)
      .get(SUM);
    const bytes = emitModule([{ name: 'sum', params: [I32], results: [F32], locals: [I32, F32], body }]);
    const { memory, ex } = instantiate(bytes);
    const f = new Float32Array(memory.buffer);
    f.set([1, 2, 3.5, 4]);
    expect(ex.sum!(4)).toBe(10.5);
    expect(f[4]).toBe(10.5);
    expect(ex.sum!(0)).toBe(0);
  });

  it('emits SIMD128 (f32x4 mul/add, splat, v128 load/store with offsets)', () => {
    expect(wasmSimdSupported()).toBe(true); // Node ≥ 20 runs SIMD128 without flags
    // mem[8..12) = mem[0..4) * splat(mem[4]) + mem[4..8) (floats; offsets in bytes)
    const body = new Code()
      .i32(0)
      .i32(0)
      .mem('v128Load', 0)
      .i32(0)
      .mem('v128Load32Splat', 16)
      .simd('f32x4Mul')
      .i32(0)
      .mem('v128Load', 16)
      .simd('f32x4Add')
      .tee(0)
      .mem('v128Store', 32)
      .get(0)
      .simd('f32x4ExtractLane', 3)
      .i32(0)
      .mem('f32Load', 4)
      .op('f32Add');
    const bytes = emitModule([{ name: 'axpy', params: [], results: [F32], locals: [V128], body }]);
    const { memory, ex } = instantiate(bytes);
    const f = new Float32Array(memory.buffer);
    f.set([1, 2, 3, 4, 10, 20, 30, 40]);
    expect(ex.axpy!()).toBe(4 * 10 + 40 + 2);
    expect(Array.from(f.subarray(8, 12))).toEqual([20, 40, 60, 80]);
  });

  it('rejects misuse with a clear error', () => {
    expect(() => new Code().mem('i32Add')).toThrow(/Code.mem: i32Add is not a memory op/);
    // a body leaving an i32 where none is declared does not validate
    expect(() => emitModule([{ name: 'bad', params: [], body: new Code().i32(1) }])).toThrow(
      /emitModule: the emitted module does not validate/,
    );
  });
});

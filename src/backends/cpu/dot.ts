/**
 * dot_general: maps JAX's general contraction onto batched gemm calls.
 *
 * out[batch…, lhsFree…, rhsFree…] = Σ_contract lhs · rhs. Each operand is viewed as a
 * matrix per batch index — lhs as M×K (free × contract), rhs as K×N (contract × free) — read
 * through its strides when its free dims and its contract dims each collapse to one stride
 * (plain matmul, x·Wᵀ, xᵀ·y and batched versions all do). Otherwise the operand is first
 * copied into [batch…, free…, contract…] order.
 */
import type { DType, TypedArray } from '../../core/dtype.ts';
import type { PrimParams } from '../../core/primitives.ts';
import { gemm, type MatView } from './matmul.ts';
import { copyStrided, fmtShape, forEachOffset, type NumArray, sizeOf, stridesOf } from './strides.ts';
import { sgemm } from './wasm/sgemm.ts';

/**
 * Which products engine a kernel uses: `js` accumulates every dtype in f64 (matmul.ts);
 * `wasm` runs f32 products on the WebAssembly SIMD kernel, accumulating in f32, and keeps
 * f64 on the exact JS path.
 */
export type GemmEngine = 'js' | 'wasm';

/** One operand seen as batch × rows × cols: the data, and a single stride for rows and cols. */
interface Batched {
  data: NumArray;
  batchStrides: number[];
  rs: number;
  cs: number;
}

/**
 * The single stride through `dims` (in that order) if they collapse to one, else undefined.
 * Size-1 dims are skipped; no dims (or only size-1 ones) give stride 0.
 */
function collapse(
  shape: readonly number[],
  strides: readonly number[],
  dims: readonly number[],
): number | undefined {
  let inner: number | undefined;
  let span = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    const d = dims[i]!;
    const n = shape[d]!;
    if (n === 1) continue;
    if (inner === undefined) inner = strides[d]!;
    else if (strides[d] !== inner * span) return undefined;
    span *= n;
  }
  return inner ?? 0;
}

/**
 * Views an operand as batch × rows × cols, where rows run over `rowDims` and cols over
 * `colDims`; copies it into [batch, rows, cols] order when strides cannot express that.
 */
function asBatched(
  x: TypedArray,
  shape: readonly number[],
  batchDims: readonly number[],
  rowDims: readonly number[],
  colDims: readonly number[],
): Batched {
  const strides = stridesOf(shape);
  const rs = collapse(shape, strides, rowDims);
  const cs = collapse(shape, strides, colDims);
  if (rs !== undefined && cs !== undefined) {
    return { data: x, batchStrides: batchDims.map((d) => strides[d]!), rs, cs };
  }
  const perm = [...batchDims, ...rowDims, ...colDims];
  const permShape = perm.map((d) => shape[d]!);
  const copy = new Float64Array(sizeOf(shape));
  copyStrided(
    permShape,
    x,
    0,
    perm.map((d) => strides[d]!),
    copy,
    0,
    stridesOf(permShape),
  );
  const rows = sizeOf(rowDims.map((d) => shape[d]!));
  const cols = sizeOf(colDims.map((d) => shape[d]!));
  const bStrides = stridesOf(batchDims.map((d) => shape[d]!)).map((s) => s * rows * cols);
  return { data: copy, batchStrides: bStrides, rs: cols, cs: 1 };
}

function freeDims(rank: number, used: readonly number[]): number[] {
  const out: number[] = [];
  for (let d = 0; d < rank; d++) if (!used.includes(d)) out.push(d);
  return out;
}

/**
 * Fills `out` (zeroed, [batch…, lhsFree…, rhsFree…]) with the dot_general of lhs and rhs.
 *
 * @example
 * const out = new Float32Array(4);
 * dotGeneral(a, [2, 3], b, [3, 2], { lhsContract: [1], rhsContract: [0], lhsBatch: [], rhsBatch: [] }, out, 'f32', 'wasm');
 */
export function dotGeneral(
  lhs: TypedArray,
  lhsShape: readonly number[],
  rhs: TypedArray,
  rhsShape: readonly number[],
  p: PrimParams['dot_general'],
  out: TypedArray,
  outDtype: DType,
  engine: GemmEngine = 'js',
): void {
  const { lhsContract, rhsContract, lhsBatch, rhsBatch } = p;
  if (lhsContract.length !== rhsContract.length || lhsBatch.length !== rhsBatch.length) {
    throw new Error('cpu dot_general: contract/batch dim lists of lhs and rhs differ in length');
  }
  const pairs: [readonly number[], readonly number[], string][] = [
    [lhsContract, rhsContract, 'contract'],
    [lhsBatch, rhsBatch, 'batch'],
  ];
  for (const [ld, rd, what] of pairs) {
    ld.forEach((d, i) => {
      if (lhsShape[d] === undefined || lhsShape[d] !== rhsShape[rd[i]!]) {
        throw new Error(
          `cpu dot_general: ${what} dims lhs ${d} and rhs ${rd[i]} differ (${fmtShape(lhsShape)} vs ${fmtShape(rhsShape)})`,
        );
      }
    });
  }
  const lhsFree = freeDims(lhsShape.length, [...lhsContract, ...lhsBatch]);
  const rhsFree = freeDims(rhsShape.length, [...rhsContract, ...rhsBatch]);
  const batchShape = lhsBatch.map((d) => lhsShape[d]!);
  const M = sizeOf(lhsFree.map((d) => lhsShape[d]!));
  const N = sizeOf(rhsFree.map((d) => rhsShape[d]!));
  const K = sizeOf(lhsContract.map((d) => lhsShape[d]!));
  const B = sizeOf(batchShape);
  if (out.length !== B * M * N) {
    throw new Error(`cpu dot_general: output has ${out.length} elements, expected ${B * M * N}`);
  }
  if (out.length === 0) return;

  const a = asBatched(lhs, lhsShape, lhsBatch, lhsFree, lhsContract);
  const b = asBatched(rhs, rhsShape, rhsBatch, rhsContract, rhsFree);
  const outBatchStrides = stridesOf(batchShape).map((s) => s * M * N);
  const each = (product: (A: MatView, B: MatView, outOff: number) => void) =>
    forEachOffset(batchShape, [a.batchStrides, b.batchStrides, outBatchStrides], (off) => {
      const A: MatView = { data: a.data, off: off[0]!, rs: a.rs, cs: a.cs };
      const Bm: MatView = { data: b.data, off: off[1]!, rs: b.rs, cs: b.cs };
      product(A, Bm, off[2]!);
    });
  if (engine === 'wasm' && outDtype === 'f32') {
    const o = out as Float32Array;
    each((A, Bm, at) => sgemm(M, N, K, A, Bm, { data: o, off: at, ldc: N }));
    return;
  }
  // Accumulate in f64: directly in the output when it is f64, else in a scratch copied out.
  const acc = outDtype === 'f64' ? (out as Float64Array) : new Float64Array(out.length);
  each((A, Bm, at) => gemm(M, N, K, A, Bm, { data: acc, off: at, ldc: N }));
  if (acc !== out) out.set(acc);
}

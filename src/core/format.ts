import type { DType } from './dtype.ts';

const EDGE = 3; // numpy shows 3 items at each end of a summarised axis
const SUMMARY_THRESHOLD = 1000;

function formatNumber(v: number, dtype: DType): string {
  if (dtype === 'bool') return v ? 'true' : 'false';
  if (dtype === 'i32') return String(v);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e8)) return v.toExponential(4);
  return String(Number(v.toPrecision(dtype === 'f32' ? 6 : 8)));
}

/** Prints like numpy: nested brackets, summarised with `...` when large. */
export function formatTensor(values: ArrayLike<number>, shape: readonly number[], dtype: DType): string {
  const total = values.length;
  const summarise = total > SUMMARY_THRESHOLD;
  const strides: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i]!;
  }
  const cells = (axis: number, offset: number): string => {
    if (axis === shape.length) return formatNumber(values[offset]!, dtype);
    const n = shape[axis]!;
    const indices =
      summarise && n > 2 * EDGE
        ? [
            ...Array.from({ length: EDGE }, (_, i) => i),
            -1,
            ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i),
          ]
        : Array.from({ length: n }, (_, i) => i);
    const parts = indices.map((i) => (i < 0 ? '...' : cells(axis + 1, offset + i * strides[axis]!)));
    const sep = axis === shape.length - 1 ? ', ' : `,\n${' '.repeat(axis + 1)}`;
    return `[${parts.join(sep)}]`;
  };
  const dtypeNote = dtype === 'f32' ? '' : `, dtype=${dtype}`;
  return `tensor(${cells(0, 0)}${dtypeNote})`;
}

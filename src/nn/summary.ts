import { byteSize } from '../core/dtype.ts';
import { tensorPaths } from '../core/pytree-paths.ts';

/** One parameter tensor of a {@link summary}. */
export interface SummaryRow {
  /** Dotted path from the root: `conv1.w`, `layers.0.b`. */
  readonly path: string;
  /** The tensor's shape. */
  readonly shape: readonly number[];
  /** The tensor's dtype. */
  readonly dtype: string;
  /** Number of elements. */
  readonly count: number;
  /** Bytes of storage (`count` × the dtype's size). */
  readonly bytes: number;
}

/**
 * What `nn.summary` returns: one row per tensor, the totals and the text table.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, tensor } from 'typegrad';
 * const s: nn.Summary = nn.summary({ w: tensor([[1, 2], [3, 4]]) });
 * assert.equal(s.totalBytes, 16);
 * ```
 */
export interface Summary {
  /** One row per parameter tensor, in the tree's order. */
  readonly rows: readonly SummaryRow[];
  /** Total number of parameters. */
  readonly totalCount: number;
  /** Total bytes of the parameters. */
  readonly totalBytes: number;
  /** The rows as an aligned text table with a total line. */
  readonly table: string;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 ** 2).toFixed(1)} MiB`;
}

const grouped = (n: number) => n.toLocaleString('en-US');

function renderTable(rows: readonly SummaryRow[], totalCount: number, totalBytes: number): string {
  const header = ['path', 'shape', 'dtype', 'params', 'bytes'];
  const body = rows.map((r) => [
    r.path,
    `[${r.shape.join(', ')}]`,
    r.dtype,
    grouped(r.count),
    formatBytes(r.bytes),
  ]);
  const total = ['total', '', '', grouped(totalCount), formatBytes(totalBytes)];
  const all = [header, ...body, total];
  const widths = header.map((_, c) => Math.max(...all.map((line) => line[c]!.length)));
  // Text columns left-aligned, number columns right-aligned.
  const fmt = (line: string[]) =>
    line
      .map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((a, w) => a + w, 0) + 2 * (widths.length - 1));
  return [fmt(header), rule, ...body.map(fmt), rule, fmt(total)].join('\n');
}

/**
 * The parameters of a model: each tensor's path, shape, dtype, element count and bytes, with
 * totals, as structured rows and as a text table. Works on any pytree of tensors.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { nn, random } from 'typegrad';
 * const p = { dense: nn.dense.init(random.key(0), { in: 784, out: 10 }) };
 * const s = nn.summary(p);
 * assert.equal(s.totalCount, 7850);
 * assert.deepEqual(s.rows.map((r) => r.path), ['dense.w', 'dense.b']);
 * assert.match(s.table, /dense\.w\s+\[784, 10\]\s+f32\s+7,840\s+30\.6 KiB/);
 * ```
 */
export function summary(params: unknown): Summary {
  const found = tensorPaths(params);
  if (found.length === 0) throw new Error('nn.summary: params has no tensors');
  const rows = found.map(([path, t]): SummaryRow => {
    const shape = [...(t.shape as readonly number[])];
    return {
      path: path === '' ? '(root)' : path,
      shape,
      dtype: t.dtype,
      count: t.size,
      bytes: t.size * byteSize(t.dtype),
    };
  });
  const totalCount = rows.reduce((a, r) => a + r.count, 0);
  const totalBytes = rows.reduce((a, r) => a + r.bytes, 0);
  return { rows, totalCount, totalBytes, table: renderTable(rows, totalCount, totalBytes) };
}

/**
 * Label placement for scatter plots: each label goes to the nearest free spot around its point,
 * so that no two labels overlap and no label covers a point.
 */
import { describeValue } from '../core/guards.ts';
import { checkOptions } from '../core/options.ts';
import type { Point } from './svg.ts';

/** A placed label: its box (top-left corner, size, in the plot's pixels). */
export interface LabelBox {
  /** The left edge. */
  readonly x: number;
  /** The top edge. */
  readonly y: number;
  /** The box's width. */
  readonly width: number;
  /** The box's height. */
  readonly height: number;
}

/** Options of {@link placeLabels}; all sizes in pixels. */
export interface PlaceLabelsOptions {
  /** Width of one character (default 7, about 12 px Helvetica). */
  readonly charWidth?: number;
  /** Height of a label box (default 13). */
  readonly height?: number;
  /** Radius around each point that no label may cover (default 4). */
  readonly pointRadius?: number;
  /** Space kept between two labels (default 1). */
  readonly gap?: number;
}

const overlaps = (a: LabelBox, b: LabelBox, gap: number): boolean =>
  a.x < b.x + b.width + gap &&
  b.x < a.x + a.width + gap &&
  a.y < b.y + b.height + gap &&
  b.y < a.y + a.height + gap;

/** Whether the box comes within r of the point (the box's nearest point to it). */
function covers(box: LabelBox, [px, py]: Point, r: number): boolean {
  const dx = Math.max(box.x - px, 0, px - (box.x + box.width));
  const dy = Math.max(box.y - py, 0, py - (box.y + box.height));
  return dx * dx + dy * dy < r * r;
}

/**
 * Greedy placement: labels are placed in order, each at the first free spot on rings of
 * growing radius around its point (right of it first, then left, above, below and the
 * diagonals), free meaning it overlaps no label placed before and covers no point. Every label
 * is placed (a far enough ring is always free), so none overlap; a caller may draw a leader
 * line for a label that ended up far from its point.
 *
 * @param points the labelled points, in pixels
 * @param labels one text per point
 * @param opts `charWidth` (7), `height` (13), `pointRadius` (4), `gap` (1)
 * @returns one box per label, in the order given
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { type LabelBox, placeLabels } from 'typegrad/plot';
 *
 * const boxes = placeLabels([[100, 100], [102, 101], [101, 99]], ['one', 'two', 'three']);
 * assert.equal(boxes.length, 3);
 * // three crowded points, three labels, no two of them overlapping
 * const apart = (a: LabelBox, b: LabelBox) =>
 *   a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
 * assert.ok(apart(boxes[0]!, boxes[1]!) && apart(boxes[0]!, boxes[2]!) && apart(boxes[1]!, boxes[2]!));
 * ```
 */
export function placeLabels(
  points: readonly Point[],
  labels: readonly string[],
  opts?: PlaceLabelsOptions,
): LabelBox[] {
  const op = 'placeLabels';
  checkOptions(op, opts, ['charWidth', 'height', 'pointRadius', 'gap']);
  if (!Array.isArray(points) || !Array.isArray(labels) || points.length !== labels.length)
    throw new Error(
      `${op}: points and labels must be arrays of the same length, got ${describeValue(points)} and ${describeValue(labels)}`,
    );
  const size = (name: string, v: number | undefined, fallback: number): number => {
    const s = v ?? fallback;
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0)
      throw new Error(`${op}: ${name} must be a non-negative number, got ${describeValue(s)}`);
    return s;
  };
  const charWidth = size('charWidth', opts?.charWidth, 7);
  const height = size('height', opts?.height, 13);
  const r = size('pointRadius', opts?.pointRadius, 4);
  const gap = size('gap', opts?.gap, 1);
  points.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2 || !p.every(Number.isFinite))
      throw new Error(`${op}: points[${i}] must be [x, y] with finite numbers, got ${describeValue(p)}`);
  });
  const placed: LabelBox[] = [];
  // Directions tried on each ring: right, left, above, below, then the diagonals.
  const dirs: Point[] = [
    [1, 0],
    [-1, 0],
    [0, -1],
    [0, 1],
    [1, -1],
    [-1, -1],
    [1, 1],
    [-1, 1],
  ];
  return labels.map((text, i) => {
    const [px, py] = points[i]!;
    const width = String(text).length * charWidth;
    const free = (b: LabelBox) =>
      !placed.some((q) => overlaps(b, q, gap)) && !points.some((p) => covers(b, p, r));
    for (let ring = 0; ; ring++) {
      const d = r + 1 + ring * (height / 2);
      for (const [ux, uy] of dirs) {
        // the box's side facing the point sits at distance d from it
        const x = ux > 0 ? px + d : ux < 0 ? px - d - width : px - width / 2;
        const y = uy > 0 ? py + d : uy < 0 ? py - d - height : py - height / 2;
        const box = { x, y, width, height };
        if (free(box)) {
          placed.push(box);
          return box;
        }
      }
    }
  });
}

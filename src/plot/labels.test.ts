import { describe, expect, it } from 'vitest';
import { placeLabels } from './labels.ts';
import type { Point } from './svg.ts';

/** Deterministic uniforms in [0, 1). */
function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('placeLabels', () => {
  it('no two label boxes overlap and no box covers a point, even in a crowded cluster', () => {
    const u = rand(3);
    const points: Point[] = Array.from({ length: 60 }, (_, i) => [
      200 + 40 * (i % 3) + 15 * u(),
      150 + 30 * Math.floor(i / 20) + 15 * u(),
    ]);
    const labels = points.map((_, i) => `word${i}${'x'.repeat(i % 5)}`);
    const boxes = placeLabels(points, labels, { pointRadius: 3 });
    expect(boxes).toHaveLength(60);
    for (let i = 0; i < boxes.length; i++) {
      const a = boxes[i]!;
      expect(a.width).toBe(labels[i]!.length * 7);
      for (let j = i + 1; j < boxes.length; j++) {
        const b = boxes[j]!;
        const apart =
          a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `labels ${i} and ${j} overlap`).toBe(true);
      }
      for (const [px, py] of points) {
        const dx = Math.max(a.x - px, 0, px - a.x - a.width);
        const dy = Math.max(a.y - py, 0, py - a.y - a.height);
        expect(dx * dx + dy * dy).toBeGreaterThanOrEqual(9); // at least pointRadius away
      }
    }
  });

  it('an uncrowded label sits just right of its point, vertically centred', () => {
    const [b] = placeLabels([[10, 20]], ['ab'], { charWidth: 6, height: 10, pointRadius: 2 });
    expect(b).toEqual({ x: 13, y: 15, width: 12, height: 10 });
  });

  it('rejects bad input, naming the function', () => {
    expect(() => placeLabels([[0, 0]], [])).toThrow(
      /placeLabels: points and labels must be arrays of the same length/,
    );
    expect(() => placeLabels([[0, Number.NaN]], ['a'])).toThrow(
      /placeLabels: points\[0\] must be \[x, y\] with finite numbers/,
    );
    expect(() => placeLabels([[0, 0]], ['a'], { height: -1 })).toThrow(
      /placeLabels: height must be a non-negative number, got the number -1/,
    );
    expect(() => placeLabels([[0, 0]], ['a'], { size: 3 } as never)).toThrow(
      /placeLabels: unknown option 'size'/,
    );
  });
});

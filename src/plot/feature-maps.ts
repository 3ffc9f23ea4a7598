/**
 * Feature maps and filters of a ConvNet as heat maps: the paper's Figure 2 (the outputs of each
 * layer applied to one image, left to right, ending in the class scores; see
 * docs/06-inside-a-convnet.md) and a row of learned filters. Maps are drawn as one SVG path per
 * colour level, in pixel units scaled by a transform, so a figure of a few thousand pixels stays small.
 */
import { legend, Panel, svgDocument } from './svg.ts';

/**
 * One column of {@link featureMapsSvg}: `channels` maps of `size`×`size`, stored channel after channel.
 *
 * @example
 * ```ts
 * import type { MapStage } from 'typegrad/plot';
 * const input: MapStage = { title: 'input', subtitle: '1 × 2 × 2', maps: [0, 1, 1, 0], channels: 1, size: 2, scale: 10 };
 * ```
 */
export interface MapStage {
  /** The column's heading (bold), e.g. `'conv 1'`. */
  readonly title: string;
  /** The line under the heading, e.g. the maps' shape `'6 × 28 × 28'`. */
  readonly subtitle: string;
  /** The values, `channels * size * size` of them: map after map, each row-major. */
  readonly maps: ArrayLike<number>;
  /** The number of maps. */
  readonly channels: number;
  /** The side of each (square) map, in cells. */
  readonly size: number;
  /** Pixels per map cell. */
  readonly scale: number;
  /** The maps are laid out in this many columns (default 1), channel after channel along rows. */
  readonly columns?: number;
}

const hex = (v: number): string =>
  Math.round(Math.min(255, Math.max(0, v)))
    .toString(16)
    .padStart(2, '0');
const mix = (rgb: readonly [number, number, number], t: number): string =>
  `#${rgb.map((c) => hex(255 + (c - 255) * t)).join('')}`;

/**
 * A `size`×`size` map at (x, y), `scale` pixels per cell: `color` maps a value to a fill, or to
 * null for the white background. Runs of one colour along a row are merged.
 */
function heatMap(
  values: ArrayLike<number>,
  offset: number,
  size: number,
  x: number,
  y: number,
  scale: number,
  color: (v: number) => string | null,
): string {
  const runs = new Map<string, string[]>();
  for (let r = 0; r < size; r++) {
    let c = 0;
    while (c < size) {
      const fill = color(values[offset + r * size + c]!);
      let end = c + 1;
      while (end < size && color(values[offset + r * size + end]!) === fill) end++;
      if (fill !== null) {
        const list = runs.get(fill) ?? [];
        list.push(`M${c} ${r}h${end - c}v1h-${end - c}z`);
        runs.set(fill, list);
      }
      c = end;
    }
  }
  const paths = [...runs.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([fill, d]) => `<path fill="${fill}" d="${d.join('')}"/>`);
  const px = size * scale;
  return [
    `<rect x="${x}" y="${y}" width="${px}" height="${px}" fill="white"/>`,
    `<g transform="translate(${x} ${y}) scale(${scale})" shape-rendering="crispEdges">${paths.join('')}</g>`,
    `<rect x="${x}" y="${y}" width="${px}" height="${px}" fill="none" stroke="#94a3b8" stroke-width="0.8"/>`,
  ].join('');
}

/** Grey levels for non-negative values: 0 is white, `max` black, in `levels` steps. */
function greys(max: number, levels = 16): (v: number) => string | null {
  return (v) => {
    const k = Math.min(levels - 1, Math.round((v / max) * (levels - 1)));
    return k <= 0 ? null : mix([15, 23, 42], k / (levels - 1));
  };
}

/** Blue for negative, red for positive, white near 0, `levels` steps each side of 0. */
function diverging(maxAbs: number, levels = 8): (v: number) => string | null {
  return (v) => {
    const k = Math.max(-levels, Math.min(levels, Math.round((v / maxAbs) * levels)));
    if (k === 0) return null;
    return k > 0 ? mix([185, 28, 28], k / levels) : mix([29, 78, 216], -k / levels);
  };
}

const maxOf = (a: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m > 0 ? m : 1;
};

/**
 * What {@link featureMapsSvg} draws.
 *
 * @example
 * ```ts
 * import type { FeatureMapsOptions } from 'typegrad/plot';
 * const o: FeatureMapsOptions = {
 *   stages: [{ title: 'input', subtitle: '1 × 1 × 1', maps: [1], channels: 1, size: 1, scale: 8 }],
 *   probabilities: [0.9, 0.1], classNames: ['yes', 'no'], label: 0, scoresTitle: 'dense 1→2',
 * };
 * ```
 */
export interface FeatureMapsOptions {
  /** The columns from left to right: the input and the feature maps of each layer. */
  readonly stages: readonly MapStage[];
  /** Class probabilities (softmax of the scores), one per class. */
  readonly probabilities: readonly number[];
  /** The class names, in the order of `probabilities`, written beside the bars (the true class's in bold). */
  readonly classNames: readonly string[];
  /** The true class of the image. */
  readonly label: number;
  /** The heading over the class scores (the layers that compute them), e.g. `'dense 400→120→84→10'`. */
  readonly scoresTitle: string;
}

/**
 * The paper's Figure 2, left to right: each stage is a column of grey heat maps (each stage
 * shaded by its own largest value), then a bar chart of the class probabilities.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { featureMapsSvg } from 'typegrad/plot';
 *
 * const svg = featureMapsSvg({
 *   stages: [{ title: 'input', subtitle: '1 × 2 × 2', maps: [0, 1, 1, 0], channels: 1, size: 2, scale: 10 }],
 *   probabilities: [0.8, 0.2], classNames: ['diagonal', 'other'], label: 0, scoresTitle: 'dense 4→2',
 * });
 * assert.ok(svg.startsWith('<svg') && svg.includes('dense 4→2') && svg.includes('0.80'));
 * ```
 */
export function featureMapsSvg(o: FeatureMapsOptions): string {
  const top = 70;
  const height = 560;
  const slot = 104;
  const parts: string[] = [];
  let x = 16;
  for (const s of o.stages) {
    const px = s.size * s.scale;
    const columns = s.columns ?? 1;
    const gap = 8;
    const width = Math.max(slot, columns * (px + gap) + 16);
    const pitch = height / Math.ceil(s.channels / columns);
    const max = maxOf(s.maps);
    const cx = x + width / 2;
    for (let ch = 0; ch < s.channels; ch++) {
      const col = ch % columns;
      const mx = Math.round(cx + (col - columns / 2) * (px + gap) + gap / 2);
      const my = Math.round(top + pitch * (Math.floor(ch / columns) + 0.5) - px / 2);
      parts.push(heatMap(s.maps, ch * s.size * s.size, s.size, mx, my, s.scale, greys(max)));
    }
    parts.push(
      `<text x="${cx}" y="${top - 30}" text-anchor="middle" font-size="13" font-weight="600">${s.title}</text>`,
      `<text x="${cx}" y="${top - 12}" text-anchor="middle">${s.subtitle}</text>`,
    );
    x += width;
  }
  const n = o.probabilities.length;
  const panel = new Panel({
    x: x + 40,
    y: top,
    width: 150,
    height,
    xRange: [0, 1],
    yRange: [n - 0.5, -0.5],
    title: '',
    xLabel: 'probability',
    yLabel: '',
    ticks: [],
  });
  const top1 = o.probabilities.indexOf(Math.max(...o.probabilities));
  const bar = (height / n) * 0.6;
  o.probabilities.forEach((p, k) => {
    const color = k === top1 ? '#2563eb' : '#94a3b8';
    panel.polyline(
      [
        [0, k],
        [p, k],
      ],
      `stroke="${color}" stroke-width="${bar.toFixed(1)}"`,
    );
  });
  const cx = panel.sx(0.5);
  parts.push(
    panel.render(),
    `<text x="${cx}" y="${top - 30}" text-anchor="middle" font-size="13" font-weight="600">${o.scoresTitle}</text>`,
    `<text x="${cx}" y="${top - 12}" text-anchor="middle">class scores (softmax)</text>`,
  );
  for (const [k, name] of o.classNames.entries()) {
    const py = panel.sy(k).toFixed(1);
    const bold = k === o.label ? ' font-weight="600"' : '';
    parts.push(
      `<text x="${panel.sx(0) - 8}" y="${py}" text-anchor="end" dominant-baseline="middle"${bold}>${name}</text>`,
    );
  }
  parts.push(
    `<text x="${panel.sx(o.probabilities[top1]!) + 6}" y="${panel.sy(top1).toFixed(1)}" dominant-baseline="middle">${o.probabilities[top1]!.toFixed(2)}</text>`,
  );
  for (const t of [0, 0.5, 1]) {
    const px = panel.sx(t);
    parts.push(
      `<line x1="${px}" y1="${top + height}" x2="${px}" y2="${top + height + 5}" stroke="#334155"/>`,
      `<text x="${px}" y="${top + height + 18}" text-anchor="middle">${t}</text>`,
    );
  }
  const width = Math.round(panel.sx(1) + 40);
  const key = legend(16, top + height + 64, [
    { label: 'zero', kind: 'area', color: 'white' },
    { label: 'largest output of the layer', kind: 'area', color: mix([15, 23, 42], 1) },
    { label: `true class: ${o.classNames[o.label]}`, kind: 'area', color: '#2563eb' },
  ]);
  return svgDocument(width, top + height + 84, [...parts, key]);
}

/**
 * A row of `count` filters of `size`×`size` (e.g. a first conv layer's kernels, stored one
 * after another), blue negative, red positive, shaded by the largest absolute weight.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { filtersSvg } from 'typegrad/plot';
 *
 * const svg = filtersSvg([1, -1, -1, 1, 0, 1, 1, 0], 2, 2, 'two 2×2 filters');
 * assert.ok(svg.includes('filter 2') && svg.includes('negative weight'));
 * ```
 */
export function filtersSvg(weights: ArrayLike<number>, count: number, size: number, title: string): string {
  const scale = 20;
  const slot = size * scale + 22;
  const max = maxOf(weights);
  const parts: string[] = [
    `<text x="${(count * slot + 32) / 2}" y="24" text-anchor="middle" font-size="13" font-weight="600">${title}</text>`,
  ];
  for (let k = 0; k < count; k++) {
    const x = 16 + k * slot + 11;
    parts.push(
      heatMap(weights, k * size * size, size, x, 44, scale, diverging(max)),
      `<text x="${x + (size * scale) / 2}" y="${44 + size * scale + 16}" text-anchor="middle">filter ${k + 1}</text>`,
    );
  }
  const y = 44 + size * scale + 40;
  parts.push(
    legend(16, y, [
      { label: 'negative weight', kind: 'area', color: mix([29, 78, 216], 1) },
      { label: 'zero', kind: 'area', color: 'white' },
      { label: 'positive weight', kind: 'area', color: mix([185, 28, 28], 1) },
    ]),
  );
  return svgDocument(count * slot + 32, y + 20, parts);
}

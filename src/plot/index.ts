/**
 * `typegrad/plot`: a few lines of dependency-free SVG plotting for tutorials, demos and
 * training reports (panels with axes, polylines, points, classifier regions, contours,
 * legends; and ready-made figures: lines on a log scale, labelled scatter plots, feature maps
 * and filters as heat maps). The output is a plain string, so it works in Node and in browsers alike.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { Panel, svgDocument } from 'typegrad/plot';
 *
 * const panel = new Panel({
 *   x: 50, y: 30, width: 300, height: 200, xRange: [0, 10], yRange: [0, 1],
 *   title: 'loss', xLabel: 'step', yLabel: 'loss', ticks: [0, 1],
 * }).polyline([[0, 1], [5, 0.4], [10, 0.1]], 'stroke="#2563eb"');
 * const svg = svgDocument(400, 280, [panel.render()]);
 * assert.ok(svg.startsWith('<svg') && svg.includes('<polyline'));
 * ```
 * @module
 */
export type { FeatureMapsOptions, MapStage } from './feature-maps.ts';
export { featureMapsSvg, filtersSvg } from './feature-maps.ts';
export type { LabelledPoint, PointGroup } from './labelled-scatter.ts';
export { labelledScatterSvg } from './labelled-scatter.ts';
export type { LabelBox, PlaceLabelsOptions } from './labels.ts';
export { placeLabels } from './labels.ts';
export type { LogLinesOptions, LogSeries } from './log-lines.ts';
export { logLinesSvg } from './log-lines.ts';
export type { LegendEntry, PanelOptions, Point } from './svg.ts';
export { legend, Panel, svgDocument } from './svg.ts';

/**
 * `typegrad/testing`: gradient checks against finite differences. Needs nothing beyond
 * typegrad; the fast-check arbitraries for tensors, shapes and operator configurations are in
 * `typegrad/testing/arbitraries`, which needs the optional peer dependency `fast-check`.
 */

export type { CheckGradsEntry, CheckGradsOptions, CheckGradsReport, GradMode } from './check-grads.ts';
export { checkGrads } from './check-grads.ts';

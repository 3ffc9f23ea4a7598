/**
 * The demo page's URL options, checked: `?backend=webgpu|cpu|auto` (default `auto`),
 * `?epochs=N` (default 4), `?steps=N` (stop after N training steps: a reduced run),
 * `?train=N` (training digits used, default 8000: from one batch to the 8,000 embedded ones),
 * `?batch=N` (default 128), `?test=N` (test digits scored at the end, default all 2,000), and
 * `?points=N` (held-out measurements plotted during the run, default 20). The small values are
 * for reduced runs on slow adapters (SwiftShader's WebGPU in CI).
 */

/** Which backend the page trains on: `auto` is WebGPU when the browser has an adapter, else the CPU. */
export type BackendChoice = 'webgpu' | 'cpu' | 'auto';

/** The page's options, read from its URL. */
export interface DemoOptions {
  readonly backend: BackendChoice;
  readonly epochs: number;
  /** Training steps before the run stops (undefined: all the epochs). */
  readonly steps: number | undefined;
  readonly train: number;
  readonly batch: number;
  readonly test: number;
  readonly points: number;
}

const BACKENDS: readonly BackendChoice[] = ['webgpu', 'cpu', 'auto'];

function integer(q: URLSearchParams, name: string, fallback: number, min = 1, max = Infinity): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`demo page: ?${name}= must be an integer in [${min}, ${max}], got '${raw}'`);
  return n;
}

/** Reads the options from a URL query string (`location.search`); a bad value is an error naming it. */
export function parseOptions(search: string): DemoOptions {
  const q = new URLSearchParams(search);
  const backend = (q.get('backend') ?? 'auto') as BackendChoice;
  if (!BACKENDS.includes(backend))
    throw new Error(`demo page: ?backend= must be one of ${BACKENDS.join(', ')}, got '${backend}'`);
  const batch = integer(q, 'batch', 128, 1, 8000);
  const steps = q.has('steps') ? integer(q, 'steps', 0) : undefined;
  return {
    backend,
    epochs: integer(q, 'epochs', 4),
    steps,
    train: integer(q, 'train', 8000, batch, 8000),
    batch,
    test: integer(q, 'test', 2000, 1, 2000),
    points: integer(q, 'points', 20),
  };
}

/** Epochs to run: `epochs`, or with `steps` just enough epochs (of `train / batch` steps) to reach it. */
export function epochsFor(options: DemoOptions): number {
  if (options.steps === undefined) return options.epochs;
  return Math.ceil(options.steps / stepsPerEpoch(options));
}

/** Training steps in an epoch (the last partial batch is dropped). */
export function stepsPerEpoch(options: DemoOptions): number {
  return Math.floor(options.train / options.batch);
}

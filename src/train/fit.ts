/**
 * `train.fit`: the usual epoch loop over a pure step function, with a progress line, running
 * means, evaluation in batches, callbacks and a history. It only calls public pieces (`step`,
 * `evaluate`, your `save`), so the same loop can be written by hand.
 */
import { Tensor } from '../core/tensor.ts';
import { mul } from '../ops/elementwise.ts';
import { accumulate, accumulators, evaluate, readMetrics } from './evaluate.ts';
import type { Metric } from './metrics.ts';
import { defaultSink, formatProgress, type ProgressMode, type ProgressSink } from './progress.ts';

/** What a training step returns: the new params and optimizer state, the batch loss, and optional batch metrics. */
export interface StepResult<P, S> {
  readonly params: P;
  readonly state: S;
  /** The mean loss over the batch (a scalar tensor or a number). */
  readonly loss: Tensor | number;
  /** Other batch means (e.g. accuracy), averaged over the epoch like the loss. */
  readonly metrics?: Readonly<Record<string, Tensor | number>>;
}

/** One epoch of the history. */
export interface EpochRecord {
  /** 1-based. */
  readonly epoch: number;
  readonly steps: number;
  readonly examples: number;
  readonly seconds: number;
  /** Running means over the epoch: `loss` and the step's metrics, weighted by examples. */
  readonly train: Readonly<{ loss: number } & Record<string, number>>;
  /** Evaluation metrics after the epoch (when `evaluate` is given). */
  readonly eval?: Readonly<Record<string, number>>;
}

/** What callbacks see after each step. */
export interface StepInfo<P, S> {
  readonly epoch: number;
  /** Steps since the start of `fit` (1 after the first). */
  readonly globalStep: number;
  readonly params: P;
  readonly state: S;
}

/** Callbacks may return `'stop'` to end training after this step or epoch. */
export interface Callback<P, S> {
  onStep?(info: StepInfo<P, S>): undefined | 'stop' | Promise<undefined | 'stop'>;
  onEpochEnd?(record: EpochRecord, info: StepInfo<P, S>): undefined | 'stop' | Promise<undefined | 'stop'>;
}

export interface FitEvaluation<P, EB, Out> {
  /** Fresh evaluation batches for each evaluation. */
  readonly batches: () => Iterable<EB>;
  readonly forward: (params: P, batch: EB) => Out;
  readonly metrics: readonly Metric<Out>[];
}

export interface FitOptions<P, S, B, EB = never, Out = never> {
  readonly params: P;
  /** The optimizer state (or any state the step threads through). */
  readonly state: S;
  /** One training step (usually jitted): `(params, state, batch) => { params, state, loss }`. */
  readonly step: (params: P, state: S, batch: B) => StepResult<P, S>;
  /** The batches of epoch `e` (0-based): fold `e` into the shuffle key for a new order. */
  readonly batches: (epoch: number) => Iterable<B>;
  readonly epochs: number;
  readonly evaluate?: FitEvaluation<P, EB, Out>;
  readonly callbacks?: readonly Callback<P, S>[];
  /** `'auto'` (default): redrawn on a TTY, one line per epoch otherwise; `'silent'`: nothing. */
  readonly progress?: ProgressMode;
  /** Where the progress goes (default: stdout, or console.log in a browser). */
  readonly sink?: ProgressSink;
  /** Examples in a batch (default: the leading dim of its first tensor or typed-array leaf). */
  readonly examplesIn?: (batch: B) => number;
  /** Seconds between redraws on a TTY (default 0.2); each redraw reads the running loss. */
  readonly redrawSeconds?: number;
  /** The clock in seconds (default `performance.now() / 1000`), replaceable for tests. */
  readonly clock?: () => number;
}

export interface FitResult<P, S> {
  readonly params: P;
  readonly state: S;
  readonly history: readonly EpochRecord[];
  /** True when a callback stopped training early. */
  readonly stopped: boolean;
}

function leadingDim(tree: unknown): number | undefined {
  if (tree instanceof Tensor) return tree.ndim === 0 ? 1 : (tree.shape as readonly number[])[0];
  if (ArrayBuffer.isView(tree)) return (tree as unknown as ArrayLike<number>).length;
  if (tree !== null && typeof tree === 'object') {
    for (const v of Object.values(tree)) {
      const d = leadingDim(v);
      if (d !== undefined) return d;
    }
  }
  return undefined;
}

const trainMetric = (name: string): Metric<StepResult<unknown, unknown> & { n: number }> => ({
  name,
  measure: (r) => {
    const v = name === 'loss' ? r.loss : r.metrics![name]!;
    // Batch means weighted by the batch's examples, so a partial last batch counts less.
    return [typeof v === 'number' ? v * r.n : (mul(v as never, r.n as never) as Tensor), r.n];
  },
});

/**
 * Trains for `epochs` epochs: each epoch runs `step` on every batch of `batches(epoch)`, keeps
 * running means of the loss and the step's metrics (on the device; read when the progress line
 * is drawn and at the end of the epoch), then runs `evaluate` if given and the callbacks.
 * Returns the final params/state and one {@link EpochRecord} per epoch.
 *
 * @example
 * const { params, history } = await train.fit({
 *   params: p0, state: opt.init(p0), epochs: 5,
 *   step: jit((p, s, b) => { const [loss, g] = valueAndGrad(lossFn)(p, b); const [u, s2] = opt.update(g, s, p); return { params: optim.applyUpdates(p, u), state: s2, loss }; }),
 *   batches: (e) => data.batches(trainSet, { batchSize: 128, key: [e, 0] }),
 *   evaluate: { batches: () => data.batches(testSet, { batchSize: 1000 }), forward, metrics: [train.accuracy()] },
 *   callbacks: [train.earlyStopping({ metric: 'eval.accuracy', mode: 'max', patience: 2 })],
 * });
 */
export async function fit<P, S, B, EB = never, Out = never>(
  options: FitOptions<P, S, B, EB, Out>,
): Promise<FitResult<P, S>> {
  const { epochs, step, callbacks = [], redrawSeconds = 0.2 } = options;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new Error(`train.fit: epochs must be a positive integer, got ${epochs}`);
  const clock = options.clock ?? (() => performance.now() / 1000);
  const sink = options.sink ?? defaultSink(options.progress ?? 'auto');
  const examplesIn = options.examplesIn ?? ((b: B) => leadingDim(b) ?? 1);
  let { params, state } = options;
  const history: EpochRecord[] = [];
  let globalStep = 0;
  let stepsPerEpoch: number | undefined;
  let stopped = false;
  for (let epoch = 1; epoch <= epochs && !stopped; epoch++) {
    const start = clock();
    let steps = 0;
    let examples = 0;
    let lastDraw = start;
    let metrics: Metric<StepResult<unknown, unknown> & { n: number }>[] = [];
    let accs: ReturnType<typeof accumulators> = [];
    const snapshot = async () => ({
      epoch,
      epochs,
      step: steps,
      stepsPerEpoch,
      seconds: clock() - start,
      examples,
      values: await readMetrics(accs),
    });
    for (const batch of options.batches(epoch - 1)) {
      const n = examplesIn(batch);
      const result = step(params, state, batch);
      params = result.params;
      state = result.state;
      if (steps === 0) {
        metrics = ['loss', ...Object.keys(result.metrics ?? {})].map(trainMetric);
        accs = accumulators('train.fit', metrics);
      }
      accumulate(accs, metrics, { ...(result as StepResult<unknown, unknown>), n });
      steps++;
      examples += n;
      globalStep++;
      const info = { epoch, globalStep, params, state };
      for (const cb of callbacks) if ((await cb.onStep?.(info)) === 'stop') stopped = true;
      if (stopped) break;
      if (sink?.tty && clock() - lastDraw >= redrawSeconds) {
        lastDraw = clock();
        sink.write(`\r${formatProgress(await snapshot())}\x1b[K`);
      }
    }
    if (steps === 0) throw new Error(`train.fit: epoch ${epoch} has no batches`);
    const final = await snapshot();
    stepsPerEpoch ??= steps;
    const evalValues = options.evaluate
      ? await evaluate(params, options.evaluate.batches(), options.evaluate)
      : undefined;
    const record: EpochRecord = {
      epoch,
      steps,
      examples,
      seconds: final.seconds,
      train: final.values as EpochRecord['train'],
      ...(evalValues ? { eval: evalValues } : {}),
    };
    history.push(record);
    if (sink) {
      const evalText = evalValues
        ? `  | eval ${Object.entries(evalValues)
            .map(([k, v]) => `${k} ${v.toPrecision(4)}`)
            .join('  ')}`
        : '';
      sink.write(
        `${sink.tty ? '\r' : ''}${formatProgress({ ...final, stepsPerEpoch: steps })}${evalText}${sink.tty ? '\x1b[K' : ''}\n`,
      );
    }
    const info = { epoch, globalStep, params, state };
    for (const cb of callbacks) if ((await cb.onEpochEnd?.(record, info)) === 'stop') stopped = true;
  }
  return { params, state, history, stopped };
}

/**
 * `train.fit`: the usual epoch loop over a pure step function, with a progress line, running
 * means, evaluation in batches, callbacks and a history. It only calls public pieces (`step`,
 * `evaluate`, your `save`), so the same loop can be written by hand.
 */
import { Tensor } from '../core/tensor.ts';
import { mul } from '../ops/elementwise.ts';
import { accumulate, accumulators, disposeSums, evaluate, readMetrics } from './evaluate.ts';
import type { Metric } from './metrics.ts';
import { defaultSink, formatProgress, type ProgressMode, type ProgressSink } from './progress.ts';
import { yieldSometimes } from './yield.ts';

/**
 * What a training step returns: the new params and optimizer state, the batch loss, and
 * optional batch metrics. `train.fit` frees the `loss` and `metrics` tensors once it has added
 * them to its running means (return fresh ones each step, as a jitted step does).
 */
export interface StepResult<P, S> {
  /** The new parameters. */
  readonly params: P;
  /** The new optimizer (or other) state. */
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
  /** Steps run in the epoch. */
  readonly steps: number;
  /** Examples seen in the epoch. */
  readonly examples: number;
  /** Wall time of the epoch's steps. */
  readonly seconds: number;
  /** Running means over the epoch: `loss` and the step's metrics, weighted by examples. */
  readonly train: Readonly<
    {
      /** The mean loss over the epoch. */
      loss: number;
    } & Record<string, number>
  >;
  /** Evaluation metrics after the epoch (when `evaluate` is given). */
  readonly eval?: Readonly<Record<string, number>>;
}

/** What callbacks see after each step. */
export interface StepInfo<P, S> {
  /** The current epoch, 1-based. */
  readonly epoch: number;
  /** Steps since the start of `fit` (1 after the first). */
  readonly globalStep: number;
  /** The parameters after this step. */
  readonly params: P;
  /** The state after this step. */
  readonly state: S;
}

/** Callbacks may return `'stop'` to end training after this step or epoch. */
export interface Callback<P, S> {
  /** Called after every step. */
  onStep?(info: StepInfo<P, S>): undefined | 'stop' | Promise<undefined | 'stop'>;
  /** Called after every epoch (and its evaluation) with the epoch's record. */
  onEpochEnd?(record: EpochRecord, info: StepInfo<P, S>): undefined | 'stop' | Promise<undefined | 'stop'>;
}

/**
 * The `evaluate` option of `train.fit`: fresh batches, the forward pass and the metrics, run
 * after each epoch (the record's `eval`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { tensor, train } from 'typegrad';
 * const evaluation: train.FitEvaluation<number, number, train.Classified> = {
 *   batches: () => [0],
 *   forward: (p) => ({ logits: tensor([[p, 0]]), labels: tensor([0], { dtype: 'i32' }) }),
 *   metrics: [train.accuracy()],
 * };
 * const { history } = await train.fit({
 *   params: 1,
 *   state: null,
 *   step: (p, s) => ({ params: p, state: s, loss: 0 }),
 *   batches: () => [0],
 *   epochs: 1,
 *   examplesIn: () => 1,
 *   evaluate: evaluation,
 *   progress: 'silent',
 * });
 * assert.deepEqual(history[0]!.eval, { accuracy: 1 });
 * ```
 */
export interface FitEvaluation<P, EB, Out> {
  /** Fresh evaluation batches for each evaluation. */
  readonly batches: () => Iterable<EB>;
  /** The model on one evaluation batch, returning what the metrics read. */
  readonly forward: (params: P, batch: EB) => Out;
  /** The metrics to compute (the record's `eval`). */
  readonly metrics: readonly Metric<Out>[];
}

/**
 * The options of `train.fit`: the initial params and state, the step, the batches of each epoch,
 * the epoch count, and optional evaluation, callbacks and progress settings.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { train } from 'typegrad';
 * const opts: train.FitOptions<number, number, number> = {
 *   params: 0,
 *   state: 0,
 *   step: (p, s, b) => ({ params: p + b, state: s + 1, loss: 0 }),
 *   batches: () => [1, 2, 3],
 *   epochs: 2,
 *   examplesIn: () => 1,
 *   progress: 'silent',
 * };
 * const { params, state } = await train.fit(opts);
 * assert.deepEqual([params, state], [12, 6]);
 * ```
 */
export interface FitOptions<P, S, B, EB = never, Out = never> {
  /** The initial parameters. */
  readonly params: P;
  /** The optimizer state (or any state the step threads through). */
  readonly state: S;
  /** One training step (usually jitted): `(params, state, batch) => { params, state, loss }`. */
  readonly step: (params: P, state: S, batch: B) => StepResult<P, S>;
  /**
   * The batches of epoch `e` (0-based): fold `e` into the shuffle key for a new order. With
   * `stepsPerEpoch`, the batches of pass `e` over the data instead.
   */
  readonly batches: (epoch: number) => Iterable<B>;
  /** Number of epochs (a positive integer). */
  readonly epochs: number;
  /**
   * Steps in an epoch, when an epoch is not one pass over the data (as Keras's
   * `steps_per_epoch`): the epochs then take their batches in turn from one stream, the
   * passes `batches(0)`, `batches(1)`, … one after another, so an epoch may end inside a
   * pass or span several. Useful for a point of a learning curve every n steps, or for
   * budgets shorter than one pass. A positive integer.
   */
  readonly stepsPerEpoch?: number;
  /** Evaluation after each epoch. */
  readonly evaluate?: FitEvaluation<P, EB, Out>;
  /** Checkpoints, early stopping, hooks (see `train.checkpointEvery` and friends). */
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

/**
 * What `train.fit` returns: the final params and state, one record per epoch, and whether a
 * callback stopped training.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { train } from 'typegrad';
 * const r: train.FitResult<number, null> = await train.fit({
 *   params: 0,
 *   state: null,
 *   step: (p, s) => ({ params: p, state: s, loss: 0.5 }),
 *   batches: () => [0, 0],
 *   epochs: 1,
 *   examplesIn: () => 8,
 *   progress: 'silent',
 * });
 * assert.deepEqual([r.stopped, r.history[0]!.steps, r.history[0]!.examples, r.history[0]!.train.loss], [false, 2, 16, 0.5]);
 * ```
 */
export interface FitResult<P, S> {
  /** The parameters after the last step. */
  readonly params: P;
  /** The state after the last step. */
  readonly state: S;
  /** One record per epoch run. */
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

/** The passes `batches(0)`, `batches(1)`, … as one stream (for `stepsPerEpoch`). */
function* passes<B>(options: {
  readonly batches: (pass: number) => Iterable<B>;
}): Generator<B, void, undefined> {
  for (let pass = 0; ; pass++) {
    let any = false;
    for (const b of options.batches(pass)) {
      any = true;
      yield b;
    }
    if (!any) throw new Error(`train.fit: batches(${pass}) gave no batches`);
  }
}

/** The next `n` items of a stream, leaving the rest in it (a `for … of` would close it). */
function* take<B>(stream: Iterator<B>, n: number): Generator<B, void, undefined> {
  for (let i = 0; i < n; i++) {
    const next = stream.next();
    if (next.done) return;
    yield next.value;
  }
}

/** Frees a step's loss and metric tensors (fit's to free: they were handed over with the result). */
function freeStepValues(result: StepResult<unknown, unknown>): void {
  for (const v of [result.loss, ...Object.values(result.metrics ?? {})]) if (v instanceof Tensor) v.dispose();
}

/**
 * Trains for `epochs` epochs: each epoch runs `step` on every batch of `batches(epoch)`, keeps
 * running means of the loss and the step's metrics (on the device; read when the progress line
 * is drawn and at the end of the epoch), then runs `evaluate` if given and the callbacks.
 * Returns the final params/state and one {@link EpochRecord} per epoch.
 *
 * Memory stays flat over any number of steps: the running means' intermediates and each
 * step's `loss`/`metrics` tensors are freed as it goes, and the loop gives the event loop a
 * turn every 32 steps or 50 ms, in which the garbage collector's safety net frees what the
 * program dropped (each batch, …).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data, jit, nn, optim, random, type Tensor, tensor, train, valueAndGrad } from 'typegrad';
 * // learn y = 2x with one dense unit
 * const xs = random.uniform(random.key(0), [64, 1]);
 * const set = { x: xs, y: nn.dense({ w: tensor([[2]]), b: tensor([0]) }, xs) };
 * type P = nn.DenseParams<1, 1>;
 * const opt = optim.adam(0.1);
 * const p0: P = nn.dense.init(random.key(1), { in: 1, out: 1 });
 * const lossFn = (p: P, b: { x: Tensor<[16, 1]>; y: Tensor<[16, 1]> }) => nn.mse(nn.dense(p, b.x), b.y);
 * const lines: string[] = [];
 * const { params, history } = await train.fit({
 *   params: p0,
 *   state: opt.init(p0),
 *   epochs: 30,
 *   step: jit((p: P, s: ReturnType<typeof opt.init<P>>, b: { x: Tensor<[16, 1]>; y: Tensor<[16, 1]> }) => {
 *     const [loss, g] = valueAndGrad(lossFn)(p, b);
 *     const [u, s2] = opt.update(g, s, p);
 *     return { params: optim.applyUpdates(p, u), state: s2, loss };
 *   }),
 *   batches: (e) => data.batches(set, { batchSize: 16, key: [e, 0], dropLast: true }),
 *   sink: { tty: false, write: (s) => void lines.push(s) },
 * });
 * assert.equal(history.length, 30);
 * assert.ok(history.at(-1)!.train.loss < history[0]!.train.loss / 10);
 * assert.ok(Math.abs(params.w.item() - 2) < 0.2);
 * assert.match(lines[0]!, /^epoch 1\/30 {2}step 4\/4 {2}loss /); // one line per epoch off a TTY
 * ```
 */
export async function fit<P, S, B, EB = never, Out = never>(
  options: FitOptions<P, S, B, EB, Out>,
): Promise<FitResult<P, S>> {
  const { epochs, step, callbacks = [], redrawSeconds = 0.2 } = options;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new Error(`train.fit: epochs must be a positive integer, got ${epochs}`);
  const perEpoch = options.stepsPerEpoch;
  if (perEpoch !== undefined && (!Number.isInteger(perEpoch) || perEpoch < 1))
    throw new Error(`train.fit: stepsPerEpoch must be a positive integer, got ${perEpoch}`);
  const clock = options.clock ?? (() => performance.now() / 1000);
  const sink = options.sink ?? defaultSink(options.progress ?? 'auto');
  const examplesIn = options.examplesIn ?? ((b: B) => leadingDim(b) ?? 1);
  let { params, state } = options;
  const history: EpochRecord[] = [];
  let globalStep = 0;
  let stepsPerEpoch: number | undefined = perEpoch; // else learnt from the first epoch, for the ETA
  let stopped = false;
  const pause = yieldSometimes();
  const stream = perEpoch === undefined ? undefined : passes(options);
  try {
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
      for (const batch of stream && perEpoch ? take(stream, perEpoch) : options.batches(epoch - 1)) {
        const n = examplesIn(batch);
        const result = step(params, state, batch);
        params = result.params;
        state = result.state;
        if (steps === 0) {
          metrics = ['loss', ...Object.keys(result.metrics ?? {})].map(trainMetric);
          accs = accumulators('train.fit', metrics);
        }
        accumulate(accs, metrics, { ...(result as StepResult<unknown, unknown>), n });
        freeStepValues(result);
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
        await pause();
      }
      if (steps === 0) throw new Error(`train.fit: epoch ${epoch} has no batches`);
      const final = await snapshot();
      disposeSums(accs);
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
  } finally {
    stream?.return(undefined); // closes the pass being read (its generator's cleanup runs)
  }
  return { params, state, history, stopped };
}

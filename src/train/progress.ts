/** The progress line of `train.fit`: steps/s, examples/s, running loss and metrics, ETA. */

/**
 * How `train.fit` reports progress: `'auto'` (redrawn on a TTY, one line per epoch otherwise),
 * `'tty'`, `'lines'` or `'silent'`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { train } from 'typegrad';
 * const mode: train.ProgressMode = 'lines';
 * assert.equal(train.defaultSink(mode)?.tty, false);
 * ```
 */
export type ProgressMode = 'auto' | 'tty' | 'lines' | 'silent';

/**
 * What a progress line shows (see `train.formatProgress`): position, elapsed time, examples seen
 * and the running values.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { train } from 'typegrad';
 * const snap: train.ProgressSnapshot = { epoch: 1, epochs: 1, step: 3, stepsPerEpoch: undefined, seconds: 0, examples: 0, values: {} };
 * assert.equal(train.formatProgress(snap), 'epoch 1/1  step 3');
 * ```
 */
export interface ProgressSnapshot {
  /** The current epoch, 1-based. */
  readonly epoch: number;
  /** The total number of epochs. */
  readonly epochs: number;
  /** Steps done in this epoch. */
  readonly step: number;
  /** Steps in this epoch when known (after the first epoch, or given). */
  readonly stepsPerEpoch: number | undefined;
  /** Seconds since the epoch started. */
  readonly seconds: number;
  /** Examples seen in this epoch. */
  readonly examples: number;
  /** The running values to show (`loss` and the step's metrics). */
  readonly values: Readonly<Record<string, number>>;
}

const fixed = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));

/**
 * `m:ss` (or `h:mm:ss`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { train } from 'typegrad';
 * assert.equal(train.formatDuration(75), '1:15');
 * assert.equal(train.formatDuration(3725), '1:02:05');
 * ```
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * One progress line, e.g.
 * `epoch 2/10  step 120/469  loss 0.3412  accuracy 0.9100  850 steps/s  108,800 ex/s  ETA 0:04`.
 * The ETA covers the rest of this epoch and the epochs after it, at this epoch's rate.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { train } from 'typegrad';
 * const line = train.formatProgress({
 *   epoch: 1, epochs: 2, step: 10, stepsPerEpoch: 20, seconds: 2, examples: 640, values: { loss: 0.5 },
 * });
 * assert.equal(line, 'epoch 1/2  step 10/20  loss 0.5000  5.0 steps/s  320 ex/s  ETA 0:06'); // one decimal below 10 steps/s
 * ```
 */
export function formatProgress(p: ProgressSnapshot): string {
  const parts = [
    `epoch ${p.epoch}/${p.epochs}`,
    `step ${p.step}${p.stepsPerEpoch ? `/${p.stepsPerEpoch}` : ''}`,
  ];
  for (const [name, v] of Object.entries(p.values)) parts.push(`${name} ${fixed(v)}`);
  if (p.seconds > 0) {
    const rate = p.step / p.seconds;
    // one decimal below 10 steps/s, so a slow run does not read "0 steps/s"
    parts.push(`${rate < 9.95 ? rate.toFixed(1) : Math.round(rate).toLocaleString('en-US')} steps/s`);
    parts.push(`${Math.round(p.examples / p.seconds).toLocaleString('en-US')} ex/s`);
    if (p.stepsPerEpoch !== undefined && rate > 0) {
      const left = p.stepsPerEpoch - p.step + (p.epochs - p.epoch) * p.stepsPerEpoch;
      parts.push(`ETA ${formatDuration(left / rate)}`);
    }
  }
  return parts.join('  ');
}

/**
 * Where progress goes: `write` receives raw text; `tty` redraws one line with `\r`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { train } from 'typegrad';
 * const lines: string[] = [];
 * const sink: train.ProgressSink = { tty: false, write: (s) => void lines.push(s) };
 * await train.fit({
 *   params: 0, state: 0, step: (p, s) => ({ params: p, state: s, loss: 1 }),
 *   batches: () => [0], epochs: 2, examplesIn: () => 1, sink,
 * });
 * assert.equal(lines.length, 2);
 * ```
 */
export interface ProgressSink {
  /** Whether to redraw one line (with `\r`) instead of printing one line per epoch. */
  readonly tty: boolean;
  /** Receives raw text (lines end with `\n`; redraws start with `\r`). */
  write(text: string): void;
}

/**
 * The sink for a mode: stdout in Node (redrawn when it is a TTY), console.log elsewhere.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { train } from 'typegrad';
 * assert.equal(train.defaultSink('silent'), undefined);
 * assert.equal(train.defaultSink('lines')?.tty, false);
 * ```
 */
export function defaultSink(mode: ProgressMode): ProgressSink | undefined {
  if (mode === 'silent') return undefined;
  const stdout = (globalThis as { process?: { stdout?: { isTTY?: boolean; write(s: string): unknown } } })
    .process?.stdout;
  const tty = mode === 'tty' || (mode === 'auto' && stdout?.isTTY === true);
  if (stdout) return { tty, write: (s) => void stdout.write(s) };
  return { tty: false, write: (s) => console.log(s.replace(/\n$/, '')) };
}

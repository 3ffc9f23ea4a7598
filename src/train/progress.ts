/** The progress line of `train.fit`: steps/s, examples/s, running loss and metrics, ETA. */

export type ProgressMode = 'auto' | 'tty' | 'lines' | 'silent';

export interface ProgressSnapshot {
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  /** Steps in this epoch when known (after the first epoch, or given). */
  readonly stepsPerEpoch: number | undefined;
  readonly seconds: number;
  readonly examples: number;
  readonly values: Readonly<Record<string, number>>;
}

const fixed = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));

/** `m:ss` (or `h:mm:ss`). */
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
 * formatProgress({ epoch: 1, epochs: 2, step: 10, stepsPerEpoch: 20, seconds: 2, examples: 640, values: { loss: 0.5 } });
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

/** Where progress goes: `write` receives raw text; `tty` redraws one line with `\r`. */
export interface ProgressSink {
  readonly tty: boolean;
  write(text: string): void;
}

/** The sink for a mode: stdout in Node (redrawn when it is a TTY), console.log elsewhere. */
export function defaultSink(mode: ProgressMode): ProgressSink | undefined {
  if (mode === 'silent') return undefined;
  const stdout = (globalThis as { process?: { stdout?: { isTTY?: boolean; write(s: string): unknown } } })
    .process?.stdout;
  const tty = mode === 'tty' || (mode === 'auto' && stdout?.isTTY === true);
  if (stdout) return { tty, write: (s) => void stdout.write(s) };
  return { tty: false, write: (s) => console.log(s.replace(/\n$/, '')) };
}

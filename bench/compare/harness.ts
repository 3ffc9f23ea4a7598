/**
 * The side-by-side protocol of /work/shared/BENCHMARKS.md for one workload case: every peer
 * prepares a runner on identical data, their probes are compared with typegrad's, each is
 * warmed up and calibrated so one repetition takes about `targetMs`, then rounds run every
 * peer in turn (order rotating with the round), `reps` repetitions each. Prints one JSON line
 * per peer and one ratio line typegrad/peer, and returns whether the probes agreed.
 */
import { loadavg } from 'node:os';
import type { Case, Peer, Runner } from './peer.ts';
import { type Measurement, measurementLine, median, ratioLine, scaledMaxError, sig } from './stats.ts';

export interface Protocol {
  readonly rounds: number;
  readonly reps: number;
  /** Wall time one repetition aims at (ms). */
  readonly targetMs: number;
  /** Largest scaled max error of a peer's probe against typegrad's. */
  readonly tolerance: number;
}

export const FULL: Protocol = { rounds: 3, reps: 3, targetMs: 500, tolerance: 1e-3 };
export const QUICK: Protocol = { rounds: 2, reps: 3, targetMs: 60, tolerance: 1e-3 };

export interface CaseInfo {
  readonly flop?: number;
  readonly ops?: number;
}

const emit = (line: Record<string, unknown>) => console.log(JSON.stringify(line));

/** ms per iteration of one repetition of `iters` iterations. */
async function repetition(r: Runner, iters: number): Promise<number> {
  const t0 = performance.now();
  await r.run(iters);
  return (performance.now() - t0) / iters;
}

/**
 * Iterations for one repetition of about `targetMs`, and the ms per iteration seen. The first
 * call is the warm-up (the probe already compiled); a runner slower than the target runs one
 * iteration a repetition.
 */
async function calibrate(r: Runner, targetMs: number): Promise<{ iters: number; ms: number }> {
  let iters = 1;
  let ms = await repetition(r, iters);
  if (ms >= targetMs) return { iters, ms };
  ms = await repetition(r, iters);
  // grow until a repetition is long enough to estimate from, then scale to the target
  while (ms * iters < targetMs / 4 && iters < 1e6) {
    iters *= 4;
    ms = await repetition(r, iters);
  }
  return { iters: Math.max(1, Math.round(targetMs / ms)), ms };
}

/**
 * Repetitions per round: `protocol.reps`, or one for a runner whose single iteration takes
 * over 4 targets (jax-js's W5 convolution: seconds), which still gives one repetition per
 * round and ≥ 3 in all, and keeps a full run short.
 *
 * @example
 *   repsPerRound(30_000, FULL); // 1 (a 30 s iteration)
 */
export function repsPerRound(msPerIter: number, protocol: Protocol): number {
  return msPerIter > 4 * protocol.targetMs ? 1 : protocol.reps;
}

/**
 * Runs `c` on `peers` (typegrad first) under `protocol`; false when a probe disagreed.
 *
 * @example
 *   await compare([typegrad, jax, tfjs], { id: 'W1', params: { n: 512 } }, { flop: 2 * 512 ** 3 }, FULL);
 */
export async function compare(peers: readonly Peer[], c: Case, info: CaseInfo, protocol: Protocol) {
  const ready: { peer: Peer; runner: Runner }[] = [];
  const probes: ArrayLike<number>[] = [];
  for (const peer of peers) {
    try {
      const r = await peer.prepare(c);
      if (typeof r === 'string') throw new Error(r);
      probes.push(await r.probe());
      ready.push({ peer, runner: r });
    } catch (e) {
      const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
      emit({ peer: peer.name, workload: c.id, params: c.params, unsupported: why, versions: peer.versions });
    }
  }
  let agreed = true;
  const ref = ready[0]?.peer.name === 'typegrad' ? probes[0] : undefined;
  for (let i = 1; ref && i < ready.length; i++) {
    const got = probes[i]!;
    const err = scaledMaxError(ref, got);
    const ok = err <= protocol.tolerance;
    agreed &&= ok;
    emit({
      check: `${ready[i]!.peer.name} vs typegrad`,
      workload: c.id,
      params: c.params,
      ok,
      scaled_max_error: sig(err, 3),
      tolerance: protocol.tolerance,
      values: ref.length,
      ...(ref.length <= 4 ? { typegrad: Array.from(ref), [ready[i]!.peer.name]: Array.from(got) } : {}),
    });
  }
  const iters: number[] = [];
  const reps: number[] = [];
  for (const { runner } of ready) {
    const cal = await calibrate(runner, protocol.targetMs);
    iters.push(cal.iters);
    reps.push(repsPerRound(cal.ms * cal.iters, protocol));
  }
  const samples = ready.map(() => [] as number[]);
  const roundMedians = ready.map(() => [] as number[]);
  const loads = ready.map(() => [] as number[]);
  for (let k = 0; k < protocol.rounds; k++) {
    for (let j = 0; j < ready.length; j++) {
      const i = (j + k) % ready.length;
      const round: number[] = [];
      for (let rep = 0; rep < reps[i]!; rep++) round.push(await repetition(ready[i]!.runner, iters[i]!));
      samples[i]!.push(...round);
      roundMedians[i]!.push(median(round));
      loads[i]!.push(loadavg()[0]!);
    }
  }
  const measured: Measurement[] = ready.map(({ peer }, i) => ({
    peer: peer.name,
    workload: c.id,
    params: c.params,
    samples: samples[i]!,
    roundMedians: roundMedians[i]!,
    iters: iters[i]!,
    ...info,
    versions: peer.versions,
    hostLoad1: median(loads[i]!),
  }));
  for (const m of measured) emit(measurementLine(m));
  if (measured[0]?.peer === 'typegrad') for (const m of measured.slice(1)) emit(ratioLine(measured[0], m));
  for (const { runner } of ready) runner.dispose();
  return agreed;
}

import { describe, expect, it } from 'vitest';
import { nchwToNhwc, nhwcToNchw, oihwToHwio, xorshift } from '../../bench/compare/data.ts';
import { FULL, repsPerRound } from '../../bench/compare/harness.ts';
import {
  type Measurement,
  measurementLine,
  median,
  ratioLine,
  roundRatios,
  scaledMaxError,
  sig,
  summarize,
} from '../../bench/compare/stats.ts';
import { markdownTable } from '../../bench/compare/table.ts';

const measurement = (peer: string, samples: number[], roundMedians: number[]): Measurement => ({
  peer,
  workload: 'W1',
  params: { n: 512 },
  samples,
  roundMedians,
  iters: 4,
  flop: 2 * 512 ** 3,
  versions: { [peer]: '1.0.0' },
  hostLoad1: 1.234567,
});

describe('bench/compare statistics', () => {
  it('median of odd and even counts, unsorted input left alone', () => {
    const xs = [5, 1, 4];
    expect(median(xs)).toBe(4);
    expect(xs).toEqual([5, 1, 4]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow('median: empty list');
    expect(summarize([3, 9, 1])).toEqual({ median: 3, min: 1, max: 9 });
  });

  it('per-round ratios with their median and range', () => {
    const r = roundRatios([10, 30, 20], [20, 30, 10]);
    expect(r.ratios).toEqual([0.5, 1, 2]);
    expect([r.median, r.min, r.max]).toEqual([1, 0.5, 2]);
    expect(() => roundRatios([1, 2], [1])).toThrow(
      'roundRatios: need the same number of rounds (got 2 and 1)',
    );
  });

  it('significant digits', () => {
    expect(sig(123.456789)).toBe(123.5);
    expect(sig(0.000123456)).toBe(0.0001235);
    expect(sig(0)).toBe(0);
  });

  it('the measurement line has the fields of BENCHMARKS.md, ms_per_iter the median repetition', () => {
    const line = measurementLine(measurement('typegrad', [12, 10, 11, 30, 9, 10], [11, 10]), 'T');
    expect(line).toEqual({
      peer: 'typegrad',
      workload: 'W1',
      params: { n: 512 },
      ms_per_iter: 10.5,
      ms_min: 9,
      ms_max: 30,
      reps: 6,
      iters: 4,
      samples: [12, 10, 11, 30, 9, 10],
      round_medians: [11, 10],
      gflops: sig((2 * 512 ** 3) / (10.5 * 1e6)),
      versions: { typegrad: '1.0.0' },
      host_load1: 1.23,
      ts: 'T',
    });
    expect(JSON.parse(JSON.stringify(line))).toEqual(line);
  });

  it('µs per op for dispatch workloads', () => {
    const m = { ...measurement('tfjs', [2, 4, 3], [3]), flop: undefined, ops: 1000 };
    const { flop: _, ...noFlop } = m;
    const line = measurementLine(noFlop, 'T');
    expect(line.us_per_op).toBe(3);
    expect('gflops' in line).toBe(false);
  });

  it('the ratio line divides typegrad by the peer round by round', () => {
    const a = measurement('typegrad', [1], [10, 12, 30]);
    const b = measurement('jax-js', [1], [20, 12, 10]);
    expect(ratioLine(a, b, 'T')).toEqual({
      ratio: 'typegrad/jax-js',
      workload: 'W1',
      params: { n: 512 },
      median: 1,
      min: 0.5,
      max: 3,
      rounds: 3,
      ratios: [0.5, 1, 3],
      host_load1: 1.23,
      ts: 'T',
    });
  });

  it('scaled max error against the reference, NaN when a value is NaN', () => {
    expect(scaledMaxError([2, -4], [2.5, -4])).toBe(0.125);
    expect(scaledMaxError([1, 2], [1, Number.NaN])).toBeNaN();
    expect(() => scaledMaxError([1], [1, 2])).toThrow('scaledMaxError: lengths differ (1 and 2)');
  });

  it('xorshift is deterministic, in range, and seeds differ', () => {
    const a = xorshift(7, 1000, -1, 1);
    expect(Array.from(a)).toEqual(Array.from(xorshift(7, 1000, -1, 1)));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...a)).toBeLessThan(1);
    expect(Math.abs(a.reduce((s, x) => s + x, 0) / a.length)).toBeLessThan(0.1);
    expect(xorshift(8, 4)).not.toEqual(xorshift(7, 4));
  });

  it('layout transposes for channels-last peers move each value where its indices say', () => {
    const t = { shape: [2, 3, 4, 5], data: Float32Array.from({ length: 120 }, (_, i) => i) };
    const nhwc = nchwToNhwc(t);
    expect(nhwc.shape).toEqual([2, 4, 5, 3]);
    // element [n=1, c=2, h=3, w=4] of NCHW sits at [1, 3, 4, 2] in NHWC
    expect(nhwc.data[((1 * 4 + 3) * 5 + 4) * 3 + 2]).toBe(((1 * 3 + 2) * 4 + 3) * 5 + 4);
    expect(Array.from(nhwcToNchw(nhwc).data)).toEqual(Array.from(t.data));
    const hwio = oihwToHwio(t);
    expect(hwio.shape).toEqual([4, 5, 3, 2]);
    // kernel [o=1, i=2, h=3, w=4] sits at [3, 4, 2, 1] in HWIO
    expect(hwio.data[((3 * 5 + 4) * 3 + 2) * 2 + 1]).toBe(((1 * 3 + 2) * 4 + 3) * 5 + 4);
  });

  it('the README table: figures per library, ratio median [range], unsupported cases', () => {
    const params = { n: 512 };
    const table = markdownTable([
      { peer: 'typegrad', workload: 'W1', params, ms_per_iter: 10, gflops: 26.8, host_load1: 2 },
      { peer: 'jax-js', workload: 'W1', params, ms_per_iter: 11, gflops: 24.4 },
      { peer: 'tfjs', workload: 'W1', params, unsupported: 'no kernel' },
      { ratio: 'typegrad/jax-js', workload: 'W1', params, median: 0.91, min: 0.9, max: 0.95 },
    ]);
    expect(table.split('\n')[2]).toBe(
      '| W1 n=512 | 10 ms (26.8 GF/s) | 11 ms (24.4 GF/s) | cannot | 0.91 [0.9–0.95] | – | 2 |',
    );
  });

  it('one repetition a round only for iterations over four targets (still ≥ 3 in all)', () => {
    expect(repsPerRound(600, FULL)).toBe(3);
    expect(repsPerRound(2000, FULL)).toBe(3);
    expect(repsPerRound(2001, FULL)).toBe(1);
    expect(FULL.rounds * repsPerRound(1e5, FULL)).toBeGreaterThanOrEqual(3);
  });
});

/** Axis arguments: negative axes count from the end; a list of axes may not name one axis twice. */
import type { Add, Lt } from './arith.ts';
import type { Failure } from './dim.ts';
import { shapeError } from './dim.ts';

type AxisOutOfRange<
  Op extends string,
  Axis extends number,
  Rank extends number,
> = Failure<`${Op}: axis ${Axis} is out of range for rank ${Rank}`>;

/** Axis as an index in [0, Rank), or a Failure; `number` when the axis is dynamic. */
export type NormalizeAxis<Op extends string, Axis extends number, Rank extends number> = number extends Axis
  ? number
  : Lt<Axis, 0> extends true
    ? Lt<Add<Axis, Rank>, 0> extends true
      ? AxisOutOfRange<Op, Axis, Rank>
      : Add<Axis, Rank>
    : Lt<Axis, Rank> extends true
      ? Axis
      : AxisOutOfRange<Op, Axis, Rank>;

/**
 * A list of axes normalized (in the order given), or a Failure for an axis out of range or
 * two axes that name the same one. `Seen` maps each normalized axis to the axis as given.
 */
export type NormalizeAxes<
  Op extends string,
  Axes extends readonly number[],
  Rank extends number,
  Acc extends number[] = [],
  Seen extends Record<number, number> = {},
> = Axes extends readonly [infer A extends number, ...infer R extends number[]]
  ? NormalizeAxis<Op, A, Rank> extends infer N extends number
    ? N extends keyof Seen
      ? Failure<`${Op}: axes ${Seen[N]} and ${A} are the same axis`>
      : NormalizeAxes<Op, R, Rank, [...Acc, N], Seen & { [K in N]: A }>
    : NormalizeAxis<Op, A, Rank>
  : Acc;

/** Run-time twin of `NormalizeAxis`. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    shapeError(`${op}: axis ${axis} is out of range for rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Run-time twin of `NormalizeAxes`. */
export function normalizeAxes(op: string, axes: readonly number[], rank: number): number[] {
  const seen = new Map<number, number>();
  for (const axis of axes) {
    const n = normalizeAxis(op, axis, rank);
    const earlier = seen.get(n);
    if (earlier !== undefined) shapeError(`${op}: axes ${earlier} and ${axis} are the same axis`);
    seen.set(n, axis);
  }
  return [...seen.keys()];
}

/** The Failure of `NormalizeAxis` alone: for the branch where it did not give an axis. */
export type AxisError<Op extends string, Axis extends number, Rank extends number> = Extract<
  NormalizeAxis<Op, Axis, Rank>,
  Failure<string>
>;

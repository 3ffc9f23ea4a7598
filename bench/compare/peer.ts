/**
 * What a library plugs into the side-by-side harness: for each workload case, a `Runner`
 * built on the shared data of data.ts, or the reason the library cannot run it.
 */

/** Workload ids of /work/shared/BENCHMARKS.md, and issue 9's typegrad-only cases. */
export type WorkloadId =
  | 'W1'
  | 'W2'
  | 'W3'
  | 'W4'
  | 'W5'
  | 'DISPATCH'
  | 'DISPATCH_SYNC'
  | 'MAXPOOL'
  | 'CONV1';

/** One workload at one size (e.g. W1 with n = 512). */
export interface Case {
  readonly id: WorkloadId;
  readonly params: Readonly<Record<string, number | string>>;
}

export interface Runner {
  /**
   * Numbers every peer must agree on, from the runner's fresh state before anything is
   * timed: a result, or the losses of the first steps (a training runner then goes on from
   * the parameters those steps made).
   */
  probe(): Promise<ArrayLike<number>>;
  /**
   * `iters` iterations, chained where the workload trains, ending when the last result is
   * read back to the host (every lazy result realized).
   */
  run(iters: number): Promise<void>;
  dispose(): void;
}

export type Backend = 'cpu' | 'webgpu';

export interface Peer {
  /** 'typegrad', 'jax-js' or 'tfjs'. */
  readonly name: string;
  /** Package versions and the device or backend used, for the JSON lines. */
  readonly versions: Readonly<Record<string, string>>;
  /** A runner for `c`, or a sentence saying why this library cannot run it. */
  prepare(c: Case): Promise<Runner | string>;
  /** Frees devices so the process can exit. */
  close(): Promise<void>;
}

/** Makes a peer adapter for a backend (modules in bench/peers export one as `createPeer`). */
export type PeerFactory = (backend: Backend) => Promise<Peer>;

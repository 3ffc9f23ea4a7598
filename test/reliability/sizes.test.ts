/**
 * Issue 11: shapes of 2^40 elements, and NaN sizes, are clear errors naming the op, the
 * shape and the bytes before anything is allocated, on every backend; memory() stays exact.
 */
import { afterEach, describe, expect } from 'vitest';
import type { Tensor } from '../../src/index.ts';
import * as tg from '../../src/index.ts';
import { backendsUnderTest, useBackend } from '../backends/helpers.ts';

const BACKENDS = await backendsUnderTest();
const N = 2 ** 40;
const snapshot = () => JSON.stringify(tg.memory());

describe.each(BACKENDS)('size checks on $name', (backend) => {
  const test = useBackend(backend);
  afterEach(() => {
    tg.setAllocationLimit(backend.name, undefined);
  });

  const huge: [string, RegExp, () => unknown][] = [
    [
      'zeros',
      /^full: a f32\[1099511627776\] result needs 4398046511104 bytes \(4 TiB\), over the \w+ backend's limit/,
      () => tg.zeros([N]),
    ],
    [
      'full',
      /^full: a f32\[1048576, 1048576\] result needs 4398046511104 bytes/,
      () => tg.full([2 ** 20, 2 ** 20], 1),
    ],
    ['eye', /^eye: a f32\[1048576, 1048576\] result needs 4398046511104 bytes/, () => tg.eye(2 ** 20)],
    ['arange', /^arange: a i32\[1099511627776\] result needs 4398046511104 bytes/, () => tg.arange(N)],
    [
      'broadcastTo',
      /^broadcastTo: a f32\[1099511627776, 3\] result needs/,
      () => tg.broadcastTo(tg.ones([1, 3]), [N, 3]),
    ],
    [
      'random.normal',
      /^random\.normal: a f32\[1099511627776\] result needs/,
      () => tg.random.normal(tg.random.key(0), [N]),
    ],
    [
      'pad',
      /^\w+: a f32\[1099511627778, 3\] result needs/,
      () =>
        tg.pad(
          tg.ones([2, 3]) as Tensor,
          [
            [0, N],
            [0, 0],
          ] as never,
        ),
    ],
  ];

  test.each(huge)('%s of 2^40 elements', (_, message, call) => {
    tg.scope(() => {
      expect(call).toThrow(message);
    });
    expect(snapshot()).not.toContain('null'); // JSON shows a NaN byte count as null
  });

  test('matmul and conv2d results over the ceiling', () => {
    const a = tg.ones([2048, 1]);
    const b = tg.ones([1, 2048]);
    const x = tg.ones([1, 1, 64, 64]);
    const w = tg.ones([128, 1, 1, 1]);
    const before = snapshot();
    tg.setAllocationLimit(backend.name, 1024 * 1024);
    expect(() => tg.matmul(a, b)).toThrow(
      /a f32\[2048, 2048\] result needs 16777216 bytes \(16 MiB\), over the \w+ backend's limit of 1048576 bytes/,
    );
    expect(() => tg.conv2d(x, w)).toThrow(/a f32\[1, 128, 64, 64\] result needs 2097152 bytes \(2 MiB\)/);
    tg.setAllocationLimit(backend.name, undefined);
    expect(snapshot()).toBe(before);
    expect(tg.matmul(a, b).shape).toEqual([2048, 2048]);
  });

  test('NaN sizes never reach memory()', () => {
    expect(() => tg.arange(0, Number.NaN)).toThrow('arange: stop must be a finite number, got NaN');
    expect(() => tg.maxPool2d(tg.ones([1, 1, 4, 4]), { window: 2, stride: Number.NaN })).toThrow(
      'maxPool2d: stride NaN is not an integer',
    );
    expect(() => tg.zeros([Number.NaN])).toThrow('zeros: bad dim NaN in shape [NaN]');
    expect(Number.isFinite(tg.memory()[backend.name]?.bytes ?? 0)).toBe(true);
  });
});

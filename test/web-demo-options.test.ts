import { describe, expect, it } from 'vitest';
import { epochsFor, parseOptions, stepsPerEpoch } from '../examples/web/options.ts';

describe('the demo page URL options (examples/web/options.ts)', () => {
  it('defaults to auto, 4 epochs of all 8,000 digits in batches of 128, 20 points', () => {
    expect(parseOptions('')).toEqual({
      backend: 'auto',
      epochs: 4,
      steps: undefined,
      train: 8000,
      batch: 128,
      test: 2000,
      points: 20,
    });
  });

  it('reads the reduced run of the CI check', () => {
    const o = parseOptions('?backend=webgpu&steps=6&batch=32&train=192&test=64&points=2');
    expect(o).toEqual({ backend: 'webgpu', epochs: 4, steps: 6, train: 192, batch: 32, test: 64, points: 2 });
    expect([stepsPerEpoch(o), epochsFor(o)]).toEqual([6, 1]);
  });

  it('with ?steps runs just enough epochs to reach them', () => {
    const o = parseOptions('?backend=cpu&steps=100');
    expect([stepsPerEpoch(o), epochsFor(o)]).toEqual([62, 2]); // floor(8000 / 128) = 62
    expect(epochsFor(parseOptions('?epochs=3'))).toBe(3);
  });

  it('names the option and the value at fault', () => {
    expect(() => parseOptions('?backend=gpu')).toThrow(
      "demo page: ?backend= must be one of webgpu, cpu, auto, got 'gpu'",
    );
    expect(() => parseOptions('?steps=0')).toThrow(
      "demo page: ?steps= must be an integer in [1, Infinity], got '0'",
    );
    expect(() => parseOptions('?epochs=1.5')).toThrow(
      "?epochs= must be an integer in [1, Infinity], got '1.5'",
    );
    expect(() => parseOptions('?batch=64&train=32')).toThrow(
      "?train= must be an integer in [64, 8000], got '32'",
    );
    expect(() => parseOptions('?test=3000')).toThrow("?test= must be an integer in [1, 2000], got '3000'");
  });
});

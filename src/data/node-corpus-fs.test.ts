import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from './node-fs.ts';

describe('loadCorpus', () => {
  it('reads a UTF-8 file into a vocabulary and id streams', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'corpus-')), 'c.txt');
    writeFileSync(path, 'héhé!', 'utf8');
    const { vocab, train, valid } = loadCorpus(path, { validFraction: 0 });
    expect(vocab.decode(train)).toBe('héhé!');
    expect(valid.length).toBe(0);
  });

  it('names the path it cannot read', () => {
    expect(() => loadCorpus('/no/such/file.txt')).toThrow(
      /^loadCorpus\(\/no\/such\/file.txt\): cannot read the file/,
    );
  });
});

/** Node-only: a text corpus read from a file (UTF-8). */
import { readFileSync } from 'node:fs';
import { type Corpus, type CorpusOptions, corpusFromText } from './corpus.ts';

/**
 * Reads a UTF-8 text file and returns {@link corpusFromText} of its contents.
 *
 * @example
 * const { vocab, train } = loadCorpus('data/tinyshakespeare.txt', { level: 'char' });
 */
export function loadCorpus(path: string, options: CorpusOptions = {}): Corpus {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`loadCorpus(${path}): cannot read the file (${(e as Error).message})`, { cause: e });
  }
  return corpusFromText(text, options);
}

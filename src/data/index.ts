/**
 * `data`: datasets as plain typed arrays. Browser-safe and asset-free; the Node file loaders
 * (`loadIdxFile`, `loadMnistFormat`, `loadDigitsSync`, …) are in `./node-fs.ts` (`typegrad/node`)
 * and the embedded digits' loader in the opt-in subpath `typegrad/datasets/digits`.
 */

export * as augment from './augment.ts';
export { type Batch, batchCount, type KeyPair, shufflePermutation } from './batches.ts';
export { type Corpus, type CorpusOptions, corpusFromText } from './corpus.ts';
export { bytesToUnitFloats, type ImageDataset, type ImageSplit, imageSplitFromIdx } from './dataset.ts';
export {
  DIGITS_ORDER_KEY,
  DIGITS_TEST,
  DIGITS_TOTAL,
  DIGITS_TRAIN,
  digitsFromIdx,
} from './digits.ts';
export {
  encodeIdx,
  gunzipWeb,
  type IdxArray,
  type IdxDtype,
  type IdxTypedArray,
  type IdxTypedArrayMap,
  idxError,
  isGzip,
  type ParseIdxOptions,
  parseIdx,
  parseIdxAsync,
} from './idx.ts';
export {
  type BpttOptions,
  type BpttWindow,
  bpttWindowCount,
  bpttWindows,
  type PaddedBatch,
  type PadOptions,
  padSequences,
} from './sequences.ts';
export { keyPairOf, type TensorBatch, toTensors } from './tensors.ts';
export {
  buildVocab,
  PAD,
  PAD_ID,
  tokenize,
  UNK,
  UNK_ID,
  type Vocab,
  type VocabLevel,
  type VocabOptions,
  vocabFromTokens,
} from './text.ts';
export {
  type BatchOf,
  type BatchOptions,
  batches,
  batchTree,
  exampleCount,
  type TreeBatchOptions,
} from './tree-batches.ts';

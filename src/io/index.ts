/**
 * `io`: safetensors read/write. Browser-safe; the atomic Node file adapter
 * (`saveSafetensors`, `loadSafetensors`, TaskEither variants) is in `./node-fs.ts`.
 */

export { decodeParams, encodeParams, leavesWithPaths } from './params.ts';
export {
  decodeSafetensors,
  encodeSafetensors,
  inferSafeDtype,
  MAX_HEADER_SIZE,
  type SafeDtype,
  type SafeTensor,
  type SafeTensorInput,
  type SafeTypedArray,
  type SafeTypedArrayMap,
  type SafetensorsContents,
} from './safetensors.ts';

/**
 * `io`: safetensors read/write. Browser-safe; the atomic Node file adapter
 * (`saveSafetensors`, `loadSafetensors`, TaskEither variants) is in `./node-fs.ts`.
 */

export { decodeParams, encodeParams, leavesWithPaths } from './params.ts';
export {
  type DecodeOptions,
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
export {
  type FromTorchResult,
  fromTorchStateDict,
  type TorchNameMapping,
  toTorchStateDict,
} from './torch.ts';
export type { WideDtype } from './wide-dtypes.ts';

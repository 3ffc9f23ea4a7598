#!/usr/bin/env bash
# Sets up a software Vulkan driver (SwiftShader) so that Dawn (the `webgpu` npm package)
# finds a WebGPU adapter on machines without a GPU. Idempotent.
#
#   eval "$(scripts/setup-webgpu.sh)"     # exports VK_ICD_FILENAMES and LD_LIBRARY_PATH
#
# Order of preference:
#   1. an installed Chromium's SwiftShader (/usr/lib/chromium/vk_swiftshader_icd.json);
#   2. a previous extraction in .ci-cache/swiftshader/;
#   3. the chromium-common .deb (from apt's cache, else `apt-get download`), from which
#      libvk_swiftshader.so, vk_swiftshader_icd.json and libvulkan.so.1 are extracted.
#
# Progress goes to stderr; stdout carries only the `export` lines.
set -euo pipefail

log() { echo "setup-webgpu: $*" >&2; }

emit() {
  local dir="$1"
  echo "export VK_ICD_FILENAMES=${dir}/vk_swiftshader_icd.json"
  echo "export LD_LIBRARY_PATH=${dir}\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
}

if [[ -f /usr/lib/chromium/vk_swiftshader_icd.json && -f /usr/lib/chromium/libvk_swiftshader.so ]]; then
  log "using the installed Chromium's SwiftShader in /usr/lib/chromium"
  emit /usr/lib/chromium
  exit 0
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${root}/.ci-cache/swiftshader"
out="${cache}/lib"

if [[ -f "${out}/vk_swiftshader_icd.json" && -f "${out}/libvk_swiftshader.so" && -f "${out}/libvulkan.so.1" ]]; then
  log "using the cached SwiftShader in ${out}"
  emit "${out}"
  exit 0
fi

mkdir -p "${cache}" "${out}"

deb="$(ls -1 "${cache}"/chromium-common_*.deb 2>/dev/null | head -n 1 || true)"
if [[ -z "${deb}" ]]; then
  apt_cached="$(ls -1 /var/cache/apt/archives/chromium-common_*.deb 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "${apt_cached}" ]]; then
    log "copying ${apt_cached} from apt's cache"
    cp "${apt_cached}" "${cache}/"
  else
    if ! apt-cache show chromium-common >/dev/null 2>&1; then
      log "apt-get update (chromium-common is not in the package lists)"
      apt-get update -qq >&2
    fi
    log "apt-get download chromium-common (~32 MB)"
    (cd "${cache}" && apt-get download -qq chromium-common >&2) || {
      log "apt-get download failed; retrying after apt-get update"
      apt-get update -qq >&2
      (cd "${cache}" && apt-get download -qq chromium-common >&2)
    }
  fi
  deb="$(ls -1 "${cache}"/chromium-common_*.deb | head -n 1)"
fi

log "extracting SwiftShader from $(basename "${deb}")"
tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT
dpkg-deb --fsys-tarfile "${deb}" |
  tar -x -C "${tmp}" ./usr/lib/chromium/libvk_swiftshader.so ./usr/lib/chromium/vk_swiftshader_icd.json \
    ./usr/lib/chromium/libvulkan.so.1
# The json's library_path is relative to the json, so keep them side by side.
cp "${tmp}/usr/lib/chromium/libvk_swiftshader.so" "${tmp}/usr/lib/chromium/vk_swiftshader_icd.json" \
  "${tmp}/usr/lib/chromium/libvulkan.so.1" "${out}/"
log "SwiftShader ready in ${out}"
emit "${out}"

#!/usr/bin/env bash
# The real-GPU benchmark: on a machine with a GPU and a Vulkan driver (Node + Dawn's `webgpu`
# package, installed by `npm ci`), prints the adapter and JSON lines for matmul 1024², 2048²,
# 4096² f32 GF/s, the W2 MLP, W3 LeNet-5 and W4 LSTM training steps and the dispatch
# workloads (bench/gpu.ts). Finishes in under 8 minutes.
#
#   npm ci && bash bench/gpu.sh
#
# Exit status: 0 done; 2 no WebGPU adapter; 3 REFUSED: the adapter is a CPU fallback
# (SwiftShader, llvmpipe, lavapipe: figures from it measure the CPU); 124 over 8 minutes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ ! -d node_modules/webgpu || ! -d node_modules/tsx ]]; then
  echo "bench/gpu.sh: run \`npm ci\` first (needs the webgpu and tsx packages)" >&2
  exit 2
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2 || true
exec timeout 470 node --import tsx bench/gpu.ts "$@"

#!/usr/bin/env bash
# Installs the PyTorch builds the native engine is tested against, besides Debian's libtorch-dev
# 1.13 (scripts/ensure-deps.sh): the current CPU wheel and the current CUDA build, each in its own
# venv under $LOSSLAB_TORCH_CACHE (default ~/.cache/losslab-torch). Offline: pip takes the wheels
# from this machine's local package folders. Idempotent: returns at once when both are there.
# Prints one line per build: NAME<TAB>TORCH_FOLDER<TAB>PYTHON.
set -euo pipefail
CACHE=${LOSSLAB_TORCH_CACHE:-$HOME/.cache/losslab-torch}
CPU_VERSION=2.13.0+cpu
CUDA_VERSION=2.14.1
# The CUDA build's libraries, by name: its own dependency list also names cuda-bindings (Python
# only, not available offline), so torch and these install with --no-deps.
CUDA_LIBS=(nvidia-cublas nvidia-cudnn-cu13 nvidia-cufft nvidia-cufile nvidia-curand nvidia-cusolver
  nvidia-cusparse nvidia-cusparselt-cu13 nvidia-nccl-cu13 nvidia-nvjitlink nvidia-nvshmem-cu13
  nvidia-nvtx nvidia-cuda-nvrtc nvidia-cuda-runtime nvidia-cuda-cupti)
PY=${LOSSLAB_VENV_PYTHON:-python3}
# pip also asks the public index, which does not answer here: no retries, or it waits minutes.
# Its output is shown only when it fails: with --no-deps it always lists the CUDA build's Python-only
# requirements it was told to leave out.
pip_install() {
  local log
  log=$(mktemp)
  if ! "$1/bin/pip" install --disable-pip-version-check --retries 0 --timeout 5 "${@:2}" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "install-pytorch-builds: pip install ${*:2} failed (above)" >&2
    return 1
  fi
  rm -f "$log"
}

installed() { "$1/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('torch') != '$2')" 2>/dev/null; }

venv() { # DIR: a fresh venv unless one is there
  [ -x "$1/bin/python" ] || { rm -rf "$1"; "$PY" -m venv "$1"; }
}

cpu=$CACHE/torch-$CPU_VERSION
if ! installed "$cpu" "$CPU_VERSION"; then
  echo "install-pytorch-builds: installing torch $CPU_VERSION into $cpu" >&2
  venv "$cpu"
  pip_install "$cpu" "torch==$CPU_VERSION" numpy
fi
cuda=$CACHE/torch-$CUDA_VERSION-cuda
if ! installed "$cuda" "$CUDA_VERSION" || [ ! -f "$cuda/.libs-done" ]; then
  echo "install-pytorch-builds: installing torch $CUDA_VERSION (CUDA 13, about 4.4 GB) into $cuda" >&2
  venv "$cuda"
  pip_install "$cuda" --no-deps "torch==$CUDA_VERSION" "${CUDA_LIBS[@]}"
  # numpy and the pure-Python dependencies the parity mirror imports torch with.
  pip_install "$cuda" numpy filelock typing-extensions sympy networkx jinja2 fsspec
  touch "$cuda/.libs-done"
fi
site() { "$1/bin/python" -c 'import importlib.util as u, os; print(os.path.dirname(u.find_spec("torch").origin))'; }
printf 'torch-%s\t%s\t%s\n' "$CPU_VERSION" "$(site "$cpu")" "$cpu/bin/python"
printf 'torch-%s-cuda\t%s\t%s\n' "$CUDA_VERSION" "$(site "$cuda")" "$cuda/bin/python"

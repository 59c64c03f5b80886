#!/usr/bin/env bash
# Installs the Debian packages EnergyModels builds against, but only those whose
# headers are missing, so a machine that already has them is left untouched.
#   libgsl-dev       GSL: random numbers (gsl_rng) and simulated annealing (gsl_siman)
#   libopenblas-dev  OpenBLAS: the CBLAS used for all dense linear algebra
#   libpng-dev       libpng (and zlib): PNG image grids, gzip'd IDX files, .npz archives
#   NumPy            for the tests that check NumPy reads our .npy/.npz files and we read its own:
#                    Debian's python3-numpy for the system python3, else pip for the python3 on PATH
# Optional tools, only when named as arguments (for targets that need them, not for build or test):
#   chromium         Debian's Chromium, headless, for `make docs-check`
set -euo pipefail

# Whether any of the given paths (globs) exists.
exists() { for p in "$@"; do [ -e "$p" ] && return 0; done; return 1; }

need=()
exists /usr/include/gsl/gsl_siman.h || need+=(libgsl-dev)
# The linker needs the unversioned libopenblas.so, which only the -dev package provides.
exists /usr/lib/*-linux-gnu/libopenblas.so /usr/lib/libopenblas.so || need+=(libopenblas-dev)
exists /usr/include/png.h || need+=(libpng-dev)
exists /usr/include/zlib.h || need+=(zlib1g-dev)

numpy_missing() { ! python3 -c "import numpy" >/dev/null 2>&1; }
if numpy_missing && [ "$(command -v python3 || true)" = /usr/bin/python3 ]; then need+=(python3-numpy); fi

for tool in "$@"; do
  case "$tool" in
    chromium) command -v chromium >/dev/null 2>&1 || need+=(chromium) ;;
    *) echo "install-deps: unknown optional tool '$tool' (known: chromium)" >&2; exit 2 ;;
  esac
done

if [ ${#need[@]} -eq 0 ]; then
  if numpy_missing && command -v python3 >/dev/null 2>&1; then
    echo "install-deps: installing numpy with pip for $(command -v python3)" >&2
    python3 -m pip install -q numpy
  fi
  exit 0
fi

echo "install-deps: installing ${need[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${need[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
if numpy_missing && command -v python3 >/dev/null 2>&1 && [ "$(command -v python3)" != /usr/bin/python3 ]; then
  echo "install-deps: installing numpy with pip for $(command -v python3)" >&2
  python3 -m pip install -q numpy
fi

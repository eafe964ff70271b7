# Sourced by ./bm and .ci/run: makes sure Node >= 22 and the pinned pnpm are on PATH,
# fetching both from the npm registry when the machine has only an older Node.
# Keeps the caller's environment (CA settings etc.) untouched apart from PATH.

bm_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bm_cache="${BROKER_MONITOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/broker-monitor}"

bm_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

bm_ensure_node() {
  if [ "$(bm_node_major)" -ge 22 ]; then return 0; fi
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "bm: no Node >= 22 and no npm build of Node for $(uname -m)" >&2; return 1 ;;
  esac
  local dir="$bm_cache/node24-$arch"
  local bin="$dir/node_modules/node-linux-$arch/bin"
  if [ ! -x "$bin/node" ]; then
    echo "bm: Node $(node --version 2>/dev/null || echo missing) is older than 22; fetching Node 24 from the npm registry into $dir" >&2
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-$arch@24" >&2
  fi
  export PATH="$bin:$PATH"
}

bm_ensure_pnpm() {
  local version
  version="$(node -p 'require(process.argv[1]).packageManager.split("@")[1]' "$bm_root/package.json")"
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$version" ]; then return 0; fi
  # A shim so that turbo and scripts that call `pnpm` get the pinned version too.
  local shim="$bm_cache/pnpm-$version/bin"
  if [ ! -x "$shim/pnpm" ]; then
    mkdir -p "$shim"
    printf '#!/bin/sh\nexec npx -y pnpm@%s "$@"\n' "$version" >"$shim/pnpm"
    chmod +x "$shim/pnpm"
  fi
  export PATH="$shim:$PATH"
}

bm_ensure_deps() {
  # Installs when node_modules is missing or older than the lockfile.
  if [ -n "${CI:-}" ] || [ ! -d "$bm_root/node_modules" ] || [ "$bm_root/pnpm-lock.yaml" -nt "$bm_root/node_modules/.modules.yaml" ]; then
    (cd "$bm_root" && pnpm install --frozen-lockfile)
  fi
}

bm_bootstrap() {
  bm_ensure_node && bm_ensure_pnpm && bm_ensure_deps
  export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
}

#!/usr/bin/env bash
# Installs what the tests use besides .NET on a fresh Debian 12 machine (run as root), idempotently:
# quiet, and a no-op in well under a second once everything is in place.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- Debian packages -------------------------------------------------------------------------
# chromium: the card renderer tests drive it headless (tests/render).
# fonts-dejavu-core: a sans-serif font, or card text renders as empty boxes in the screenshots.
# zip: manifest/package.sh writes the Teams app package with it.
# nodejs/npm: only installed when no node is on PATH (the machine image usually has a newer one).
# clang, zlib1g-dev: the Native AOT build's compiler driver and linker inputs (scripts/aot-check.sh).
APT_PACKAGES=(chromium fonts-dejavu-core zip clang zlib1g-dev)
command -v node >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)
# postgresql: the scale-out tests run a throwaway server (scripts/postgres-test-server.sh); only when no
#   server binaries are present (any major version under /usr/lib/postgresql will do).
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || APT_PACKAGES+=(postgresql)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-qq -o DPkg::Lock::Timeout=600)
  # Refresh the package lists only when they are absent, or when the install cannot find a package.
  if ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; then apt-get "${apt_opts[@]}" update >/dev/null; fi
  echo "setup-test-deps: installing ${missing[*]}"
  if ! apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null; then
    apt-get "${apt_opts[@]}" update >/dev/null
    apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# --- PostgreSQL ------------------------------------------------------------------------------
# The Debian package starts a cluster of its own on 5432; the tests do not use it (scripts/test.sh starts a
# throwaway server on 127.0.0.1:25432 through scripts/postgres-test-server.sh), so nothing more to do here.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || { echo "setup-test-deps: PostgreSQL server binaries missing after install" >&2; exit 1; }

# --- npm tool folders ------------------------------------------------------------------------
# `npm ci` from each committed lockfile; skipped when node_modules already matches that lockfile.
npm_ci() {
  local dir=$1 stamp="$1/node_modules/.lockfile.sha256" want
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  [[ -f $stamp && $(cat "$stamp") == "$want" ]] && return 0
  echo "setup-test-deps: npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$want" >"$stamp"
}
npm_ci tests/render
npm_ci manifest/tools
npm_ci scripts/playground   # the Agents Playground: scripts/run-local.sh and the e2e test
npm_ci tests/e2e

#!/usr/bin/env bash
# Brings a fresh Debian machine to the point where `make test` and `make demo` run:
# Debian packages, node_modules, and a MongoDB-wire server (MONGODB_URI, a mongod, or FerretDB).
# Idempotent and quiet when everything is present; prints one line per thing it installs.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Built binaries live in a per-user cache outside the checkout, so every clone on this machine
# (CI makes a fresh one per run) reuses one FerretDB build instead of spending minutes on it.
RUN_BIN="${KONVEYER_BIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/konveyer/bin}"
FERRETDB_VERSION="v1.24.2"
FERRETDB_MODULE="github.com/FerretDB/FerretDB"
# Our patches to FerretDB's SQLite backend (scripts/ferretdb/*.patch, each explains itself); the
# build records their digest next to the binary, and a build with other patches is redone.
FERRETDB_PATCHES_DIR="$REPO/scripts/ferretdb"
FERRETDB_PATCH_ID="$(cat "$FERRETDB_PATCHES_DIR"/*.patch 2>/dev/null | sha256sum | cut -c1-16)"
MIN_NODE="20.19.0"
MIN_GO="1.24"

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

# version_ge A B: true when dotted version A >= B.
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@" || die "'$*' needs root; run 'sudo true' first or run as root"
  else die "'$*' needs root and sudo is missing"; fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "missing: $* — this set-up installs them with apt-get (Debian/Ubuntu); install them by hand elsewhere"
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
    APT_UPDATED=1
  fi
  say "installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || die "apt-get install $* failed"
}

deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# ---- 1. Node (not installed here: Debian's is too old; say so clearly) ----
command -v node >/dev/null 2>&1 || die "Node.js >= $MIN_NODE is required (https://nodejs.org or NodeSource); node is not on PATH"
NODE_VERSION="$(node -p 'process.versions.node')"
version_ge "$NODE_VERSION" "$MIN_NODE" || die "Node.js >= $MIN_NODE is required, found $NODE_VERSION"

# ---- 2. Debian packages ----
missing=()
# Binaries may come from elsewhere (a browser or redis built by hand), so a command on PATH is enough.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# Sentinel fail-over test (test/reliability/redis-sentinel.reliability.test.ts) and local Sentinel set-ups.
command -v redis-sentinel >/dev/null 2>&1 || missing+=(redis-sentinel)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
# promtool (checks deploy/prometheus alert rules in make test) ships in Debian's prometheus package.
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
for pkg in tesseract-ocr-rus tesseract-ocr-eng fonts-dejavu-core fonts-liberation; do
  deb_installed "$pkg" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi

# ---- 2b. kubernetes-validate (PyPI, schemas bundled) for the manifest checks of `make test` ----
# In a venv of its own under the cache (Debian's Python refuses system-wide pip installs);
# test/deploy/manifests.deploy.test.ts finds it there or on PATH.
KV_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/konveyer/kubernetes-validate"
if ! command -v kubernetes-validate >/dev/null 2>&1 && [ ! -x "$KV_DIR/bin/kubernetes-validate" ]; then
  command -v python3 >/dev/null 2>&1 || apt_install python3
  python3 -m venv "$KV_DIR" >/dev/null 2>&1 || { apt_install python3-venv; python3 -m venv "$KV_DIR"; } || die "python3 -m venv failed"
  say "pip install kubernetes-validate (into $KV_DIR)"
  "$KV_DIR/bin/pip" install -q kubernetes-validate==1.37.0 || die "pip install kubernetes-validate failed"
fi

# ---- 3. node_modules (npm ci when missing or older than package-lock.json) ----
STAMP="$REPO/node_modules/.konveyer-npm-ci.stamp"
if [ -d "$REPO/node_modules" ] && [ ! -e "$STAMP" ] && [ -e "$REPO/node_modules/.package-lock.json" ] \
   && [ ! "$REPO/package-lock.json" -nt "$REPO/node_modules/.package-lock.json" ]; then
  # Installed by hand with npm after the last lockfile change: npm's own hidden lockfile proves it.
  touch "$STAMP"
fi
if [ ! -d "$REPO/node_modules" ] || [ ! -e "$STAMP" ] || [ "$REPO/package-lock.json" -nt "$STAMP" ]; then
  say "npm ci"
  (cd "$REPO" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
  touch "$STAMP"
fi

# ---- 4. A MongoDB-wire server ----
# A ferretdb binary counts only if it runs: `go install …@v1.24.2` builds one that panics at start
# (its build/version/version.txt is generated by FerretDB's own tooling and absent from the module).
ferretdb_works() { [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }
# Our own build, with the current patches applied.
ferretdb_current() { ferretdb_works "$RUN_BIN/ferretdb" && [ "$(cat "$RUN_BIN/ferretdb.patches" 2>/dev/null)" = "$FERRETDB_PATCH_ID" ]; }

find_ferretdb() {
  local dirs=("$RUN_BIN")
  local p; p="$(command -v ferretdb 2>/dev/null || true)"; [ -n "$p" ] && dirs+=("$(dirname "$p")")
  if command -v go >/dev/null 2>&1; then dirs+=("$(go env GOPATH 2>/dev/null)/bin"); fi
  dirs+=("$HOME/go/bin")
  local d
  for d in "${dirs[@]}"; do
    if ferretdb_works "$d/ferretdb"; then printf '%s\n' "$d/ferretdb"; return 0; fi
  done
  return 1
}

no_mongo_help() {
  cat >&2 <<EOF
setup: ERROR: no MongoDB-compatible server is available. Do one of:
  1. set MONGODB_URI to a running MongoDB (e.g. mongodb://127.0.0.1:27017/konveyer);
  2. put a mongod binary on PATH (MongoDB 6 or 7);
  3. install Go >= $MIN_GO (https://go.dev/dl) so that FerretDB $FERRETDB_VERSION can be built into $RUN_BIN.
EOF
  [ -n "${1:-}" ] && printf 'setup: reason: %s\n' "$1" >&2
  exit 1
}

find_go() {
  if command -v go >/dev/null 2>&1; then command -v go; return 0; fi
  # The official tarball's usual home, often not on a non-login PATH (CI).
  if [ -x /usr/local/go/bin/go ]; then echo /usr/local/go/bin/go; return 0; fi
  return 1
}

go_ok() { local v; v="$("$1" env GOVERSION 2>/dev/null | sed 's/^go//')"; [ -n "$v" ] && version_ge "$v" "$MIN_GO"; }

build_ferretdb() {
  local go="$1" src tmp
  say "building FerretDB $FERRETDB_VERSION into $RUN_BIN (a few minutes, once per machine)"
  "$go" mod download "$FERRETDB_MODULE@$FERRETDB_VERSION" >/dev/null || die "go mod download $FERRETDB_MODULE@$FERRETDB_VERSION failed"
  src="$RUN_BIN/../src/ferretdb-$FERRETDB_VERSION"
  rm -rf "$src"; mkdir -p "$(dirname "$src")" "$RUN_BIN"
  cp -r "$("$go" mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" "$src"
  chmod -R u+w "$src"
  # The file FerretDB's `bin/task gen-version` would write; without it the binary panics at start.
  printf '%s\n' "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  local patch
  for patch in "$FERRETDB_PATCHES_DIR"/*.patch; do
    [ -e "$patch" ] || continue
    # patch(1) when present; git apply otherwise (the cache is not inside a git work tree).
    if command -v patch >/dev/null 2>&1; then (cd "$src" && patch -s -p1 <"$patch"); else (cd "$src" && git apply -p1 "$patch"); fi || die "applying $(basename "$patch") to FerretDB $FERRETDB_VERSION failed"
  done
  tmp="$RUN_BIN/ferretdb.tmp.$$"
  # GOTOOLCHAIN=local: never download another toolchain behind the user's back.
  if ! (cd "$src" && GOTOOLCHAIN=local GOFLAGS=-buildvcs=false "$go" build -trimpath -o "$tmp" ./cmd/ferretdb); then
    # Newer Go refuses FerretDB's go:linkname uses at link time.
    say "retrying the FerretDB build with -ldflags=-checklinkname=0"
    (cd "$src" && GOTOOLCHAIN=local GOFLAGS=-buildvcs=false "$go" build -trimpath -ldflags=-checklinkname=0 -o "$tmp" ./cmd/ferretdb) \
      || { rm -f "$tmp"; die "building FerretDB failed (see the Go output above)"; }
  fi
  mv -f "$tmp" "$RUN_BIN/ferretdb"
  printf '%s\n' "$FERRETDB_PATCH_ID" >"$RUN_BIN/ferretdb.patches"
  rm -rf "$src"
  ferretdb_works "$RUN_BIN/ferretdb" || die "the FerretDB just built does not run: $RUN_BIN/ferretdb --version"
  say "FerretDB ready: $RUN_BIN/ferretdb"
}

if [ -n "${MONGODB_URI:-}" ]; then
  :
elif command -v mongod >/dev/null 2>&1; then
  :
elif ferretdb_current; then
  :
else
  GO="$(find_go || true)"
  if { [ -z "$GO" ] || ! go_ok "$GO"; } && found="$(find_ferretdb)"; then
    # A FerretDB we did not build (or built with older patches) runs, only slower: its SQLite
    # backend scans whole tables for reads and updates by _id (scripts/ferretdb/sqlite-id-index.patch).
    say "using $found without konveyer's FerretDB patches (install Go >= $MIN_GO to rebuild it)"
    exit 0
  fi
  if [ -z "$GO" ] || ! go_ok "$GO"; then
    # Debian's golang-go is acceptable only when new enough (bookworm ships 1.19).
    cand="$(apt-cache policy golang-go 2>/dev/null | sed -n 's/^[[:space:]]*Candidate: \(.*\)$/\1/p' | sed 's/^[0-9]*://; s/[~+-].*$//')"
    if [ -n "$cand" ] && [ "$cand" != "(none)" ] && version_ge "$cand" "$MIN_GO"; then
      apt_install golang-go
      GO="$(find_go || true)"
    fi
  fi
  if [ -z "$GO" ]; then no_mongo_help "Go is not installed and Debian's golang-go is older than $MIN_GO"; fi
  go_ok "$GO" || no_mongo_help "Go at $GO is $("$GO" env GOVERSION), older than $MIN_GO"
  build_ferretdb "$GO"
fi

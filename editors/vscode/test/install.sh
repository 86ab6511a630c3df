#!/usr/bin/env bash
# Installs what the VS Code end-to-end test needs, idempotently, from Debian's packages and the
# npm registry only (no GitHub, no Microsoft servers). Debian 12, Node 20 + npm on PATH, root
# (or sudo).
#
#   editors/vscode/test/install.sh        # prints the code-server binary's path last
#
# - Debian: chromium (driven headless by playwright-core, which downloads no browser),
#   fonts-dejavu-core, ripgrep, and what node-gyp needs to build code-server's native modules.
# - code-server 4.100.3 (VS Code 1.100.3), pinned by code-server/package-lock.json, installed
#   with `npm ci` into $POLICY_LSP_CI_CACHE/vscode-e2e/code-server (default
#   ~/.cache/policy-lsp-ci); reinstalled only when the lock file changes. 1-3 minutes.
# - playwright-core, pinned by package-lock.json here, with `npm ci` in this folder (seconds).
#
# Workarounds, in the order the code-server install hits them:
#  1. code-server >= 4.103 needs Node 22: 4.100.3 is the last release for Node 20.
#  2. Its postinstall refuses to run as root: npm_config_unsafe_perm=true (npm >= 7 dropped the
#     flag; the environment variable still reaches the script).
#  3. Native modules (kerberos, node-pty, spdlog, argon2) are built by node-gyp: build-essential,
#     pkg-config, libkrb5-dev, libx11-dev, libxkbfile-dev, libsecret-1-dev; the headers come from
#     /usr/include/node through npm_config_nodedir=/usr, so node-gyp downloads none. argon2's
#     prebuilt download fails (no GitHub) and it builds from source.
#  4. node-pty's postinstall runs `npx node-gyp`, which asks for confirmation: npm_config_yes=true.
#  5. @vscode/ripgrep's postinstall downloads rg from GitHub: its download cache is seeded with
#     Debian's /usr/bin/rg, so it logs "Using cached download".
#  6. `code-server --version` writes ~/.config/code-server/config.yaml unless CODE_SERVER_CONFIG
#     points elsewhere.
# (Learnt from the lsp-clients kit that first ran code-server on these machines.)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${POLICY_LSP_CI_CACHE:-$HOME/.cache/policy-lsp-ci}/vscode-e2e"
DEST="$CACHE/code-server"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
need=(chromium fonts-dejavu-core ripgrep build-essential pkg-config python3
  libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "--- apt-get install ${missing[*]}" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

command -v node >/dev/null && command -v npm >/dev/null \
  || { echo "error: the VS Code test needs Node 20 and npm on PATH" >&2; exit 1; }
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  echo "warning: Node $node_major; code-server 4.100.3 is pinned for Node 20" >&2
fi

# playwright-core, beside the test.
if ! cmp -s "$HERE/package-lock.json" "$HERE/node_modules/.package-lock.json.installed" 2>/dev/null; then
  echo "--- npm ci (playwright-core)" >&2
  (cd "$HERE" && npm ci --no-audit --no-fund >&2)
  cp "$HERE/package-lock.json" "$HERE/node_modules/.package-lock.json.installed"
fi

# code-server, in the cache, keyed by its lock file.
if ! { [ -x "$DEST/node_modules/.bin/code-server" ] && cmp -s "$HERE/code-server/package-lock.json" "$DEST/installed.lock"; }; then
  echo "--- npm ci code-server into $DEST (1-3 min)" >&2
  # (5) seed @vscode/ripgrep's download cache, one per version code-server may pull in
  TMPD="${TMPDIR:-/tmp}"
  seed="$(mktemp -d)"; cp "$(command -v rg)" "$seed/rg"
  for v in 1.15.9 1.15.10 1.15.11 1.15.13 1.15.14; do
    mkdir -p "$TMPD/vscode-ripgrep-cache-$v"
    tar czf "$TMPD/vscode-ripgrep-cache-$v/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$seed" rg
  done
  rm -rf "$seed" "$DEST"
  mkdir -p "$DEST"
  cp "$HERE/code-server/package.json" "$HERE/code-server/package-lock.json" "$DEST/"
  (
    cd "$DEST"
    export npm_config_unsafe_perm=true npm_config_nodedir=/usr npm_config_yes=true  # (2) (3) (4)
    npm ci --no-audit --no-fund --foreground-scripts >"$DEST/npm-ci.log" 2>&1 \
      || { tail -n 40 "$DEST/npm-ci.log" >&2; echo "error: npm ci code-server failed (log: $DEST/npm-ci.log)" >&2; exit 1; }
  )
  tmp="$(mktemp -d)"
  CODE_SERVER_CONFIG="$tmp/config.yaml" XDG_DATA_HOME="$tmp" "$DEST/node_modules/.bin/code-server" --version >&2  # (6)
  rm -rf "$tmp"
  cp "$HERE/code-server/package-lock.json" "$DEST/installed.lock"
fi
echo "$DEST/node_modules/.bin/code-server"

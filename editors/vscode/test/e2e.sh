#!/usr/bin/env bash
# End-to-end test of the VS Code extension in real VS Code (code-server 4.100.3 on 127.0.0.1,
# headless Debian Chromium driven by playwright-core). From a clean clone:
#
#   editors/vscode/test/e2e.sh [--runs N] [--keep]
#
# 1. installs what it needs (install.sh: apt packages, code-server, playwright-core);
# 2. builds the server (`cargo build`, debug, as `cargo test` leaves it) unless POLICY_LSP_BIN
#    names a binary;
# 3. checks that package.json has a severity setting for every rule the server has;
# 4. builds the extension from a clean state (`npm ci`) and packages it with that server
#    bundled (`npm run package -- --target linux-x64 --server BIN`), and without;
# 5. runs e2e.mjs N times (default 1): install the .vsix with --install-extension, open a
#    draft, check the Problems panel, settings, hover, Outline, a light-bulb quick fix, the
#    commands and the status bar through the UI; then, with the universal .vsix (no server
#    inside) and policyLsp.server.path naming a missing file, the error notification.
#
# Screenshots go to $E2E_ARTIFACTS (default editors/vscode/test/out): problems.png,
# problems-outline.png and not-found.png on every run, failure.png when a run fails.
# Environment: POLICY_LSP_BIN, CHROMIUM_BIN (default /usr/bin/chromium), CODE_SERVER_BIN (skip
# the code-server install), POLICY_LSP_CI_CACHE (install cache, default ~/.cache/policy-lsp-ci).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
EXT="$(cd "$HERE/.." && pwd)"
REPO="$(cd "$EXT/../.." && pwd)"
runs=1; keep=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --keep) keep=(--keep); shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "usage: e2e.sh [--runs N] [--keep]" >&2; exit 2 ;;
  esac
done

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=linux-x64 ;;
  Linux-aarch64) target=linux-arm64 ;;
  *) echo "error: the VS Code e2e test runs on Linux x86_64 or aarch64" >&2; exit 1 ;;
esac

echo "--- install"
if [ -n "${CODE_SERVER_BIN:-}" ]; then
  code_server="$CODE_SERVER_BIN"
  (cd "$HERE" && npm ci --no-audit --no-fund)
else
  code_server="$(bash "$HERE/install.sh" | tail -n 1)"
fi
chromium="${CHROMIUM_BIN:-/usr/bin/chromium}"
[ -x "$chromium" ] || { echo "error: no Chromium at $chromium" >&2; exit 1; }

if [ -z "${POLICY_LSP_BIN:-}" ]; then
  echo "--- cargo build (the server)"
  (cd "$REPO" && cargo build --quiet --bin policy-lsp)
  POLICY_LSP_BIN="${CARGO_TARGET_DIR:-$REPO/target}/debug/policy-lsp"
fi
[ -x "$POLICY_LSP_BIN" ] || { echo "error: POLICY_LSP_BIN=$POLICY_LSP_BIN is not executable" >&2; exit 1; }

echo "--- rule settings against \`policy-lsp rule\`"
node "$EXT/scripts/check-rules.mjs" "$POLICY_LSP_BIN"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "--- npm ci && npm run package -- --target $target --server $POLICY_LSP_BIN"
(
  cd "$EXT"
  npm ci --no-audit --no-fund
  npm run package -- --target "$target" --server "$POLICY_LSP_BIN" --out "$work/policy-lsp.vsix"
  node scripts/package.mjs --out "$work/policy-lsp-universal.vsix"
) > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; echo "error: building the .vsix failed" >&2; exit 1; }
grep -E '^package: ' "$work/build.log" || true

artifacts="${E2E_ARTIFACTS:-$HERE/out}"
ok=0; failed=0
for i in $(seq 1 "$runs"); do
  echo "--- VS Code e2e run $i/$runs"
  if timeout 300 node "$HERE/e2e.mjs" --vsix "$work/policy-lsp.vsix" --code-server "$code_server" \
      --chromium "$chromium" --artifacts "$artifacts" "${keep[@]}"; then
    ok=$((ok + 1))
  else
    failed=$((failed + 1))
  fi
  echo "--- VS Code e2e run $i/$runs: no server (the universal .vsix, policyLsp.server.path missing)"
  if timeout 300 node "$HERE/e2e.mjs" --scenario not-found --vsix "$work/policy-lsp-universal.vsix" \
      --server-path "$work/no-such-dir/policy-lsp" --code-server "$code_server" \
      --chromium "$chromium" --artifacts "$artifacts" "${keep[@]}"; then
    ok=$((ok + 1))
  else
    failed=$((failed + 1))
  fi
done
echo "vscode-e2e: $ok passed, $failed failed"
[ "$failed" = 0 ]

#!/usr/bin/env bash
# Times the release binary's `policy-lsp check` on the bundled example and on the 1 MiB and
# 10 MiB drafts that `benches/analysis.rs` measures, and prints wall time (median), MB/s
# (10^6 bytes per second) and peak RSS for each.
#
#   scripts/bench-cli.sh                 # 10 timed runs per draft
#   RUNS=30 FORMAT=human scripts/bench-cli.sh
#
# Uses hyperfine when installed (Debian: `apt-get install -y hyperfine`), otherwise a loop
# timed with `date`. Peak RSS comes from one run under `/usr/bin/time` (GNU time), when
# present. Each run is `check --fail-on never --format $FORMAT DRAFT` with output
# discarded, so the figure is analysis plus rendering, single file, one process.
set -euo pipefail

cd "$(dirname "$0")/.."
runs=${RUNS:-10}
format=${FORMAT:-json}
bin=target/release/policy-lsp

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building the release binary and generating drafts…" >&2
cargo build --release --quiet
POLICY_LSP_BENCH_DUMP="$work" cargo bench --quiet --bench analysis >/dev/null

drafts=(
    examples/harbour-renewal-strategy.md
    "$work/draft-1MiB-markdown.md"
    "$work/draft-1MiB-plaintext.txt"
    "$work/draft-10MiB-markdown.md"
    "$work/draft-10MiB-markdown-crlf.md"
    "$work/draft-10MiB-plaintext.txt"
)

# Median wall time of `check` on one draft, in seconds.
median_seconds() {
    local draft=$1
    if command -v hyperfine >/dev/null; then
        hyperfine --shell=none --warmup 1 --runs "$runs" --export-csv "$work/run.csv" \
            "$bin check --fail-on never --format $format $draft" >/dev/null
        # command,mean,stddev,median,user,system,min,max
        awk -F, 'NR == 2 { print $4 }' "$work/run.csv"
    else
        "$bin" check --fail-on never --format "$format" "$draft" >/dev/null 2>&1
        local i start end
        for ((i = 0; i < runs; i++)); do
            start=$(date +%s%N)
            "$bin" check --fail-on never --format "$format" "$draft" >/dev/null 2>&1
            end=$(date +%s%N)
            echo $(((end - start) / 1000))
        done | sort -n | awk '{ t[NR] = $1 } END {
            m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
            printf "%.6f\n", m / 1e6 }'
    fi
}

# Peak resident set size of one run, in KiB (empty without GNU time).
peak_rss_kib() {
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f %M -o "$work/rss" \
            "$bin" check --fail-on never --format "$format" "$1" >/dev/null 2>&1
        cat "$work/rss"
    fi
}

timer=$(command -v hyperfine >/dev/null && echo "hyperfine $(hyperfine --version | cut -d' ' -f2)" || echo "date loop")
echo "# policy-lsp $("$bin" --version | cut -d' ' -f2), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo '+dirty'), $(date -u +%Y-%m-%d)"
echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; $timer, $runs runs, --format $format"
printf '%-34s %10s %12s %10s %12s\n' draft bytes "median ms" "MB/s" "peak RSS"
for draft in "${drafts[@]}"; do
    bytes=$(stat -c %s "$draft")
    seconds=$(median_seconds "$draft")
    rss=$(peak_rss_kib "$draft")
    awk -v name="$(basename "$draft")" -v b="$bytes" -v s="$seconds" -v r="$rss" 'BEGIN {
        printf "%-34s %10d %12.1f %10.1f %12s\n", name, b, s * 1000, b / 1e6 / s,
            (r == "" ? "n/a" : sprintf("%.1f MiB", r / 1024)) }'
done

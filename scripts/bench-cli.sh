#!/usr/bin/env bash
# Times the release binary's `policy-lsp check` end to end (process start, reading, analysis,
# JSON rendering) and prints, per draft, the median wall time, MB/s (10^6 bytes per second
# of wall time), CPU time and peak RSS against the budget of 50 MiB + 5 × the input; then
# the start-up time, the linearity from 10 kB to 10 MiB, and a directory run with one
# thread against all cores, checking that both print the same bytes.
#
#   scripts/bench-cli.sh                       # 10 timed runs per draft
#   RUNS=30 FORMAT=human scripts/bench-cli.sh
#   DRAFTS=/tmp/dump scripts/bench-cli.sh      # reuse drafts dumped earlier, skip the build
#
# The drafts are the ones `benches/analysis.rs` measures (`POLICY_LSP_BENCH_DUMP=DIR cargo
# bench --bench analysis` writes them), plus, when `../shared/corpus/real` exists beside the
# repository, real policy documents concatenated to 1 MiB and 10 MiB.
#
# Uses hyperfine when installed (Debian: `apt-get install -y hyperfine`), otherwise a loop
# timed with `date`; peak RSS comes from GNU time (`/usr/bin/time`) when present.
set -euo pipefail

cd "$(dirname "$0")/.."
runs=${RUNS:-10}
format=${FORMAT:-json}
bin=${BIN:-target/release/policy-lsp}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

drafts_dir=${DRAFTS:-}
if [[ -z $drafts_dir ]]; then
    echo "building the release binary and generating drafts…" >&2
    cargo build --release --quiet
    drafts_dir="$work/generated"
    mkdir -p "$drafts_dir"
    POLICY_LSP_BENCH_DUMP="$drafts_dir" cargo bench --quiet --bench analysis >/dev/null
fi

# Real documents, concatenated (separated by blank lines) up to a size.
real=../shared/corpus/real
concat_real() {
    local size=$1 out=$2
    python3 - "$real" "$size" "$out" <<'EOF'
import pathlib, sys
src, size, out = pathlib.Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
texts = [p.read_text(encoding="utf-8") for p in sorted(src.glob("*.md")) if p.name != "SOURCES.md"]
parts, n = [], 0
while n < size:
    t = texts[len(parts) % len(texts)]
    parts.append(t)
    n += len(t.encode()) + 2
pathlib.Path(out).write_text("\n\n".join(parts), encoding="utf-8")
EOF
}

drafts=(
    examples/harbour-renewal-strategy.md
    "$drafts_dir/draft-10kB-markdown.md"
    "$drafts_dir/draft-1MiB-markdown.md"
    "$drafts_dir/draft-1MiB-plaintext.txt"
    "$drafts_dir/draft-10MiB-markdown.md"
    "$drafts_dir/draft-10MiB-markdown-crlf.md"
    "$drafts_dir/draft-10MiB-plaintext.txt"
)
if [[ -d $real ]]; then
    concat_real $((1 << 20)) "$work/real-1MiB.md"
    concat_real $((10 << 20)) "$work/real-10MiB.md"
    drafts+=("$work/real-1MiB.md" "$work/real-10MiB.md")
fi

# Median wall, mean user and mean system time of a command, in seconds: "wall user sys".
timing() {
    if command -v hyperfine >/dev/null; then
        hyperfine --shell=none --warmup 1 --runs "$runs" --export-json "$work/run.json" \
            "$*" >/dev/null 2>&1
        python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(r["median"], r["user"], r["system"])' "$work/run.json"
    else
        "$@" >/dev/null 2>&1 || true
        local i start end
        for ((i = 0; i < runs; i++)); do
            start=$(date +%s%N)
            "$@" >/dev/null 2>&1 || true
            end=$(date +%s%N)
            echo $(((end - start) / 1000))
        done | sort -n | awk '{ t[NR] = $1 } END {
            m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
            printf "%.6f nan nan\n", m / 1e6 }'
    fi
}

# Peak resident set size of one run, in KiB (empty without GNU time).
peak_rss_kib() {
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 || true
        cat "$work/rss"
    fi
}

check=("$bin" check --fail-on never --format "$format")
timer=$(command -v hyperfine >/dev/null && echo "hyperfine $(hyperfine --version | cut -d' ' -f2)" || echo "date loop")
echo "# policy-lsp $("$bin" --version | cut -d' ' -f2), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo '+dirty'), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $timer, $runs runs, --format $format"
echo
printf '%-30s %10s %10s %8s %10s %10s %14s\n' draft bytes "median ms" "MB/s" "CPU ms" "peak RSS" "RSS budget"
declare -A mbps
for draft in "${drafts[@]}"; do
    bytes=$(stat -c %s "$draft")
    read -r wall user sys < <(timing "${check[@]}" "$draft")
    rss=$(peak_rss_kib "${check[@]}" "$draft")
    name=$(basename "$draft")
    mbps[$name]=$(awk -v b="$bytes" -v s="$wall" 'BEGIN { printf "%.1f", b / 1e6 / s }')
    awk -v name="$name" -v b="$bytes" -v s="$wall" -v u="$user" -v y="$sys" -v r="$rss" 'BEGIN {
        budget = 50 * 1024 + 5 * b / 1024
        printf "%-30s %10d %10.1f %8.1f %10s %10s %14s\n", name, b, s * 1000, b / 1e6 / s,
            (u == "nan" ? "n/a" : sprintf("%.1f", (u + y) * 1000)),
            (r == "" ? "n/a" : sprintf("%.1f MiB", r / 1024)),
            (r == "" ? "" : sprintf("%.0f MiB %s", budget / 1024, r <= budget ? "ok" : "OVER")) }'
done

echo
: >"$work/empty.md"
read -r empty _ < <(timing "${check[@]}" "$work/empty.md")
read -r page _ < <(timing "${check[@]}" examples/harbour-renewal-strategy.md)
awk -v e="$empty" -v p="$page" 'BEGIN {
    printf "start-up: empty draft %.1f ms, one-page example %.1f ms (target 10 ms)\n", e * 1000, p * 1000 }'
echo "linearity (Markdown, MB/s of wall time): 10 kB ${mbps[draft-10kB-markdown.md]}," \
    "1 MiB ${mbps[draft-1MiB-markdown.md]}, 10 MiB ${mbps[draft-10MiB-markdown.md]}" \
    "(10 kB is mostly start-up)"

# A directory of drafts: one thread against the default pool; the bytes must match.
dir="$work/dir"
mkdir -p "$dir"
for i in 1 2 3 4; do
    cp "$drafts_dir/draft-1MiB-markdown.md" "$dir/md-$i.md"
    cp "$drafts_dir/draft-1MiB-plaintext.txt" "$dir/plain-$i.txt"
done
[[ -d $real ]] && cp "$real"/*.md "$real"/*.txt "$dir/" 2>/dev/null || true
dir_bytes=$(cat "$dir"/* | wc -c)
RAYON_NUM_THREADS=1 "${check[@]}" "$dir" >"$work/serial.out" 2>/dev/null || true
"${check[@]}" "$dir" >"$work/parallel.out" 2>/dev/null || true
same=$(cmp -s "$work/serial.out" "$work/parallel.out" && echo "identical output" || echo "OUTPUT DIFFERS")
read -r serial _ < <(RAYON_NUM_THREADS=1 timing "${check[@]}" "$dir")
read -r parallel _ < <(timing "${check[@]}" "$dir")
awk -v n="$(ls "$dir" | wc -l)" -v b="$dir_bytes" -v s="$serial" -v p="$parallel" -v same="$same" 'BEGIN {
    printf "directory (%d drafts, %.1f MB): 1 thread %.1f ms (%.1f MB/s), all cores %.1f ms (%.1f MB/s), %.2fx; %s\n",
        n, b / 1e6, s * 1000, b / 1e6 / s, p * 1000, b / 1e6 / p, s / p, same }'

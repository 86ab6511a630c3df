#!/usr/bin/env bash
# Guarantee 4 (ARCHITECTURE.md, "Guarantees"): runs the release binary's `policy-lsp check`
# on hostile drafts generated here and prints wall time, peak RSS and the exit status of
# each. Timings are figures to report, not assertions; a crash, a stack overflow or an
# out-of-memory shows as a status other than 0 or 1 (or 2 for the declined draft).
#
#   scripts/resource-bounds.sh            # build, generate, measure
#   KEEP=1 scripts/resource-bounds.sh     # keep the generated drafts (their directory is printed)
#
# Needs GNU time (`/usr/bin/time`, Debian package `time`) for peak RSS; without it only
# the wall time is shown. The drafts:
#
#   50MiB-draft.md          the example drafts repeated to 50 MiB (realistic structure)
#   5MiB-single-line.md     5 MiB of prose, quotations and figures on one line
#   100k-headings.md        100,000 numbered Markdown headings, each with a paragraph
#   10k-block-quotes.md     one paragraph inside 10,000 nested block quotes
#   10k-list-levels.md      one item inside 10,000 nested list levels
#   1M-quote-marks.md       1,000,000 quote marks (straight and curly) in short paragraphs
#   1M-quote-marks-1para.md 1,000,000 straight quote marks in one paragraph
#   70MiB-declined.md       over the default 64 MiB limit: declined with exit status 2
set -euo pipefail

cd "$(dirname "$0")/.."
bin=target/release/policy-lsp
work=$(mktemp -d)
if [[ -z ${KEEP:-} ]]; then
    trap 'rm -rf "$work"' EXIT
else
    echo "drafts kept in $work" >&2
fi

echo "building the release binary…" >&2
cargo build --release --quiet

# `repeat TEXT BYTES`: TEXT repeated to exactly BYTES bytes, no newline added.
repeat() {
    yes -- "$1" | tr -d '\n' | head -c "$2"
}

echo "generating drafts in $work…" >&2
# `yes` and `cat` end on SIGPIPE when `head` has enough: not a failure here.
set +o pipefail
{
    size=0
    while ((size < 50 * 1024 * 1024)); do
        cat examples/harbour-renewal-strategy.md examples/island-ferry-fares.txt
        size=$((size + $(cat examples/harbour-renewal-strategy.md examples/island-ferry-fares.txt | wc -c)))
    done
} | head -c $((50 * 1024 * 1024)) >"$work/50MiB-draft.md"
repeat 'The Ministry said "growth reached 30 trillion won in 2025" — a 12% rise (MOEF); see Article 12. ' \
    $((5 * 1024 * 1024)) >"$work/5MiB-single-line.md"
awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "## %d. Heading %d\n\nThe board approved item %d.\n\n", i, i, i }' \
    >"$work/100k-headings.md"
{ repeat '> ' 20000; echo 'The board said "yes".'; } >"$work/10k-block-quotes.md"
{ repeat '- ' 20000; echo 'The board said "yes".'; } >"$work/10k-list-levels.md"
awk 'BEGIN { for (i = 0; i < 50000; i++) print "\"a\" “b” \"c\" ‘d’ \"e\" “f” \"g\" \"h\" \"i\" \"j\"\n" }' \
    >"$work/1M-quote-marks.md"
{ repeat '"' 1000000; echo; } >"$work/1M-quote-marks-1para.md"
{
    size=0
    while ((size < 70 * 1024 * 1024)); do
        cat "$work/50MiB-draft.md"
        size=$((size + 50 * 1024 * 1024))
    done
} | head -c $((70 * 1024 * 1024)) >"$work/70MiB-declined.md"
set -o pipefail

printf '%-26s %10s %10s %12s %6s\n' draft size seconds "peak RSS" status
for draft in "$work"/*.md; do
    name=$(basename "$draft")
    size=$(wc -c <"$draft")
    if [[ -x /usr/bin/time ]]; then
        status=0
        /usr/bin/time -f '%e %M' -o "$work/time.out" \
            "$bin" check --fail-on never --format json "$draft" >/dev/null 2>"$work/stderr" || status=$?
        read -r seconds rss_kib < <(tail -n 1 "$work/time.out")
        rss="$((rss_kib / 1024)) MiB"
    else
        status=0
        start=$(date +%s%N)
        "$bin" check --fail-on never --format json "$draft" >/dev/null 2>"$work/stderr" || status=$?
        end=$(date +%s%N)
        seconds=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.2f", ns / 1e9 }')
        rss="-"
    fi
    printf '%-26s %10s %10s %12s %6s\n' "$name" "$((size / 1024)) KiB" "$seconds" "$rss" "$status"
    if [[ $status -ne 0 ]]; then
        sed 's/^/    /' "$work/stderr" | head -n 3
    fi
done

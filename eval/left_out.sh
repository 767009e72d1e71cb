#!/usr/bin/env bash
# Each development story's cluster F1 with a model fitted without it, over several draws of the
# fit's randomness: a change to the claim engine is judged against how much the figures move
# with the fit's seeds alone (3.5 points on halden between two draws of the same engine; README,
# *Quality*, "The twelfth session's figures").
#
#   eval/left_out.sh [--draws N] [fit_model.py options, e.g. --story-weight 0.2]
#
# Draw d fits with seeds 3d .. 3d+2 (fit_model.py --seed-offset). Fits two at a time (about
# 30 s per fit; four draws of two stories take about 3 minutes on two cores) and scores each with
# eval/claims_stories.sh. Prints each story's F1 per draw, then their means.
# Needs numpy and scikit-learn. Says so and exits 0 when ../shared/eval is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=../shared/eval
if [ ! -f "$SHARED/story_score.py" ] || [ ! -d "$SHARED/dev" ]; then
  echo "left_out: $SHARED/dev not found; nothing to score (the eval data is not part of the repository)"
  exit 0
fi
draws=2
if [ "${1:-}" = "--draws" ]; then
  draws=$2
  shift 2
fi
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stories=()
for d in "$SHARED"/dev/*/; do [ -f "$d/gold.json" ] && stories+=("$(basename "$d")"); done
jobs=()
for ((d = 0; d < draws; d++)); do
  for s in "${stories[@]}"; do jobs+=("$d $s"); done
done
fit() {
  local d=$1 s=$2
  python3 eval/fit_model.py --leave-out "$s" --seed-offset $((3 * d)) \
    --out "$tmp/$d-$s.txt" --no-report "${@:3}" > "$tmp/$d-$s.log" 2>&1 || true
}
# Two fits at a time (each uses one core).
for ((k = 0; k < ${#jobs[@]}; k += 2)); do
  fit ${jobs[k]} "$@" &
  if ((k + 1 < ${#jobs[@]})); then fit ${jobs[k + 1]} "$@" & fi
  wait
done
for s in "${stories[@]}"; do
  f1s=()
  for ((d = 0; d < draws; d++)); do
    if [ ! -f "$tmp/$d-$s.txt" ]; then
      echo "left_out: the fit without $s (draw $d) failed:"
      cat "$tmp/$d-$s.log"
      exit 1
    fi
    line=$(BRIEFING_MODEL="$tmp/$d-$s.txt" BRIEFING_LEXICON="$tmp/$d-$s.txt.lexicon" \
      eval/claims_stories.sh "$s" 2> /dev/null | tail -n 1)
    echo "draw $d: $line"
    f1s+=("$(sed -E 's/.* f1=([0-9.]+) .*/\1/' <<< "$line")")
  done
  python3 -c 'import sys; v = [float(x) for x in sys.argv[2:]]; print("%s: left-out F1 mean %.3f (%.3f-%.3f) over %d draws" % (sys.argv[1], sum(v) / len(v), min(v), max(v), len(v)))' "$s" "${f1s[@]}"
done

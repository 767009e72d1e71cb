#!/usr/bin/env bash
# Score the claim matcher on MSRP train (sentence pairs) with ../shared/eval/score_pairs.py.
#   eval/claims_pairs.sh [extra score_pairs.py options, e.g. --sweep --show-errors 10]
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=../shared/eval
if [ ! -f "$SHARED/score_pairs.py" ] || [ ! -f "$SHARED/msrp/train.tsv" ]; then
  echo "claims_pairs: $SHARED not found; nothing to score (the eval data is not part of the repository)"
  exit 0
fi
cargo build --release --quiet
python3 "$SHARED/score_pairs.py" "$SHARED/msrp/train.tsv" \
  --cmd "target/release/briefing similar --tsv {}" "$@"

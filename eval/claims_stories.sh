#!/usr/bin/env bash
# Build a site over each development story in ../shared/eval/dev and score its claims.json
# with ../shared/eval/story_score.py (cluster pairwise F1, conflicts found, false conflicts).
#   eval/claims_stories.sh [story ...]     (default: every story folder)
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=../shared/eval
if [ ! -f "$SHARED/story_score.py" ] || [ ! -d "$SHARED/dev" ]; then
  echo "claims_stories: $SHARED/dev not found; nothing to score (the eval data is not part of the repository)"
  exit 0
fi
cargo build --release --quiet
stories=("$@")
if [ ${#stories[@]} -eq 0 ]; then
  for d in "$SHARED"/dev/*/; do [ -f "$d/gold.json" ] && stories+=("$(basename "$d")"); done
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in "${stories[@]}"; do
  content=$(cd "$SHARED/dev/$s" && pwd)
  mkdir -p "$tmp/$s"
  printf 'title = "%s"\ncontent_dir = "%s"\n' "$s" "$content" > "$tmp/$s/site.toml"
  target/release/briefing build --config "$tmp/$s/site.toml" --output "$tmp/$s/public" > /dev/null
  if [ "${VERBOSE:-}" = 1 ]; then
    python3 "$SHARED/story_score.py" "$tmp/$s/public" "$content/gold.json" "$content"
  else
    python3 "$SHARED/story_score.py" "$tmp/$s/public" "$content/gold.json" "$content" | tail -n 1
  fi
done

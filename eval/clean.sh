#!/usr/bin/env bash
# Score the cleaner and the metadata reader against the development data in ../shared/eval.
#
#   eval/clean.sh            boilerplate pages (aeb_score.py) + both dev stories (story_score.py)
#   eval/clean.sh aeb        boilerplate pages only      (extra args go to aeb_score.py, e.g. --per-page)
#   eval/clean.sh stories    dev stories only
#
# Builds with the debug binary (set PROFILE=release to use a release build) into a temp folder;
# nothing is written inside the repository. Exits 0 with a message when ../shared is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${SHARED:-$ROOT/../shared/eval}
if [ ! -d "$SHARED" ]; then
  echo "eval/clean.sh: $SHARED not found; nothing to score (the development data lives outside the repository)."
  exit 0
fi
PROFILE=${PROFILE:-debug}
if [ "$PROFILE" = release ]; then cargo build --release --quiet; else cargo build --quiet; fi
BIN=$ROOT/target/$PROFILE/briefing
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
what=${1:-all}
[ $# -gt 0 ] && shift

site() { # name content_dir -> builds $TMP/name/public
  mkdir -p "$TMP/$1"
  printf 'title = "eval %s"\ncontent_dir = "%s"\n' "$1" "$2" >"$TMP/$1/site.toml"
  "$BIN" build --config "$TMP/$1/site.toml" --output "$TMP/$1/public" >/dev/null
}

if [ "$what" = all ] || [ "$what" = aeb ]; then
  # Only the .txt pages (the README there is not a page).
  mkdir -p "$TMP/aeb-content"
  cp "$SHARED"/boilerplate/*.txt "$TMP/aeb-content/"
  site aeb "$TMP/aeb-content"
  python3 "$SHARED/aeb_score.py" "$TMP/aeb/public" "$SHARED/boilerplate/ground-truth.json" "$@"
fi
if [ "$what" = all ] || [ "$what" = stories ]; then
  for story in "$SHARED"/dev/*/; do
    name=$(basename "$story")
    mkdir -p "$TMP/$name-content"
    cp "$story"/*.txt "$TMP/$name-content/"
    site "$name" "$TMP/$name-content"
    (cd "$TMP" && python3 "$SHARED/story_score.py" "$TMP/$name/public" "$story/gold.json" "$TMP/$name-content") |
      if [ "${VERBOSE:-1}" = 1 ]; then grep -E '^  (title|author|date|junk|must_keep)|^date traps|^[a-z-]+: f1='; else tail -1; fi
  done
fi

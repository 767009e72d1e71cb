#!/usr/bin/env bash
# Build the seeds, a generated corpus of 100 articles and (when ../shared is present) the dev
# stories with BINARY into OUT/<name>/, so two binaries' outputs can be compared with diff -r.
# Usage: bench/same_output.sh BINARY OUT
set -euo pipefail
bin=$(realpath "$1"); out=$(realpath -m "$2")
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
"$bin" build --config "$here/site.toml" --output "$out/seeds" >/dev/null
# A corpus of its own (bench/serve.py edits the one under bench/.corpus); the generator is
# deterministic, so every run builds the same input.
c100="$out/.corpus100"
rm -rf "$c100"
python3 "$here/bench/gen_corpus.py" 100 "$c100" >/dev/null
"$bin" build --config "$c100/site.toml" --output "$out/c100" >/dev/null
rm -rf "$c100"
dev="$here/../shared/eval/dev"
if [ ! -d "$dev" ]; then
  echo "../shared/eval/dev not found: dev stories skipped"
  exit 0
fi
for story in "$dev"/*/; do
  name=$(basename "$story")
  site=$(mktemp -d)
  printf 'title = "%s"\ncontent_dir = "%s"\noutput_dir = "public"\n' "$name" "$story" > "$site/site.toml"
  "$bin" build --config "$site/site.toml" --output "$out/$name" >/dev/null
  rm -rf "$site"
done

#!/usr/bin/env bash
# make demo: a real search on the built-in synthetic demo library for Llama-3.1-70B on one H100
# (FP8, 128 input / 1024 output tokens): a 51B-style child (~2.2x the parent's throughput per GPU)
# and a 40B-style child (~3.2x), then the two side by side. Files land in out/demo/.
set -euo pipefail
bin=${1:-.build/release/puzzle}
dir=out/demo
mkdir -p "$dir"
costs=(--gpu h100-sxm --dtype fp8 --scenario 128/1024)

echo "== the demo library (synthetic scores; see docs/formats.md)"
"$bin" library demo --parent llama-3.1-70b -o "$dir/library.json"
"$bin" library validate "$dir/library.json"

for child in 51b:2.2 40b:3.2; do
  name=${child%%:*}; speedup=${child##*:}
  echo
  echo "== search: ${name}-style child, throughput >= ${speedup}x the parent's per H100"
  "$bin" search --library "$dir/library.json" "${costs[@]}" --speedup "$speedup" \
    --name "llama-3.1-70b-puzzle-${name}" -o "$dir/child-${name}.json" --export-decilm "$dir/child-${name}.config.json" --quiet
done

echo
echo "== compare: parent, 51B-style and 40B-style children (cost model at each one's best TP and batch)"
"$bin" compare llama-3.1-70b "$dir/child-51b.json" "$dir/child-40b.json" "${costs[@]}" | sed -n '1,/^layers that differ/p'

"$bin" plot runtime "$dir/child-51b.json" --svg "$dir/runtime-51b.svg"
echo
echo "manifests, DeciLM configs and plots are in $dir/ (see docs/tutorial.md for what to do next)"

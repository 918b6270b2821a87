#!/usr/bin/env bash
# Block library speed: a 162-layer x 54-variant library (joint, two metrics, two stats: 8,748
# candidates) loads, validates and saves in under 1 s; also the CSV import and the demo generator.
# Usage: bash bench/bench_library.sh [path/to/puzzle]   (make bench passes the release binary)
set -euo pipefail
bin=${1:-.build/release/puzzle}
[ -x "$bin" ] || { echo "bench_library: $bin not built (run make build)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A 162-layer parent shaped like Llama-3.1-405B (the layer count of Nemotron-Ultra-253B).
cat > "$work/parent162.json" <<'JSON'
{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "_name_or_path": "llama-405b-162-layers",
 "hidden_size": 16384, "num_attention_heads": 128, "num_key_value_heads": 8, "intermediate_size": 53248,
 "num_hidden_layers": 162, "vocab_size": 128256, "tie_word_embeddings": false, "hidden_act": "silu",
 "rms_norm_eps": 1e-05, "rope_theta": 500000.0, "max_position_embeddings": 131072}
JSON

# 54 joint variants per layer (6 attention x 9 FFN), kl_div + lm_loss scores, runtime_ms + memory_mib stats.
awk 'BEGIN {
  print "layer,subblock,variant,metric,value"
  split("gqa:8 gqa:4 gqa:2 gqa:1 linear noop", A, " ")
  split("ffn:53248 ffn:46336 ffn:39936 ffn:26624 ffn:13312 ffn:10752 ffn:5376 linear noop", F, " ")
  for (l = 0; l < 162; l++) for (a = 1; a <= 6; a++) for (f = 1; f <= 9; f++) {
    v = A[a] "+" F[f]; s = (a - 1) * 0.05 + (f - 1) * 0.02 + l * 0.0001
    printf "%d,block,%s,kl_div,%.6f\n", l, v, s
    printf "%d,block,%s,lm_loss,%.6f\n", l, v, 1.6 + s / 10
    printf "%d,block,%s,runtime_ms,%.4f\n", l, v, 900 - a * 40 - f * 30
    printf "%d,block,%s,memory_mib,%.4f\n", l, v, 2900 - a * 80 - f * 60
  }
}' > "$work/lib162.csv"

ms() { local s e; s=$(date +%s%N); "$@" > /dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
best() { local b=999999 t; for _ in 1 2 3 4 5; do t=$(ms "$@"); [ "$t" -lt "$b" ] && b=$t; done; echo "$b"; }

"$bin" library import "$work/lib162.csv" --parent "$work/parent162.json" -o "$work/lib162.json"
rows=$(($(wc -l < "$work/lib162.csv") - 1))
size=$(wc -c < "$work/lib162.json")

t_roundtrip=$(best "$bin" library import "$work/lib162.json" -o "$work/out.json")
t_validate=$(best "$bin" library validate "$work/lib162.json")
t_csv=$(best "$bin" library import "$work/lib162.csv" --parent "$work/parent162.json" -o "$work/out2.json")
t_demo=$(best "$bin" library demo --parent "$work/parent162.json" -o "$work/demo.json")
t_nvlabs="-"
nv=../shared/data/nvlabs-puzzle-llama-3.3-70b/block_library.json
[ -f "$nv" ] && t_nvlabs=$(best "$bin" library import "$nv" --parent llama-3.3-70b -o "$work/nv.json")
t_null=$(best "$bin" --version)

printf '%-58s %8s\n' "block library (best of 5, wall clock incl. process start)" "ms"
printf '%-58s %8s\n' "162 x 54 joint native ($size bytes): load+validate+save" "$t_roundtrip"
printf '%-58s %8s\n' "162 x 54 joint native: load+validate" "$t_validate"
printf '%-58s %8s\n' "162 x 54 CSV ($rows rows): import+validate+save" "$t_csv"
printf '%-58s %8s\n' "demo library, 162 layers x (6+9): generate+save" "$t_demo"
printf '%-58s %8s\n' "NVlabs 80 x 16 (../shared): import+validate+save" "$t_nvlabs"
printf '%-58s %8s\n' "process start (puzzle --version)" "$t_null"
if [ "$t_roundtrip" -ge 1000 ]; then echo "FAIL: load+validate+save took ${t_roundtrip} ms (goal < 1000 ms)"; exit 1; fi
echo "goal: 162 x 54 load+validate+save < 1000 ms: met"

#!/usr/bin/env python3
"""Writes Tests/Fixtures/puzzletron/run: a small puzzletron run directory, hand-made in the
schema NVIDIA/Model-Optimizer's puzzletron (modelopt/torch/puzzletron, commit a2fbac7b) writes.
See README.md beside this script for which upstream function writes each file.

This is our own code (nothing copied from upstream). Costs follow upstream's formulas
(subblock_stats/calc_subblock_params_and_memory.py); scores and runtimes are chosen by hand.
The MIP solution is found by brute force with run_puzzle.py's semantics, as an oracle the Swift
tests compare against. Run from the repository root: python3 Tests/Fixtures/puzzletron/make_fixture.py
"""
import csv
import itertools
import json
import os
import shutil

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run")
PUZZLE_DIR = "/workspace/puzzle_dir"  # where the run happened (paths inside the files)
TEACHER = f"{PUZZLE_DIR}/ckpts/teacher"
PRUNED = f"{PUZZLE_DIR}/pruning/1000samples_diverse_mini"

# The tiny Llama of upstream's tests/gpu/torch/puzzletron (hidden 256, 32 heads, 8 KV heads,
# FFN 512, vocab 9728 -> 6,096,128 parameters with 2 layers), here with 4 layers.
HIDDEN, HEADS, KV, FFN, VOCAB, LAYERS = 256, 32, 8, 512, 9728, 4
HEAD_DIM = HIDDEN // HEADS
FFN_SIZES = [512, 256]  # teacher size, pruned size (pruning.intermediate_size_list: [256])


def attention_config(kv):
    return {"no_op": kv is None, "replace_with_linear": False, "sparsify": None, "weights_precision": "bf16",
            "num_key_value_heads": kv, "llama4": None, "mamba": None}


def ffn_config(n):
    return {"no_op": n is None, "replace_with_linear": False, "sparsify": None, "weights_precision": "bf16",
            "moe": None, "intermediate_size": n}


def block_config(kv, n):
    return {"attention": attention_config(kv), "ffn": ffn_config(n), "parallel_blocks": None}


def sizeof(dtype):
    return {"torch.bfloat16": 2, "torch.int8": 1}[dtype]


# Parameters per subblock, as calculate_subblock_params counts them (norm included).
def attention_params(kv):
    if kv is None:
        return 0
    return HIDDEN * HEADS * HEAD_DIM * 2 + HIDDEN * kv * HEAD_DIM * 2 + HIDDEN


def ffn_params(n):
    return 0 if n is None else 3 * HIDDEN * n + HIDDEN


NON_BLOCK_PARAMS = VOCAB * HIDDEN * 2 + HIDDEN  # calculate_non_block_params

# Hand-chosen vLLM runtimes (ms) per unique subblock config (upstream measures per config, not per
# layer), bf16 only (upstream measures runtime only for torch.bfloat16 weights).
RUNTIME = {64: {"attn": 1012.5, "ffn512": 431.25, "ffn256": 302.0, "non_block": 1604.0},
           96: {"attn": 1450.0, "ffn512": 610.5, "ffn256": 418.75, "non_block": 2200.0}}

SCENARIOS = [(64, "torch.bfloat16", "torch.bfloat16", "torch.bfloat16"),
             (64, "torch.int8", "torch.int8", "torch.bfloat16"),
             (96, "torch.bfloat16", "torch.bfloat16", "torch.bfloat16"),
             (96, "torch.int8", "torch.int8", "torch.bfloat16")]
PREFILL, GENERATION = 4096, 4096


def subblock_stats():
    out = []
    for batch, wdt, adt, kvdt in SCENARIOS:
        runtime = wdt == "torch.bfloat16"
        args = dict(gpu="NVIDIA H100 80GB HBM3", batch_size=batch, prefill_seq_len=PREFILL, generation_seq_len=GENERATION,
                    prefill_queue_size=0, n_embd=HIDDEN, n_head=HEADS, vocab_size=VOCAB, runtime_stats=runtime,
                    use_cuda_graph=True, weights_dtype=wdt, activations_dtype=adt, kv_cache_dtype=kvdt)
        subblocks = []
        # calculate_subblock_stats sorts by str(config): AttentionConfig(...) before FFNConfig(...).
        for layer in range(LAYERS):
            for kv in (KV, None):
                params = attention_params(kv)
                if kv is None:
                    memory = {"memory_mib": 0, "kv_cache_memory_mib": 0.0}
                else:
                    tokens = (PREFILL + GENERATION) * batch  # calculate_attention_memory
                    kv_cache = tokens * 2 * kv * HEAD_DIM * sizeof(kvdt)
                    memory = {"memory_mib": (kv_cache + params * sizeof(wdt)) / 2**20,
                              "kv_cache_memory_mib": kv_cache / 2**20}
                rt = (0.0 if kv is None else RUNTIME[batch]["attn"]) if runtime else None
                subblocks.append({"subblock_config": attention_config(kv), "subblock_config_class": "AttentionConfig",
                                  "runtime_ms": rt, "prefill_runtime_ms": None, "decode_runtime_ms": None,
                                  "num_params": params, "active_params": params, "parent_layer_index": layer, **memory})
            for n in FFN_SIZES + [None]:
                params = ffn_params(n)
                memory = {"memory_mib": 0 if n is None else params * sizeof(wdt) / 2**20, "kv_cache_memory_mib": 0.0}
                rt = (0.0 if n is None else RUNTIME[batch][f"ffn{n}"]) if runtime else None
                subblocks.append({"subblock_config": ffn_config(n), "subblock_config_class": "FFNConfig",
                                  "runtime_ms": rt, "prefill_runtime_ms": None, "decode_runtime_ms": None,
                                  "num_params": params, "active_params": params, "parent_layer_index": layer, **memory})
        non_block = {"runtime_ms": RUNTIME[batch]["non_block"] if runtime else None,
                     "memory_mib": NON_BLOCK_PARAMS * sizeof(wdt) / 2**20, "num_params": NON_BLOCK_PARAMS}
        out.append({"args": args, "non_block": non_block, "subblocks": subblocks})
    return out


def weight_paths(kv, n, layer):
    paths = []
    if kv is not None:
        paths.append(f"{TEACHER}/subblocks_safetensors/block_{layer}_attention.safetensors")
    if n == FFN:
        paths.append(f"{TEACHER}/subblocks_safetensors/block_{layer}_ffn.safetensors")
    elif n is not None:
        paths.append(f"{PRUNED}/ffn_{n}_attn_no_op/subblocks_safetensors/block_{layer}_ffn.safetensors")
    return sorted(paths)


def replacement(kv, n, layer):
    return {"parent_layer_indices": [layer], "child_block_configs": [block_config(kv, n)],
            "weight_paths": weight_paths(kv, n, layer)}


BLOCKS = [(kv, n) for kv in (KV, None) for n in FFN_SIZES + [None]]  # 6 per layer, teacher first

# Hand-chosen damage of one replaced block (cosine embedding loss of the hidden states against the
# teacher's): attention no-op, FFN 256 and FFN no-op per layer, and a joint block a bit worse than
# the sum of its parts (why puzzletron scores whole blocks).
ATTN_NOOP = [0.30, 0.06, 0.04, 0.09]
FFN_DAMAGE = {256: [0.05, 0.02, 0.025, 0.07], None: [0.40, 0.11, 0.13, 0.35], FFN: [0, 0, 0, 0]}


def cosine(kv, n, layer):
    a = ATTN_NOOP[layer] if kv is None else 0.0
    f = FFN_DAMAGE[n][layer]
    return round(a + f + 0.5 * a * f, 6)


TEACHER_LOSSES = {"lm_loss": 4.830112, "token_accuracy_top_1": 0.231445, "token_accuracy_top_5": 0.407227,
                  "token_accuracy_top_10": 0.494141}


def losses(c):
    """validate_model's losses for a model whose cosine loss vs the teacher is c (hand-chosen)."""
    values = {
        "lm_loss": 4.830112 + 2.5 * c,
        "token_accuracy_top_1": 0.231445 - 0.30 * c,
        "token_accuracy_top_5": 0.407227 - 0.35 * c,
        "token_accuracy_top_10": 0.494141 - 0.40 * c,
        "cosine_embedding_loss_hidden_states": c,
        "normalized_mse_loss_hidden_states": 1.9 * c,
        "mse_loss_hidden_states": 0.021 * c,
        "mae_loss_hidden_states": 0.11 * c ** 0.5,
        "cosine_embedding_loss_logits": 0.8 * c,
        "normalized_mse_loss_logits": 1.6 * c,
        "mse_loss_logits": 3.2 * c,
        "mae_loss_logits": 1.1 * c ** 0.5,
        "kl_div--top_p_None--clip_epsilon_NO_CLIP--epsilon_factor_None": 1.7 * c,
        "kl_div": 1.7 * c,
        "js_div--top_p_None--clip_epsilon_NO_CLIP--epsilon_factor_None": 0.4 * c,
        "js_div": 0.4 * c,
        "tv_dist--top_p_None--clip_epsilon_NO_CLIP--epsilon_factor_None": 0.5 * c,
        "tv_dist": 0.5 * c,
        "greedy_teacher_prediction_in_student_top_1": 1 - 0.9 * c,
        "greedy_teacher_prediction_in_student_top_5": 1 - 0.5 * c,
        "greedy_teacher_prediction_in_student_top_10": 1 - 0.3 * c,
    }
    out = {}
    for k, v in values.items():
        v = round(v, 6)
        out[k] = {"avg": v, "per_sample": [round(v * 0.97, 6), round(v * 1.03, 6)]}
    return out


SCORING_ARGS = {"descriptor": "llama", "solutions_to_validate": None, "skip_existing_solutions": True,
                "replacement_library_path": f"{PUZZLE_DIR}/replacement_library.json",
                "solutions_path": f"{PUZZLE_DIR}/single_sequence_replacement_solutions.json",
                "teacher_dir": TEACHER, "output_dir": f"{PUZZLE_DIR}/single_sequence_replacement_solutions--validation",
                "eval_samples": 2, "micro_batch_size": 1, "seed": 42, "shuffle_seed": 444,
                "dataset_path": "/workspace/datasets/Puzzle-KD-Nemotron-Post-Training-Dataset-v2/valid",
                "skip_validation": False, "save_models": False, "bigger_is_better": False, "sort_solutions_by": None,
                "calculate_full_score_ablations": False, "block_size": 8192, "data_column": "messages"}


def dump(obj, *path):
    full = os.path.join(ROOT, *path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(json.dumps(obj, indent=2))  # json_dump: indent=2, no trailing newline


def block_repr(kv, n):
    """utils/misc.block_config_to_str."""
    def sub(name, x):
        return f"  {name}" + f"  {x}".ljust(8)
    return sub("attention", "no_op" if kv is None else f"kv_heads_{kv}") + sub("ffn", "no_op" if n is None else f"intermediate_{n}")


def average_metrics(raw):
    """run_puzzle._extract_average_metrics: each avg, then one_minus_ of it."""
    out = {}
    for k, v in raw.items():
        out[k] = v["avg"]
        out[f"one_minus_{k}"] = 1 - v["avg"]
    return out


def teacher_config():
    """The HF config with `block_configs`, as save_model_config writes it."""
    return {"architectures": ["LlamaForCausalLM"], "attention_bias": False, "attention_dropout": 0.0,
            "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "head_dim": HEAD_DIM, "hidden_act": "silu",
            "hidden_size": HIDDEN, "initializer_range": 0.02, "intermediate_size": FFN, "max_position_embeddings": 131072,
            "mlp_bias": False, "model_type": "llama", "num_attention_heads": HEADS, "num_hidden_layers": LAYERS,
            "num_key_value_heads": KV, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
            "rope_scaling": {"factor": 8.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                             "original_max_position_embeddings": 8192, "rope_type": "llama3"},
            "rope_theta": 500000.0, "tie_word_embeddings": False, "torch_dtype": "bfloat16",
            "transformers_version": "4.56.2", "use_cache": True, "vocab_size": VOCAB,
            "block_configs": [block_config(KV, FFN) for _ in range(LAYERS)]}


def main():
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    # ckpts/teacher/config.json (Converter.convert_configs_in_dirs -> save_model_config)
    config = teacher_config()
    dump(config, "ckpts", "teacher", "config.json")

    # replacement_library.json (build_replacement_library): teacher blocks and every constructed block.
    library = [replacement(kv, n, layer) for layer in range(LAYERS) for kv, n in BLOCKS]
    dump(library, "replacement_library.json")

    # subblock_stats.json (calculate_subblock_stats_for_puzzle_dir)
    stats = subblock_stats()
    dump(stats, "subblock_stats.json")

    # Scoring (launch_scoring -> validate_puzzle_solutions -> write_results): one file per
    # non-teacher replacement, in single_sequence_replacement_solutions.json's order (sorted by layer).
    students = [(layer, kv, n) for layer in range(LAYERS) for kv, n in BLOCKS[1:]]
    for i, (layer, kv, n) in enumerate(students):
        chosen = [replacement(KV, FFN, l) if l != layer else replacement(kv, n, l) for l in range(LAYERS)]
        payload = {**losses(cosine(kv, n, layer)), "i_solution": i,
                   "puzzle_solution": {"single_sequence_replacement": replacement(kv, n, layer),
                                       "chosen_replacements": chosen,
                                       "block_configs": [c["child_block_configs"][0] for c in chosen]},
                   "args": SCORING_ARGS}
        dump(payload, "single_sequence_replacement_solutions--validation", f"solution_{i}.json")
    teacher = {k: {"avg": v, "per_sample": [round(v * 0.98, 6), round(v * 1.02, 6)]} for k, v in TEACHER_LOSSES.items()}
    dump({**teacher, "args": SCORING_ARGS}, "single_sequence_replacement_solutions--validation", "teacher.json")

    # The run's own MIP (run_puzzle.run_single_puzzle_config), solved here by brute force with
    # upstream's semantics: minimize the sum of metrics.cosine_embedding_loss_hidden_states over one
    # replacement per layer, subject to stats.memory_mib <= target_memory - non_block.memory_mib.
    scenario = stats[2]  # batch 96, bf16: mip.subblock_stats_args
    target_memory = 600
    sol = brute_force(scenario, {"stats.memory_mib": target_memory})
    write_mip(scenario, sol, {"target_memory": target_memory}, f"target_memory_{target_memory}MiB")

    # mip_sweep_results.csv (sweep.write_results_to_csv) for compression rates 0.5, 0.75, 1.0.
    teacher_mib = scenario["non_block"]["memory_mib"] + LAYERS * block_stats(scenario, KV, FFN, 0)["memory_mib"]
    rows = []
    for rate in (0.5, 0.75, 1.0):
        s = brute_force(scenario, {"stats.memory_mib": teacher_mib * rate})
        rows.append({"compression_rate": rate, "target_memory_mib": teacher_mib * rate,
                     "actual_memory_mib": s["total_costs"]["stats.memory_mib"] if s else None,
                     "teacher_memory_mib": teacher_mib,
                     "num_params": s["total_costs"]["stats.num_params"] if s else None,
                     # Upstream fills these from validating the realized model (solutions--validation/solution_0.json).
                     "lm_loss": None, "token_accuracy_top_1": None, "token_accuracy_top_5": None,
                     "token_accuracy_top_10": None})
    with open(os.path.join(ROOT, "mip_sweep_results.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)


def block_stats(scenario, kv, n, layer):
    """run_puzzle._get_block_stats for a (kv, n) block at layer."""
    def find(cls, cfg):
        for s in scenario["subblocks"]:
            if s["subblock_config_class"] == cls and s["subblock_config"] == cfg and s["parent_layer_index"] == layer:
                return s
        raise KeyError((cls, cfg, layer))
    a = find("AttentionConfig", attention_config(kv))
    f = find("FFNConfig", ffn_config(n))
    out = {}
    for k in a:
        if k in ("subblock_config", "subblock_config_class"):
            continue
        av, fv = a[k], f[k]
        out[k] = None if av is None or fv is None else av + fv
        out[f"attention_{k}"] = av
        out[f"ffn_{k}"] = fv
    out["has_attention"] = int(kv is not None)
    out["has_ffn"] = int(n is not None)
    out["has_moe"] = 0
    out["not_no_op"] = int(not (kv is None and n is None))
    out["num_kv_heads"] = kv if kv is not None else 0
    out["num_local_experts"] = 0
    return out


REPORT = ["stats.memory_mib", "stats.num_params", "stats.num_kv_heads", "stats.has_attention", "stats.has_ffn",
          "stats.kv_cache_memory_mib", "stats.attention_memory_mib", "stats.ffn_memory_mib", "stats.ffn_num_params",
          "stats.attention_num_params"]


def brute_force(scenario, mip_constraints):
    non_block = scenario["non_block"]
    budgets = {k: v - (non_block.get(k.split(".", 1)[1]) or 0) for k, v in mip_constraints.items()}
    best = None
    for choice in itertools.product(BLOCKS, repeat=LAYERS):
        stats = [block_stats(scenario, kv, n, l) for l, (kv, n) in enumerate(choice)]
        if any(sum(s[k.split(".", 1)[1]] for s in stats) > b for k, b in budgets.items()):
            continue
        value = sum(cosine(kv, n, l) for l, (kv, n) in enumerate(choice))
        if best is None or value < best[0] - 1e-12:
            best = (value, choice, stats)
    if best is None:
        return None
    value, choice, stats = best
    total_costs = {}
    for key in list(mip_constraints) + [k for k in REPORT if k not in mip_constraints]:
        name = key.split(".", 1)[1]
        total_costs[key] = sum(s[name] for s in stats) + (non_block.get(name) or 0)
    return {"value": value, "choice": choice, "stats": stats, "total_costs": total_costs}


def write_mip(scenario, sol, human, folder):
    chosen = []
    names = list(average_metrics(losses(0.1)).keys())
    teacher_raw = {k: {"avg": v} for k, v in TEACHER_LOSSES.items()}
    for layer, (kv, n) in enumerate(sol["choice"]):
        is_teacher = (kv, n) == (KV, FFN)
        entry = {"block_config": block_config(kv, n)}
        if is_teacher:  # _parse_teacher_block_metrics
            entry["block_idx"] = layer
            metrics = {**dict.fromkeys(names, 0.0), **average_metrics(teacher_raw)}
        else:  # _parse_single_sequence_replacement_metrics
            metrics = average_metrics(losses(cosine(kv, n, layer)))
        entry.update({"parent_layer_indices": [layer], "metrics": metrics, "layer_replacement": replacement(kv, n, layer),
                      "is_teacher": is_teacher, "stats": sol["stats"][layer], "block_repr": block_repr(kv, n),
                      "child_block_configs": block_config(kv, n)})
        chosen.append(entry)
    solution = {
        "chosen_replacements": chosen,
        "total_value": {"metrics.cosine_embedding_loss_hidden_states": sol["value"]},
        "total_costs": sol["total_costs"],
        "puzzle_args": {"single_block_replacement_validation_dir": f"{PUZZLE_DIR}/single_sequence_replacement_solutions--validation",
                        "subblock_stats_path": f"{PUZZLE_DIR}/subblock_stats.json",
                        "output_path": f"{PUZZLE_DIR}/mip/puzzle_solutions", "gathered_metrics_path": None,
                        "puzzle_profile": None, "objective": "metrics.cosine_embedding_loss_hidden_states",
                        "bigger_is_better": False,
                        "subblock_stats_args": {"batch_size": 96, "weights_dtype": "torch.bfloat16",
                                                "activations_dtype": "torch.bfloat16", "kv_cache_dtype": "torch.bfloat16"},
                        "report_additional_costs": REPORT, "human_constraints": human,
                        "mip_constraints": {"stats.memory_mib": human["target_memory"]}, "metric_overrides": None,
                        "max_seconds_per_solution": 60},
        "subblock_stats": scenario["args"],
        "chosen_block_configs": [block_config(kv, n) for kv, n in sol["choice"]],
        "solution_repr": "".join(f"block_{i}:".ljust(9) + block_repr(kv, n) + "\n" for i, (kv, n) in enumerate(sol["choice"])),
    }
    dump([solution], "mip", "puzzle_solutions", folder, "solutions.json")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes Tests/Fixtures/puzzletron/run-moe: a small puzzletron run directory of a mixture-of-experts
parent, hand-made in the schema NVIDIA/Model-Optimizer's puzzletron (modelopt/torch/puzzletron,
commit a2fbac7b) writes for gpt-oss (anymodel/models/gpt_oss/gpt_oss_converter.py: every FFN a
MoEConfig, `intermediate_size` null, `shared_expert_intermediate_dim` left at the dataclass default
8192; expert removal, pruning/expert_removal_pruning_mixin.py, keeps fewer `num_local_experts`).

Same layout, scores and MIP oracle as make_fixture.py (whose functions this reuses); the parent is a
tiny gpt-oss (hidden 256, 8 query heads of 64, 2 KV heads, 4 experts of 256, top-2, vocabulary
9728, 4 layers alternating sliding (128) and full attention). Per layer: attention {2 KV heads,
no-op} x FFN {4 experts (teacher), 2 experts (expert removal), no-op}. Parameters as puzzle's own
gpt-oss accounting counts them (attention with q/k/v/o biases and 8 sinks; per expert gate/up/down
with biases; router with bias; norms), weights in bf16; runtimes chosen by hand.
Run from the repository root: python3 Tests/Fixtures/puzzletron/make_fixture_moe.py
"""
import os

import make_fixture as base

base.ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run-moe")
base.HIDDEN, base.HEADS, base.KV, base.VOCAB, base.LAYERS = 256, 8, 2, 9728, 4
base.HEAD_DIM = 64
EXPERTS, TOP_K, EXPERT_SIZE, WINDOW = 4, 2, 256, 128
base.FFN = EXPERTS               # the teacher's FFN: all 4 experts
base.FFN_SIZES = [EXPERTS, 2]    # teacher, after expert removal
base.BLOCKS = [(kv, n) for kv in (base.KV, None) for n in base.FFN_SIZES + [None]]
base.FFN_DAMAGE = {2: [0.04, 0.03, 0.05, 0.06], None: [0.40, 0.11, 0.13, 0.35], EXPERTS: [0, 0, 0, 0]}
base.RUNTIME = {64: {"attn": 812.5, "ffn4": 531.25, "ffn2": 402.0, "non_block": 1604.0},
                96: {"attn": 1150.0, "ffn4": 710.5, "ffn2": 538.75, "non_block": 2200.0}}
base.SCORING_ARGS = {**base.SCORING_ARGS, "descriptor": "gpt_oss"}
H, D = base.HIDDEN, base.HEAD_DIM


def moe_config(e):
    """dataclasses.asdict(MoEConfig(...)) as the gpt-oss converter builds it."""
    return {"num_local_experts": e, "num_experts_per_tok": TOP_K, "expert_intermediate_dim": EXPERT_SIZE,
            "shared_expert_intermediate_dim": 8192}


def ffn_config(e):
    return {"no_op": e is None, "replace_with_linear": False, "sparsify": None, "weights_precision": "bf16",
            "moe": None if e is None else moe_config(e), "intermediate_size": None}


def attention_params(kv):
    if kv is None:
        return 0
    q, k = base.HEADS * D, kv * D
    return H * q + q + 2 * (H * k + k) + q * H + H + base.HEADS + H  # q, k, v (biased), o (biased), sinks, norm


def ffn_params(e):
    if e is None:
        return 0
    expert = H * 2 * EXPERT_SIZE + 2 * EXPERT_SIZE + EXPERT_SIZE * H + H
    return e * expert + H * e + e + H  # experts, router (biased), norm


def block_repr(kv, e):
    """utils/misc.block_config_to_str for a gpt-oss block."""
    def sub(name, x):
        return f"  {name}" + f"  {x}".ljust(8)
    att = sub("attention", "no_op" if kv is None else f"kv_heads_{kv}")
    if e is None:
        return att + sub("ffn", "no_op")
    m = moe_config(e)
    return att + sub("moe", f"num_experts_{m['num_local_experts']}  expert_intermediate_dim_{m['expert_intermediate_dim']}"
                     f"  shared_expert_intermediate_dim_{m['shared_expert_intermediate_dim']}  num_experts_per_tok_{m['num_experts_per_tok']}")


def block_stats(scenario, kv, e, layer):
    out = original_block_stats(scenario, kv, e, layer)
    out["has_moe"] = int(e is not None)  # run_puzzle._get_block_stats
    out["num_local_experts"] = e if e is not None else 0
    return out


def teacher_config():
    """The gpt-oss HF config with `block_configs`, as save_model_config writes it."""
    return {"architectures": ["GptOssForCausalLM"], "attention_bias": True, "attention_dropout": 0.0,
            "eos_token_id": 200002, "experts_per_token": TOP_K, "head_dim": D, "hidden_act": "silu", "hidden_size": H,
            "initial_context_length": 4096, "initializer_range": 0.02, "intermediate_size": EXPERT_SIZE,
            "layer_types": ["sliding_attention", "full_attention"] * (base.LAYERS // 2), "max_position_embeddings": 131072,
            "model_type": "gpt_oss", "num_attention_heads": base.HEADS, "num_experts_per_tok": TOP_K,
            "num_hidden_layers": base.LAYERS, "num_key_value_heads": base.KV, "num_local_experts": EXPERTS,
            "output_router_logits": False, "pad_token_id": 199999, "rms_norm_eps": 1e-05,
            "rope_scaling": {"beta_fast": 32.0, "beta_slow": 1.0, "factor": 32.0, "original_max_position_embeddings": 4096,
                             "rope_type": "yarn", "truncate": False},
            "rope_theta": 150000, "router_aux_loss_coef": 0.9, "sliding_window": WINDOW, "swiglu_limit": 7.0,
            "tie_word_embeddings": False, "torch_dtype": "bfloat16", "transformers_version": "4.56.2", "use_cache": True,
            "vocab_size": base.VOCAB,
            "block_configs": [base.block_config(base.KV, EXPERTS) for _ in range(base.LAYERS)]}


original_block_stats = base.block_stats
base.ffn_config, base.attention_params, base.ffn_params = ffn_config, attention_params, ffn_params
base.block_repr, base.block_stats, base.teacher_config = block_repr, block_stats, teacher_config
base.NON_BLOCK_PARAMS = base.VOCAB * H * 2 + H

if __name__ == "__main__":
    base.main()

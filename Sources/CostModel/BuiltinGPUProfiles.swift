// Generated from configs/gpus/*.json (a test keeps the two identical): the built-in GPU
// profiles are embedded so that the binary works outside the repository.

/// The JSON texts of the built-in GPU profiles, byte for byte those in configs/gpus/.
enum BuiltinGPUProfiles {
    static let texts: [(name: String, json: String)] = [
        ("h100-sxm", #"""
{
  "name": "h100-sxm",
  "aliases": [
    "h100",
    "h100-sxm5",
    "h100-80gb"
  ],
  "description": "NVIDIA H100 SXM5 80GB (HBM3, NVLink 4)",
  "interconnect": "nvlink",
  "constants": {
    "memoryBytes": {
      "value": 85520809984,
      "source": "NVIDIA H100 datasheet: 80 GB HBM3; 81,559 MiB as reported by nvidia-smi"
    },
    "hbmBytesPerSecond": {
      "value": 3350000000000.0,
      "source": "NVIDIA H100 datasheet (nvidia.com/en-us/data-center/h100): 3.35 TB/s"
    },
    "bf16FlopsPerSecond": {
      "value": 989400000000000.0,
      "source": "NVIDIA H100 datasheet: BF16 tensor core 1,979 TFLOPS with sparsity, 989.4 dense"
    },
    "fp16FlopsPerSecond": {
      "value": 989400000000000.0,
      "source": "NVIDIA H100 datasheet: FP16 tensor core 989.4 TFLOPS dense"
    },
    "fp8FlopsPerSecond": {
      "value": 1978900000000000.0,
      "source": "NVIDIA H100 datasheet: FP8 tensor core 3,958 TFLOPS with sparsity, 1,979 dense"
    },
    "linkBytesPerSecond": {
      "value": 450000000000.0,
      "source": "NVIDIA H100 datasheet: NVLink 900 GB/s bidirectional, 450 GB/s per direction"
    },
    "allReduceLatencySeconds": {
      "value": 5e-05,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU (TP 2-8 rows): fixed time per all-reduce"
    },
    "allReduceEfficiency": {
      "value": 0.657,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fraction of the per-direction link bandwidth NCCL's ring all-reduce reaches"
    },
    "allReduceOneShotLatencySeconds": {
      "value": 1.29e-05,
      "source": "fit to bench/data/small-batch-latency.csv (bench/fit_cost_model.py --small-batch: 12.9 us; TPOT at concurrency 1 of Llama-3.3-70B TP2 and Llama-3.1-405B/3.3-70B TP8, H100 FP8), shared by every NVLink GPU: fixed time of TensorRT-LLM's one-shot and two-shot all-reduce kernels"
    },
    "allReduceOneShotMaxBytes": {
      "value": 262144,
      "source": "TensorRT-LLM all-reduce strategy table (cpp/tensorrt_llm/common/customAllReduceUtils.h, SM90, TP 8, hidden 8192): the one-shot kernel up to 16 tokens = 16 x 8192 x 2 bytes = 256 KiB"
    },
    "allReduceTwoShotMaxBytes": {
      "value": 2097152,
      "source": "TensorRT-LLM all-reduce strategy table (customAllReduceUtils.h, SM90, hidden 8192): the two-shot kernel (one-shot latency, ring bandwidth) up to 256 tokens at TP 4-8 and 512 at TP 2; capped here at 128 tokens = 2 MiB, above which the fitted ring constants describe the calibration rows (a 4 MiB cap moves the TP 2 128/2048 row from -3% to +13%)"
    },
    "gemmEfficiency": {
      "value": 0.534,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fraction of dense tensor-core peak a large GEMM reaches"
    },
    "gemmHalfTokens": {
      "value": 41,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: tokens per GEMM at which the GEMM reaches half its efficiency"
    },
    "moeGemmEfficiency": {
      "value": 0.74,
      "source": "fit to trtllm-h100-fp8-mistral-mixtral.csv (bench/fit_cost_model.py --free moe: grid minimising median + worst error of the Mixtral rows, dense constants fixed), shared by every GPU: fraction of a dense GEMM's efficiency the grouped per-expert GEMMs of a mixture of experts reach"
    },
    "moeGemmHalfTokens": {
      "value": 80,
      "source": "fit to trtllm-h100-fp8-mistral-mixtral.csv (bench/fit_cost_model.py --free moe: grid minimising median + worst error of the Mixtral rows, dense constants fixed), shared by every GPU: rows per expert at which grouped expert GEMMs reach half their efficiency"
    },
    "hbmEfficiency": {
      "value": 0.9,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU (capped at 0.90, the usual achievable fraction of HBM peak for streaming reads)"
    },
    "attentionDecodeEfficiency": {
      "value": 0.895,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fraction of HBM bandwidth the decode attention kernel reaches reading the KV cache"
    },
    "attentionPrefillEfficiency": {
      "value": 0.8,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU (capped at 0.80): flash-attention fraction of tensor-core peak for long prompts"
    },
    "attentionHalfLengthTokens": {
      "value": 128,
      "source": "assumption: one flash-attention tile (128 tokens); prefill attention efficiency is e * L / (L + 128)"
    },
    "kernelFloorSeconds": {
      "value": 7.4e-06,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fixed time per kernel launch under CUDA graphs"
    },
    "iterationOverheadSeconds": {
      "value": 0.0,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: host/scheduler time per iteration not hidden by overlap (fit: 0)"
    },
    "runtimeReserveBytes": {
      "value": 4617089843,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py --reserve-grid, 4.3 GiB, the other constants held): base reserve (CUDA context, workspaces, graphs) outside the KV pool; the runtime adds maxNumTokens x 2 (d + 3 n/TP) bytes of activations (TensorRT-LLM docs/source/reference/memory.md: activation memory is about max tokens x a constant)"
    },
    "kvCacheMemoryFraction": {
      "value": 0.95,
      "source": "TensorRT-LLM kv_cache_free_gpu_mem_fraction default used by trtllm-bench (perf-overview.md)"
    },
    "maxBatchSize": {
      "value": 4096,
      "source": "trtllm-bench tuning heuristic (bench/build/tuning.py): batch capped at 4096"
    },
    "maxNumTokens": {
      "value": 32768,
      "source": "trtllm-bench tuning heuristic: tokens per iteration capped at 32768"
    }
  }
}
"""#),
        ("h200", #"""
{
  "name": "h200",
  "aliases": [
    "h200-sxm",
    "h200-141gb"
  ],
  "description": "NVIDIA H200 SXM 141GB (HBM3e, NVLink 4)",
  "interconnect": "nvlink",
  "constants": {
    "memoryBytes": {
      "value": 150754820096,
      "source": "NVIDIA H200 datasheet: 141 GB HBM3e; 143,771 MiB as reported by nvidia-smi"
    },
    "hbmBytesPerSecond": {
      "value": 4800000000000.0,
      "source": "NVIDIA H200 datasheet (nvidia.com/en-us/data-center/h200): 4.8 TB/s"
    },
    "bf16FlopsPerSecond": {
      "value": 989400000000000.0,
      "source": "NVIDIA H200 datasheet: BF16 1,979 TFLOPS with sparsity, 989.4 dense"
    },
    "fp16FlopsPerSecond": {
      "value": 989400000000000.0,
      "source": "NVIDIA H200 datasheet: FP16 989.4 TFLOPS dense"
    },
    "fp8FlopsPerSecond": {
      "value": 1978900000000000.0,
      "source": "NVIDIA H200 datasheet: FP8 3,958 TFLOPS with sparsity, 1,979 dense"
    },
    "linkBytesPerSecond": {
      "value": 450000000000.0,
      "source": "NVIDIA H200 datasheet: NVLink 900 GB/s bidirectional, 450 GB/s per direction"
    },
    "allReduceLatencySeconds": {
      "value": 5e-05,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU (TP 2-8 rows): fixed time per all-reduce"
    },
    "allReduceEfficiency": {
      "value": 0.657,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fraction of the per-direction link bandwidth NCCL's ring all-reduce reaches"
    },
    "allReduceOneShotLatencySeconds": {
      "value": 1.29e-05,
      "source": "fit to bench/data/small-batch-latency.csv (bench/fit_cost_model.py --small-batch: 12.9 us; TPOT at concurrency 1 of Llama-3.3-70B TP2 and Llama-3.1-405B/3.3-70B TP8, H100 FP8), shared by every NVLink GPU: fixed time of TensorRT-LLM's one-shot and two-shot all-reduce kernels"
    },
    "allReduceOneShotMaxBytes": {
      "value": 262144,
      "source": "TensorRT-LLM all-reduce strategy table (cpp/tensorrt_llm/common/customAllReduceUtils.h, SM90, TP 8, hidden 8192): the one-shot kernel up to 16 tokens = 16 x 8192 x 2 bytes = 256 KiB"
    },
    "allReduceTwoShotMaxBytes": {
      "value": 2097152,
      "source": "TensorRT-LLM all-reduce strategy table (customAllReduceUtils.h, SM90, hidden 8192): the two-shot kernel (one-shot latency, ring bandwidth) up to 256 tokens at TP 4-8 and 512 at TP 2; capped here at 128 tokens = 2 MiB, above which the fitted ring constants describe the calibration rows (a 4 MiB cap moves the TP 2 128/2048 row from -3% to +13%)"
    },
    "gemmEfficiency": {
      "value": 0.534,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fraction of dense tensor-core peak a large GEMM reaches"
    },
    "gemmHalfTokens": {
      "value": 41,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: tokens per GEMM at which the GEMM reaches half its efficiency"
    },
    "moeGemmEfficiency": {
      "value": 0.74,
      "source": "fit to trtllm-h100-fp8-mistral-mixtral.csv (bench/fit_cost_model.py --free moe: grid minimising median + worst error of the Mixtral rows, dense constants fixed), shared by every GPU: fraction of a dense GEMM's efficiency the grouped per-expert GEMMs of a mixture of experts reach"
    },
    "moeGemmHalfTokens": {
      "value": 80,
      "source": "fit to trtllm-h100-fp8-mistral-mixtral.csv (bench/fit_cost_model.py --free moe: grid minimising median + worst error of the Mixtral rows, dense constants fixed), shared by every GPU: rows per expert at which grouped expert GEMMs reach half their efficiency"
    },
    "hbmEfficiency": {
      "value": 0.9,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU (capped at 0.90, the usual achievable fraction of HBM peak for streaming reads)"
    },
    "attentionDecodeEfficiency": {
      "value": 0.895,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fraction of HBM bandwidth the decode attention kernel reaches reading the KV cache"
    },
    "attentionPrefillEfficiency": {
      "value": 0.8,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU (capped at 0.80): flash-attention fraction of tensor-core peak for long prompts"
    },
    "attentionHalfLengthTokens": {
      "value": 128,
      "source": "assumption: one flash-attention tile (128 tokens); prefill attention efficiency is e * L / (L + 128)"
    },
    "kernelFloorSeconds": {
      "value": 7.4e-06,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fixed time per kernel launch under CUDA graphs"
    },
    "iterationOverheadSeconds": {
      "value": 0.0,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: host/scheduler time per iteration not hidden by overlap (fit: 0)"
    },
    "runtimeReserveBytes": {
      "value": 4617089843,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py --reserve-grid, 4.3 GiB, the other constants held): base reserve (CUDA context, workspaces, graphs) outside the KV pool; the runtime adds maxNumTokens x 2 (d + 3 n/TP) bytes of activations (TensorRT-LLM docs/source/reference/memory.md: activation memory is about max tokens x a constant)"
    },
    "kvCacheMemoryFraction": {
      "value": 0.95,
      "source": "TensorRT-LLM kv_cache_free_gpu_mem_fraction default used by trtllm-bench (perf-overview.md)"
    },
    "maxBatchSize": {
      "value": 4096,
      "source": "trtllm-bench tuning heuristic (bench/build/tuning.py): batch capped at 4096"
    },
    "maxNumTokens": {
      "value": 32768,
      "source": "trtllm-bench tuning heuristic: tokens per iteration capped at 32768"
    }
  }
}
"""#),
        ("a100-80gb", #"""
{
  "name": "a100-80gb",
  "aliases": [
    "a100",
    "a100-sxm",
    "a100-sxm4-80gb"
  ],
  "description": "NVIDIA A100 SXM4 80GB (HBM2e, NVLink 3); no FP8 tensor cores",
  "interconnect": "nvlink",
  "constants": {
    "memoryBytes": {
      "value": 85899345920,
      "source": "NVIDIA A100 datasheet: 80 GB HBM2e; 81,920 MiB as reported by nvidia-smi"
    },
    "hbmBytesPerSecond": {
      "value": 2039000000000.0,
      "source": "NVIDIA A100 datasheet (nvidia.com/en-us/data-center/a100): 2,039 GB/s (80GB SXM)"
    },
    "bf16FlopsPerSecond": {
      "value": 312000000000000.0,
      "source": "NVIDIA A100 datasheet: BF16 tensor core 312 TFLOPS dense"
    },
    "fp16FlopsPerSecond": {
      "value": 312000000000000.0,
      "source": "NVIDIA A100 datasheet: FP16 tensor core 312 TFLOPS dense"
    },
    "linkBytesPerSecond": {
      "value": 300000000000.0,
      "source": "NVIDIA A100 datasheet: NVLink 600 GB/s bidirectional, 300 GB/s per direction"
    },
    "allReduceLatencySeconds": {
      "value": 5e-05,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU (TP 2-8 rows): fixed time per all-reduce"
    },
    "allReduceEfficiency": {
      "value": 0.657,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fraction of the per-direction link bandwidth NCCL's ring all-reduce reaches"
    },
    "allReduceOneShotLatencySeconds": {
      "value": 1.29e-05,
      "source": "fit to bench/data/small-batch-latency.csv (bench/fit_cost_model.py --small-batch: 12.9 us; TPOT at concurrency 1 of Llama-3.3-70B TP2 and Llama-3.1-405B/3.3-70B TP8, H100 FP8), shared by every NVLink GPU: fixed time of TensorRT-LLM's one-shot and two-shot all-reduce kernels"
    },
    "allReduceOneShotMaxBytes": {
      "value": 262144,
      "source": "TensorRT-LLM all-reduce strategy table (cpp/tensorrt_llm/common/customAllReduceUtils.h, SM90, TP 8, hidden 8192): the one-shot kernel up to 16 tokens = 16 x 8192 x 2 bytes = 256 KiB"
    },
    "allReduceTwoShotMaxBytes": {
      "value": 2097152,
      "source": "TensorRT-LLM all-reduce strategy table (customAllReduceUtils.h, SM90, hidden 8192): the two-shot kernel (one-shot latency, ring bandwidth) up to 256 tokens at TP 4-8 and 512 at TP 2; capped here at 128 tokens = 2 MiB, above which the fitted ring constants describe the calibration rows (a 4 MiB cap moves the TP 2 128/2048 row from -3% to +13%)"
    },
    "gemmEfficiency": {
      "value": 0.534,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fraction of dense tensor-core peak a large GEMM reaches"
    },
    "gemmHalfTokens": {
      "value": 41,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: tokens per GEMM at which the GEMM reaches half its efficiency"
    },
    "moeGemmEfficiency": {
      "value": 0.74,
      "source": "fit to trtllm-h100-fp8-mistral-mixtral.csv (bench/fit_cost_model.py --free moe: grid minimising median + worst error of the Mixtral rows, dense constants fixed), shared by every GPU: fraction of a dense GEMM's efficiency the grouped per-expert GEMMs of a mixture of experts reach"
    },
    "moeGemmHalfTokens": {
      "value": 80,
      "source": "fit to trtllm-h100-fp8-mistral-mixtral.csv (bench/fit_cost_model.py --free moe: grid minimising median + worst error of the Mixtral rows, dense constants fixed), shared by every GPU: rows per expert at which grouped expert GEMMs reach half their efficiency"
    },
    "hbmEfficiency": {
      "value": 0.9,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU (capped at 0.90, the usual achievable fraction of HBM peak for streaming reads)"
    },
    "attentionDecodeEfficiency": {
      "value": 0.895,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fraction of HBM bandwidth the decode attention kernel reaches reading the KV cache"
    },
    "attentionPrefillEfficiency": {
      "value": 0.8,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU (capped at 0.80): flash-attention fraction of tensor-core peak for long prompts"
    },
    "attentionHalfLengthTokens": {
      "value": 128,
      "source": "assumption: one flash-attention tile (128 tokens); prefill attention efficiency is e * L / (L + 128)"
    },
    "kernelFloorSeconds": {
      "value": 7.4e-06,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fixed time per kernel launch under CUDA graphs"
    },
    "iterationOverheadSeconds": {
      "value": 0.0,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: host/scheduler time per iteration not hidden by overlap (fit: 0)"
    },
    "runtimeReserveBytes": {
      "value": 4617089843,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py --reserve-grid, 4.3 GiB, the other constants held): base reserve (CUDA context, workspaces, graphs) outside the KV pool; the runtime adds maxNumTokens x 2 (d + 3 n/TP) bytes of activations (TensorRT-LLM docs/source/reference/memory.md: activation memory is about max tokens x a constant)"
    },
    "kvCacheMemoryFraction": {
      "value": 0.95,
      "source": "TensorRT-LLM kv_cache_free_gpu_mem_fraction default used by trtllm-bench (perf-overview.md)"
    },
    "maxBatchSize": {
      "value": 4096,
      "source": "trtllm-bench tuning heuristic (bench/build/tuning.py): batch capped at 4096"
    },
    "maxNumTokens": {
      "value": 32768,
      "source": "trtllm-bench tuning heuristic: tokens per iteration capped at 32768"
    }
  }
}
"""#),
        ("l40s", #"""
{
  "name": "l40s",
  "aliases": [
    "l40s-48gb"
  ],
  "description": "NVIDIA L40S 48GB (GDDR6, PCIe Gen4, no NVLink)",
  "interconnect": "pcie",
  "constants": {
    "memoryBytes": {
      "value": 48305799168,
      "source": "NVIDIA L40S datasheet: 48 GB GDDR6 with ECC; 46,068 MiB as reported by nvidia-smi"
    },
    "hbmBytesPerSecond": {
      "value": 864000000000.0,
      "source": "NVIDIA L40S datasheet (nvidia.com/en-us/data-center/l40s): 864 GB/s"
    },
    "bf16FlopsPerSecond": {
      "value": 362050000000000.0,
      "source": "NVIDIA L40S datasheet: BF16 tensor 733 TFLOPS with sparsity, 362.05 dense"
    },
    "fp16FlopsPerSecond": {
      "value": 362050000000000.0,
      "source": "NVIDIA L40S datasheet: FP16 tensor 362.05 TFLOPS dense"
    },
    "fp8FlopsPerSecond": {
      "value": 733000000000000.0,
      "source": "NVIDIA L40S datasheet: FP8 tensor 1,466 TFLOPS with sparsity, 733 dense"
    },
    "linkBytesPerSecond": {
      "value": 32000000000.0,
      "source": "PCIe Gen4 x16 (L40S datasheet): 64 GB/s bidirectional, 32 GB/s per direction"
    },
    "allReduceLatencySeconds": {
      "value": 0.0001,
      "source": "assumption: 2x the NVLink fit, PCIe peer-to-peer through the host bridge has about twice NCCL's NVLink latency"
    },
    "allReduceEfficiency": {
      "value": 0.657,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU (same fraction applied to PCIe)"
    },
    "allReduceOneShotLatencySeconds": {
      "value": 2.58e-05,
      "source": "assumption: 2x the NVLink one-shot fit (bench/data/small-batch-latency.csv), as for the ring latency over PCIe"
    },
    "allReduceOneShotMaxBytes": {
      "value": 262144,
      "source": "TensorRT-LLM all-reduce strategy table (cpp/tensorrt_llm/common/customAllReduceUtils.h, SM90, TP 8, hidden 8192): the one-shot kernel up to 16 tokens = 16 x 8192 x 2 bytes = 256 KiB"
    },
    "allReduceTwoShotMaxBytes": {
      "value": 2097152,
      "source": "TensorRT-LLM all-reduce strategy table (customAllReduceUtils.h, SM90, hidden 8192): the two-shot kernel (one-shot latency, ring bandwidth) up to 256 tokens at TP 4-8 and 512 at TP 2; capped here at 128 tokens = 2 MiB, above which the fitted ring constants describe the calibration rows (a 4 MiB cap moves the TP 2 128/2048 row from -3% to +13%)"
    },
    "gemmEfficiency": {
      "value": 0.534,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fraction of dense tensor-core peak a large GEMM reaches"
    },
    "gemmHalfTokens": {
      "value": 41,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: tokens per GEMM at which the GEMM reaches half its efficiency"
    },
    "moeGemmEfficiency": {
      "value": 0.74,
      "source": "fit to trtllm-h100-fp8-mistral-mixtral.csv (bench/fit_cost_model.py --free moe: grid minimising median + worst error of the Mixtral rows, dense constants fixed), shared by every GPU: fraction of a dense GEMM's efficiency the grouped per-expert GEMMs of a mixture of experts reach"
    },
    "moeGemmHalfTokens": {
      "value": 80,
      "source": "fit to trtllm-h100-fp8-mistral-mixtral.csv (bench/fit_cost_model.py --free moe: grid minimising median + worst error of the Mixtral rows, dense constants fixed), shared by every GPU: rows per expert at which grouped expert GEMMs reach half their efficiency"
    },
    "hbmEfficiency": {
      "value": 0.9,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU (capped at 0.90, the usual achievable fraction of HBM peak for streaming reads)"
    },
    "attentionDecodeEfficiency": {
      "value": 0.895,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fraction of HBM bandwidth the decode attention kernel reaches reading the KV cache"
    },
    "attentionPrefillEfficiency": {
      "value": 0.8,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU (capped at 0.80): flash-attention fraction of tensor-core peak for long prompts"
    },
    "attentionHalfLengthTokens": {
      "value": 128,
      "source": "assumption: one flash-attention tile (128 tokens); prefill attention efficiency is e * L / (L + 128)"
    },
    "kernelFloorSeconds": {
      "value": 7.4e-06,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fixed time per kernel launch under CUDA graphs"
    },
    "iterationOverheadSeconds": {
      "value": 0.0,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: host/scheduler time per iteration not hidden by overlap (fit: 0)"
    },
    "runtimeReserveBytes": {
      "value": 4617089843,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py --reserve-grid, 4.3 GiB, the other constants held): base reserve (CUDA context, workspaces, graphs) outside the KV pool; the runtime adds maxNumTokens x 2 (d + 3 n/TP) bytes of activations (TensorRT-LLM docs/source/reference/memory.md: activation memory is about max tokens x a constant)"
    },
    "kvCacheMemoryFraction": {
      "value": 0.95,
      "source": "TensorRT-LLM kv_cache_free_gpu_mem_fraction default used by trtllm-bench (perf-overview.md)"
    },
    "maxBatchSize": {
      "value": 4096,
      "source": "trtllm-bench tuning heuristic (bench/build/tuning.py): batch capped at 4096"
    },
    "maxNumTokens": {
      "value": 32768,
      "source": "trtllm-bench tuning heuristic: tokens per iteration capped at 32768"
    }
  }
}
"""#),
        ("b200", #"""
{
  "name": "b200",
  "aliases": [
    "b200-sxm",
    "hgx-b200"
  ],
  "description": "NVIDIA B200 180GB (HBM3e, NVLink 5), HGX B200",
  "interconnect": "nvlink",
  "constants": {
    "memoryBytes": {
      "value": 193273528320,
      "source": "NVIDIA DGX B200 datasheet: 1,440 GB HBM3e over 8 GPUs = 180 GB per GPU (about 184,320 MiB usable taken as 180 GiB)"
    },
    "hbmBytesPerSecond": {
      "value": 7700000000000.0,
      "source": "NVIDIA HGX B200 datasheet (nvidia.com/en-us/data-center/hgx): 62 TB/s over 8 GPUs = 7.7 TB/s"
    },
    "bf16FlopsPerSecond": {
      "value": 2250000000000000.0,
      "source": "NVIDIA HGX B200 datasheet: FP16/BF16 tensor 4.5 PFLOPS with sparsity, 2.25 dense"
    },
    "fp16FlopsPerSecond": {
      "value": 2250000000000000.0,
      "source": "NVIDIA HGX B200 datasheet: FP16 tensor 2.25 PFLOPS dense"
    },
    "fp8FlopsPerSecond": {
      "value": 4500000000000000.0,
      "source": "NVIDIA HGX B200 datasheet: FP8 tensor 9 PFLOPS with sparsity, 4.5 dense"
    },
    "linkBytesPerSecond": {
      "value": 900000000000.0,
      "source": "NVIDIA HGX B200 datasheet: NVLink 5 1.8 TB/s bidirectional, 900 GB/s per direction"
    },
    "allReduceLatencySeconds": {
      "value": 5e-05,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU (TP 2-8 rows): fixed time per all-reduce"
    },
    "allReduceEfficiency": {
      "value": 0.657,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fraction of the per-direction link bandwidth NCCL's ring all-reduce reaches"
    },
    "allReduceOneShotLatencySeconds": {
      "value": 1.29e-05,
      "source": "fit to bench/data/small-batch-latency.csv (bench/fit_cost_model.py --small-batch: 12.9 us; TPOT at concurrency 1 of Llama-3.3-70B TP2 and Llama-3.1-405B/3.3-70B TP8, H100 FP8), shared by every NVLink GPU: fixed time of TensorRT-LLM's one-shot and two-shot all-reduce kernels"
    },
    "allReduceOneShotMaxBytes": {
      "value": 262144,
      "source": "TensorRT-LLM all-reduce strategy table (cpp/tensorrt_llm/common/customAllReduceUtils.h, SM90, TP 8, hidden 8192): the one-shot kernel up to 16 tokens = 16 x 8192 x 2 bytes = 256 KiB"
    },
    "allReduceTwoShotMaxBytes": {
      "value": 2097152,
      "source": "TensorRT-LLM all-reduce strategy table (customAllReduceUtils.h, SM90, hidden 8192): the two-shot kernel (one-shot latency, ring bandwidth) up to 256 tokens at TP 4-8 and 512 at TP 2; capped here at 128 tokens = 2 MiB, above which the fitted ring constants describe the calibration rows (a 4 MiB cap moves the TP 2 128/2048 row from -3% to +13%)"
    },
    "gemmEfficiency": {
      "value": 0.534,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fraction of dense tensor-core peak a large GEMM reaches"
    },
    "gemmHalfTokens": {
      "value": 41,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: tokens per GEMM at which the GEMM reaches half its efficiency"
    },
    "moeGemmEfficiency": {
      "value": 0.74,
      "source": "fit to trtllm-h100-fp8-mistral-mixtral.csv (bench/fit_cost_model.py --free moe: grid minimising median + worst error of the Mixtral rows, dense constants fixed), shared by every GPU: fraction of a dense GEMM's efficiency the grouped per-expert GEMMs of a mixture of experts reach"
    },
    "moeGemmHalfTokens": {
      "value": 80,
      "source": "fit to trtllm-h100-fp8-mistral-mixtral.csv (bench/fit_cost_model.py --free moe: grid minimising median + worst error of the Mixtral rows, dense constants fixed), shared by every GPU: rows per expert at which grouped expert GEMMs reach half their efficiency"
    },
    "hbmEfficiency": {
      "value": 0.9,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU (capped at 0.90, the usual achievable fraction of HBM peak for streaming reads)"
    },
    "attentionDecodeEfficiency": {
      "value": 0.895,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fraction of HBM bandwidth the decode attention kernel reaches reading the KV cache"
    },
    "attentionPrefillEfficiency": {
      "value": 0.8,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU (capped at 0.80): flash-attention fraction of tensor-core peak for long prompts"
    },
    "attentionHalfLengthTokens": {
      "value": 128,
      "source": "assumption: one flash-attention tile (128 tokens); prefill attention efficiency is e * L / (L + 128)"
    },
    "kernelFloorSeconds": {
      "value": 7.4e-06,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: fixed time per kernel launch under CUDA graphs"
    },
    "iterationOverheadSeconds": {
      "value": 0.0,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py), shared by every GPU: host/scheduler time per iteration not hidden by overlap (fit: 0)"
    },
    "runtimeReserveBytes": {
      "value": 4617089843,
      "source": "fit to trtllm-h100-fp8.csv (bench/fit_cost_model.py --reserve-grid, 4.3 GiB, the other constants held): base reserve (CUDA context, workspaces, graphs) outside the KV pool; the runtime adds maxNumTokens x 2 (d + 3 n/TP) bytes of activations (TensorRT-LLM docs/source/reference/memory.md: activation memory is about max tokens x a constant)"
    },
    "kvCacheMemoryFraction": {
      "value": 0.95,
      "source": "TensorRT-LLM kv_cache_free_gpu_mem_fraction default used by trtllm-bench (perf-overview.md)"
    },
    "maxBatchSize": {
      "value": 4096,
      "source": "trtllm-bench tuning heuristic (bench/build/tuning.py): batch capped at 4096"
    },
    "maxNumTokens": {
      "value": 32768,
      "source": "trtllm-bench tuning heuristic: tokens per iteration capped at 32768"
    }
  }
}
"""#),
    ]
}

public enum BuiltinGPUProfileText {
    public static func text(_ name: String) -> String? {
        BuiltinGPUProfiles.texts.first { $0.name == name }?.json
    }
}

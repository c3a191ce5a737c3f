"""Would ONNX Runtime run the encoder faster than torch? The bare encoder (no heads, no rules) on
the windows of the benchmark documents, in torch and in onnxruntime, one run.

    python -m lawie.train.ort_probe [--model DIR] [--docs FILE|DIR] [--threads 2] [--repeat 3]

onnxruntime and onnx are not dependencies of lawie (`pip install onnxruntime onnx`). The encoder
is exported twice (opset 17): as lawie's own CharBert, whose attention is
`scaled_dot_product_attention`, and as transformers' BertModel with eager attention loaded with
the same weights, the graph ORT's BERT optimizer fuses (Attention, SkipLayerNormalization,
BiasGelu). Each export runs plain, optimizer-fused, and as dynamic int8 with per-channel weights
(no smoothing: see `lawie quantize` for why that matters). Printed as JSON: characters per second
of each variant (best of --repeat passes over the windows, batches of 8) and the largest
difference of its hidden states from torch float32 on real (not padding) positions.
The model card's "ONNX Runtime, measured and not used" comes from this command.
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch


def window_batches(runtime, texts: list[str], batch_size: int = 8) -> list[tuple]:
    """(ids, mask) int64 arrays of the model's windows over ``texts``, as the runtime plans and
    encodes them (``Runtime.batch_ids``)."""
    from lawie.infer.runtime import plan_windows
    wins = [t[s:e] for t in texts for s, e, _, _ in plan_windows(len(t), runtime.length,
                                                                 runtime.stride)]
    out = []
    for k in range(0, len(wins), batch_size):
        ids, mask = runtime.batch_ids(wins[k:k + batch_size])
        out.append((ids.numpy(), mask.numpy()))
    return out


def as_bert(encoder):
    """transformers' BertModel (eager attention, no pooler) with the weights of a CharBert."""
    from transformers import BertConfig, BertModel
    cfg = BertConfig(**encoder.config.to_dict())
    cfg._attn_implementation = "eager"
    bert = BertModel(cfg, add_pooling_layer=False)
    bert.load_state_dict(encoder.state_dict(), strict=True)
    return bert.eval()


class _Bert(torch.nn.Module):
    def __init__(self, bert):
        super().__init__()
        self.bert = bert

    def forward(self, ids, mask):
        return self.bert(input_ids=ids, attention_mask=mask,
                         token_type_ids=torch.zeros_like(ids)).last_hidden_state


class _CharBert(torch.nn.Module):
    def __init__(self, enc):
        super().__init__()
        self.enc = enc

    def forward(self, ids, mask):          # the mask always applied (one graph for any batch)
        x = self.enc.embeddings(ids)
        m = mask.bool()[:, None, None, :]
        for layer in self.enc.encoder.layer:
            x = layer(x, m)
        return x


def _best(fn, repeat: int) -> float:
    fn()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _max_diff(outs, refs, batches) -> float:
    return max(float(np.abs(o - r)[m.astype(bool)].max())
               for o, r, (_, m) in zip(outs, refs, batches))


def probe(model_dir=None, docs=None, threads: int = 2, repeat: int = 3) -> dict:
    import onnx
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers import optimizer

    from lawie.infer.bench import load_bench_docs
    from lawie.infer.runtime import Runtime
    torch.set_num_threads(threads)
    rt = Runtime.load(model_dir or Path(__file__).resolve().parents[1] / "models" / "lawie-small",
                      precision="float32")
    enc = rt.model.encoder.eval()
    texts = load_bench_docs(docs)
    batches = window_batches(rt, texts)
    chars = sum(len(t) for t in texts)
    tensors = [(torch.as_tensor(i), torch.as_tensor(m)) for i, m in batches]
    with torch.inference_mode():
        refs = [enc(i, m).numpy() for i, m in tensors]
    result = {"characters": chars, "windows": sum(len(i) for i, _ in batches),
              "threads": threads, "onnxruntime": ort.__version__, "variants": {}}
    rows = result["variants"]

    def torch_run(module):
        def run():
            with torch.inference_mode():
                return [module(i, m).float().numpy() for i, m in tensors]
        return run

    rows["torch float32"] = {"chars_per_s": round(chars / _best(torch_run(enc), repeat))}
    bf16 = copy.deepcopy(enc).to(torch.bfloat16)
    rows["torch bfloat16"] = {"chars_per_s": round(chars / _best(torch_run(bf16), repeat)),
                              "max_abs_diff": _max_diff(torch_run(bf16)(), refs, batches)}
    so = ort.SessionOptions()
    so.intra_op_num_threads, so.inter_op_num_threads = threads, 1
    cfg = enc.config
    with tempfile.TemporaryDirectory() as tmp:
        for name, module in (("charbert", _CharBert(enc)), ("bert", _Bert(as_bert(enc)))):
            plain = str(Path(tmp) / f"{name}.onnx")
            torch.onnx.export(module.eval(), tensors[0], plain, input_names=["ids", "mask"],
                              output_names=["hidden"], opset_version=17, dynamo=False,
                              dynamic_axes={k: {0: "b", 1: "t"} for k in ("ids", "mask", "hidden")})
            opt = optimizer.optimize_model(plain, model_type="bert",
                                           num_heads=cfg.num_attention_heads,
                                           hidden_size=cfg.hidden_size)
            fused = str(Path(tmp) / f"{name}_fused.onnx")
            opt.save_model_to_file(fused)
            int8 = str(Path(tmp) / f"{name}_int8.onnx")
            quantize_dynamic(fused, int8, weight_type=QuantType.QInt8, per_channel=True,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
            fused_ops = {k: v for k, v in opt.get_fused_operator_statistics().items() if v}
            for label, path in (("float32", plain), ("float32 fused", fused),
                                ("int8 dynamic per-channel", int8)):
                sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])

                def run(sess=sess):
                    return [sess.run(None, {"ids": i, "mask": m})[0] for i, m in batches]
                rows[f"ort {label} ({name} export)"] = {
                    "chars_per_s": round(chars / _best(run, repeat)),
                    "max_abs_diff": _max_diff(run(), refs, batches)}
            rows[f"ort float32 fused ({name} export)"]["fused_ops"] = fused_ops
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lawie.train.ort_probe", description=__doc__.split(
        "\n")[0])
    ap.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    ap.add_argument("--docs", default=None, help="benchmark documents (default: lawie bench's)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        print("lawie.train.ort_probe: needs onnxruntime and onnx, which lawie does not depend on: "
              "pip install onnxruntime onnx", file=sys.stderr)
        return 2
    from lawie.infer.api import LawieError
    try:
        print(json.dumps(probe(args.model, args.docs, args.threads, args.repeat),
                         ensure_ascii=False, indent=1))
    except LawieError as e:
        print(f"lawie.train.ort_probe: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

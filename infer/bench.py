"""`lawie bench`: speed and memory of the extractor on a fixed set of documents, and in the same run,
on the same windows, the bare encoder forward (the limit) and the plain transformers
`pipeline("token-classification")` over the same weights (what a user would otherwise write).

Figures are wall-clock on this machine; run it on an idle machine. Keys of the JSON result:
chars_per_s, encoder_only_chars_per_s, hf_pipeline_chars_per_s, p50_ms, p95_ms, peak_rss_mb, load_s.
"""
from __future__ import annotations

import json
import resource
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DOCS = REPO / "corpus" / "seeds"


def load_bench_docs(path=None) -> list[str]:
    from lawie.infer.api import LawieError
    p = Path(path) if path else DEFAULT_DOCS
    if not p.exists():
        raise LawieError(f"{p}: no such file or directory (pass --docs FILE|DIR)")
    files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in (".txt", ".jsonl")) \
        if p.is_dir() else [p]
    texts = []
    for f in files:
        try:
            raw = f.read_text(encoding="utf-8")
            if f.suffix == ".jsonl":
                texts += [json.loads(line)["text"] for line in raw.split("\n") if line.strip()]
            else:
                texts.append(raw)
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as e:
            raise LawieError(f"{f}: cannot read a benchmark document ({type(e).__name__}: {e})")
    texts = [t for t in texts if t.strip()]
    if not texts:
        raise LawieError(f"{p}: no documents to benchmark")
    return texts


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _hf_pipeline(runtime, model_dir=None):
    """transformers' token-classification pipeline over the same encoder + NER head weights (in
    float32: read again from `model_dir` when the runtime's model is int8), with a character-level
    fast tokenizer over the same vocabulary."""
    from tokenizers import Regex, Tokenizer, models, pre_tokenizers
    from transformers import BertConfig, BertForTokenClassification, PreTrainedTokenizerFast, pipeline

    model = runtime.model
    if runtime.quantized:
        from lawie.infer.model import LawieModel
        model = LawieModel.from_dir(Path(model_dir), device="cpu")
    vocab = model.vocab
    tok = Tokenizer(models.WordLevel({t: i for i, t in enumerate(vocab.tokens)},
                                     unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Split(Regex("."), behavior="isolated")
    from tokenizers.processors import TemplateProcessing
    tok.post_processor = TemplateProcessing(single="[CLS] $A [SEP]",
                                            special_tokens=[("[CLS]", vocab.cls_id),
                                                            ("[SEP]", vocab.sep_id)])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]",
                                   cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]",
                                   model_max_length=runtime.max_len)
    cfg = BertConfig.from_dict(model.encoder.config.to_dict())
    cfg.num_labels = len(model.tags)
    cfg.id2label = dict(enumerate(model.tags))
    cfg.label2id = {t: i for i, t in enumerate(model.tags)}
    hf = BertForTokenClassification(cfg)
    hf.bert.load_state_dict(model.encoder.state_dict(), strict=False)
    hf.classifier.load_state_dict(model.ner_head.state_dict())
    hf.eval()
    return pipeline("token-classification", model=hf, tokenizer=fast, device=-1,
                    aggregation_strategy="simple",
                    stride=runtime.length - runtime.stride)   # HF's stride is the overlap


def run_bench(model=None, docs=None, repeat: int = 3, threads: int | None = None,
              with_pipeline: bool = True, quantize: bool = False, precision: str = "auto") -> dict:
    texts = load_bench_docs(docs)
    n_chars = sum(len(t) for t in texts)

    # load time as a user meets it: importing the runtime (torch; transformers is not needed) and
    # reading the model
    t0 = time.perf_counter()
    import torch

    from lawie.infer.api import Extractor
    if threads:
        torch.set_num_threads(threads)
    ex = Extractor.load(model, quantize=quantize, precision=precision)
    load_s = time.perf_counter() - t0

    from lawie.infer.clean import clean
    from lawie.infer.runtime import plan_windows
    rt = ex.runtime
    ex.extract(texts[0][:200])                                  # warm-up

    per_doc, total = [], 0.0
    for _ in range(repeat):
        for t in texts:
            t1 = time.perf_counter()
            ex.extract(t)
            dt = time.perf_counter() - t1
            per_doc.append(dt * 1000)
            total += dt
    chars_per_s = n_chars * repeat / total

    # the bare encoder on exactly the windows the runtime reads
    windows = []
    for t in texts:
        c = clean(t).text
        windows += [c[s:e] for s, e, _, _ in plan_windows(len(c), rt.length, rt.stride)]
    bs = 8
    with torch.inference_mode():
        t1 = time.perf_counter()
        for _ in range(repeat):
            for k in range(0, len(windows), bs):
                rt._encode_batch(windows[k:k + bs])
        enc_s = time.perf_counter() - t1
    encoder_cps = n_chars * repeat / enc_s

    result = {
        "documents": len(texts), "characters": n_chars, "repeat": repeat,
        "threads": torch.get_num_threads(), "model": str(ex.model_dir), "int8": quantize,
        "encoder_dtype": str(ex.runtime.encoder_dtype).replace("torch.", ""),
        "chars_per_s": round(chars_per_s, 1),
        "encoder_only_chars_per_s": round(encoder_cps, 1),
        "hf_pipeline_chars_per_s": None,
        "p50_ms": round(statistics.median(per_doc), 2),
        "p95_ms": round(sorted(per_doc)[max(0, int(round(0.95 * len(per_doc))) - 1)], 2),
        "load_s": round(load_s, 3),
    }
    if with_pipeline:
        pipe = _hf_pipeline(rt, ex.model_dir)
        cleaned = [clean(t).text for t in texts]
        pipe(cleaned[0][:200])
        t1 = time.perf_counter()
        for _ in range(repeat):
            for c in cleaned:
                pipe(c)
        hf_s = time.perf_counter() - t1
        result["hf_pipeline_chars_per_s"] = round(n_chars * repeat / hf_s, 1)
        result["speedup_vs_hf_pipeline"] = round(chars_per_s / result["hf_pipeline_chars_per_s"], 2)
    result["share_of_encoder_speed"] = round(chars_per_s / encoder_cps, 3)
    result["peak_rss_mb"] = round(_peak_rss_mb(), 1)
    return result

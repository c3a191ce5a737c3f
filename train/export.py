"""Export a lawie model for other tools: `lawie export --format transformers DIR`.

    export_transformers(model_dir, out_dir) -> Path

writes a directory that transformers loads as it is:

    config.json, model.safetensors   BertForTokenClassification: the lawie encoder and NER head,
                                     id2label = the model's BIO tags
    tokenizer.json, tokenizer_config.json
                                     a character-level fast tokenizer: one id per character from
                                     the model's chars.txt (any whitespace -> "▁", other unknown
                                     characters -> [UNK]), [CLS] ... [SEP] around it; exactly the
                                     ids lawie feeds its encoder (lawie.infer.encode.CharVocab)
    relation_head.safetensors, relation_head.json
                                     the relation head's weights and how to feed them
    chars.txt, lawie_config.json     the model's vocabulary and full lawie config
    README.md                        what transformers can and cannot run from it

The directory is also a complete record of the lawie model: `LawieModel` weights are the
encoder (bert.*), classifier (ner_head) and relation_head tensors together.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

FORMATS = ("transformers",)
# lawie key prefix -> transformers BertForTokenClassification key prefix
_RENAME = (("encoder.embeddings.", "bert.embeddings."), ("encoder.encoder.", "bert.encoder."),
           ("ner_head.", "classifier."))
_RELATION_KEYS = ("dist_emb.", "type_emb.", "rel_mlp.")


class ExportError(ValueError):
    """An export that cannot be written; the message names the input."""


def whitespace_class() -> str:
    """A regex character class of every character Python's str.isspace() is true for (what
    CharVocab maps to the whitespace entry)."""
    chars = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in chars) + "]"


def char_tokenizer(vocab, max_len: int):
    """A transformers fast tokenizer that gives CharVocab's ids: one token per character."""
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    from lawie.infer.encode import WHITESPACE_TOKEN

    ids = {tok: i for i, tok in enumerate(vocab.tokens)}
    tk = Tokenizer(models.WordLevel(ids, unk_token="[UNK]"))
    tk.normalizer = normalizers.Replace(Regex(whitespace_class()), WHITESPACE_TOKEN)
    # every character its own piece ("." never meets a newline: whitespace is "▁" by now)
    tk.pre_tokenizer = pre_tokenizers.Split(Regex("."), behavior="isolated")
    tk.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab.cls_id), ("[SEP]", vocab.sep_id)])
    return PreTrainedTokenizerFast(
        tokenizer_object=tk, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]", model_max_length=max_len,
        split_special_tokens=True, clean_up_tokenization_spaces=False)


def _readme(model_dir, cfg: dict, tags: list, rel: dict) -> str:
    n = cfg["max_len"]
    return f"""# {Path(model_dir).name}, exported for transformers

Written by `lawie export --format transformers` from the lawie model `{model_dir}`
(`lawie_config.json` is its full config). The encoder and the NER head load as a
`BertForTokenClassification`; the relation head is beside it in `relation_head.safetensors`.

```python
import torch
from transformers import AutoModelForTokenClassification, AutoTokenizer
from lawie.infer.clean import clean          # lawie reads clean text: see "Input" below

tok = AutoTokenizer.from_pretrained("DIR")
model = AutoModelForTokenClassification.from_pretrained("DIR").eval()
text = clean(raw).text                       # at most {n - 2} characters per call
enc = tok(text, return_tensors="pt", return_offsets_mapping=True)
with torch.no_grad():
    logits = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).logits
tags = [model.config.id2label[i] for i in logits[0, 1:-1].argmax(-1).tolist()]   # one per character
```

## Input

One token per character: `tokenizer.json` maps each character to its id in `chars.txt`, every
whitespace character (Python's `str.isspace()`) to `▁` and any other character missing from it to
`[UNK]`, and adds `[CLS]` and `[SEP]`; `tokens[k + 1]` is character `k` of the text (offsets
come with `return_offsets_mapping=True`). Text that spells a special token (`[SEP]`) is read as
characters, as lawie does. These are exactly the ids lawie's encoder reads
(`lawie.infer.encode.CharVocab`; tested in lawie's tests/test_export.py).

lawie's model reads *clean* text: `lawie.infer.clean.clean(raw)` converts traditional
characters, drops pinyin glosses (發(fā)布 -> 发布) and site junk, undoes synonym spins and gives
an offset map back to the raw text. On raw web text the tags transformers gives are those of a
text the model never saw in training.

## What transformers runs from this directory

- The encoder ({cfg['encoder']['num_hidden_layers']} BERT layers, hidden size
  {cfg['encoder']['hidden_size']}) and the NER head: per-character logits over the
  {len(tags)} BIO tags of `id2label` ({', '.join(cfg['heads']['entity_types'])}). Their arg-max
  is lawie's per-character arg-max on the same window (the same weights; tested).
- Scores: lawie divides the logits by the calibrated temperature
  `lawie_temperature` = {cfg.get('temperature') or 1.0} of `config.json` before the softmax.
- The token-classification pipeline runs too (`aggregation_strategy="simple"` joins B-/I- tags
  into spans), on texts of at most {n - 2} characters.

## What it cannot run

- Texts longer than one window: lawie reads {n}-token windows {cfg['stride']} characters apart and
  takes each character from the window where it is most central; transformers truncates or needs
  your own striding.
- lawie's decoding: Viterbi over allowed BIO transitions (transformers takes the arg-max, which may
  open a span with I-), the span score (mean tag probability), and the span rules
  (`lawie.infer.spans`: money ranges, organ-name gazetteer, word boundaries).
- Normalized values (`lawie.labels.values`), relations and events.
- The relation head: it is no transformers module. `relation_head.safetensors` holds
  `dist_emb.weight`, `type_emb.weight` and the MLP `rel_mlp.1` (Linear) -> GELU -> `rel_mlp.4`
  (Linear); `relation_head.json` gives the classes (`none` first, then
  {', '.join(rel['relation_types'][1:])}), the entity type ids and the distance buckets. For a
  pair (head entity, tail entity) its input is the concatenation of the encoder's last hidden
  states at the head's first and last character and the tail's first and last character, the
  distance embedding of the bucket of (tail start - head start) and the type embeddings of the
  head's and the tail's type. Which pairs are candidates, and the role rules after it, are lawie
  code (`lawie.infer.relations`, `lawie.infer.document`): use `lawie.Extractor` for relations.
"""


def export_transformers(model_dir, out_dir) -> Path:
    """Write ``model_dir``'s lawie model as a transformers directory ``out_dir`` (see the
    module docstring); returns ``out_dir``."""
    from safetensors.torch import save_file
    from transformers import BertConfig, BertForTokenClassification

    from lawie.infer.model import LawieModel

    model = LawieModel.from_dir(model_dir)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / "lawie_config.json").is_file():
        raise ExportError(f"{out}: a directory with other files in it; give a new or empty one")
    out.mkdir(parents=True, exist_ok=True)
    cfg = model.config
    enc = dict(model.encoder.config.to_dict())
    for k in ("id2label", "label2id", "architectures", "num_labels", "_name_or_path",
              "transformers_version", "dtype", "torch_dtype"):
        enc.pop(k, None)
    tags = list(model.tags)
    bert_cfg = BertConfig(**enc, id2label=dict(enumerate(tags)),
                          label2id={t: i for i, t in enumerate(tags)})
    bert_cfg.architectures = ["BertForTokenClassification"]
    bert_cfg.lawie_temperature = float(cfg.get("temperature") or 1.0)
    bert_cfg.lawie_max_len = int(cfg["max_len"])
    bert_cfg.lawie_stride = int(cfg["stride"])
    hf = BertForTokenClassification(bert_cfg)
    state, rel_state = {}, {}
    for key, val in model.state_dict().items():
        if key.startswith(_RELATION_KEYS):
            rel_state[key] = val.detach().float().contiguous()
            continue
        for a, b in _RENAME:
            if key.startswith(a):
                state[b + key[len(a):]] = val
                break
    missing, unexpected = hf.load_state_dict(state, strict=False)
    missing = [k for k in missing if not re.search(r"position_ids|token_type_ids", k)]
    if missing or unexpected:
        raise ExportError(f"{model_dir}: weights do not map onto BertForTokenClassification "
                          f"(missing {missing[:3]}, unexpected {unexpected[:3]})")
    hf.save_pretrained(out)
    (out / "model.safetensors").chmod(0o644)
    char_tokenizer(model.vocab, int(cfg["max_len"])).save_pretrained(out)
    rel = cfg["heads"]["relation"]
    save_file(rel_state, str(out / "relation_head.safetensors"), metadata={"format": "pt"})
    (out / "relation_head.safetensors").chmod(0o644)
    rel_info = {
        "relation_types": ["none"] + list(model.relation_types),
        "entity_types": list(model.entity_types),
        "hidden": rel["hidden"], "type_dim": rel["type_dim"], "dist_dim": rel["dist_dim"],
        "dist_edges": list(rel["dist_edges"]),
        "dist_buckets": "b = number of edges <= |d| (0..len(edges)); d >= 0: b, d < 0: b + "
                        "len(edges) + 1; d = tail start - head start in characters",
        "input": ["h[head first char]", "h[head last char]", "h[tail first char]",
                  "h[tail last char]", "dist_emb[bucket]", "type_emb[head type]",
                  "type_emb[tail type]"],
        "mlp": "rel_mlp.1 (Linear) -> GELU (exact erf) -> rel_mlp.4 (Linear); softmax over "
               "relation_types",
    }
    (out / "relation_head.json").write_text(json.dumps(rel_info, ensure_ascii=False, indent=1)
                                            + "\n", encoding="utf-8")
    model.vocab.save(out / "chars.txt")
    (out / "lawie_config.json").write_text(json.dumps(cfg, ensure_ascii=False, indent=1) + "\n",
                                           encoding="utf-8")
    (out / "README.md").write_text(_readme(model_dir, cfg, tags, rel_info), encoding="utf-8")
    return out


def export(model_dir, out_dir, fmt: str = "transformers") -> Path:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    return export_transformers(model_dir, out_dir)


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m lawie.train.export", description=__doc__.split("\n")[0])
    ap.add_argument("output")
    ap.add_argument("--format", default="transformers", choices=FORMATS)
    ap.add_argument("--model", default=None)
    a = ap.parse_args(argv)
    return run(a.model, a.output, a.format)


def run(model, output, fmt) -> int:
    from lawie.infer.api import LawieError, resolve_model_dir
    from lawie.infer.model import ModelDirError
    try:
        out = export(resolve_model_dir(model), output, fmt)
    except (ExportError, ModelDirError, LawieError, OSError) as exc:
        print(f"lawie: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out} (AutoModelForTokenClassification.from_pretrained({str(out)!r}); "
          f"see {out / 'README.md'})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

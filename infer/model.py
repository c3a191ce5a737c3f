"""The lawie network: a character-level BERT encoder shared by a BIO tagging head (NER) and a
pair-classification head (relations).

One forward of the encoder serves both heads. A relation candidate (head entity, tail entity) is
represented by the encoder states at the first and last character of each entity, a learned
embedding of their signed distance (bucketed) and learned embeddings of the two entity types, and
classified by a small MLP into ``len(RELATION_TYPES) + 1`` classes (index 0 = no relation).

A model directory holds ``model.safetensors`` (fp16 or fp32 storage; always loaded as fp32),
``config.json`` (the full configuration: encoder, heads, label maps, windowing, calibration and
the training configuration used), ``chars.txt`` (the character vocabulary) and ``labels.json``.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import torch
from torch import nn
from safetensors.torch import save_file
from lawie.infer.encoder import CharBert
from lawie.infer.modeldir import ModelDirError  # re-exported: one line that names the file
from lawie.labels.schema import BIO_TAGS, ENTITY_TYPES, RELATION_TYPES

FORMAT = "lawie-model/1"
# Edges of the |distance| buckets (in characters); the sign of the distance doubles them.
DEFAULT_DIST_EDGES = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384)



def default_heads(rel_hidden: int = 256, type_dim: int = 32, dist_dim: int = 32,
                  dropout: float = 0.1) -> dict:
    """The heads section of a model config with the schema's label maps."""
    return {
        "entity_types": list(ENTITY_TYPES),
        "ner": {"tags": list(BIO_TAGS), "dropout": dropout},
        "relation": {"types": list(RELATION_TYPES), "hidden": rel_hidden, "type_dim": type_dim,
                     "dist_dim": dist_dim, "dist_edges": list(DEFAULT_DIST_EDGES),
                     "dropout": dropout},
    }


def distance_buckets(dist: torch.Tensor, edges: torch.Tensor) -> torch.Tensor:
    """Signed distance (tail start - head start) -> bucket index in [0, 2 * (len(edges) + 1))."""
    mag = torch.bucketize(dist.abs(), edges, right=True)          # 0 .. len(edges)
    n = edges.numel() + 1
    return torch.where(dist >= 0, mag, mag + n)


class LawieModel(nn.Module):
    """Encoder + NER head + relation head.

    ``config`` is the full model config dict (see ``make_config``); ``vocab`` the CharVocab of
    the encoder's input ids (kept so that ``save`` writes chars.txt); ``encoder`` an existing
    encoder (a CharBert, or a transformers BertModel such as the base, whose weights are taken
    over), else one is built from ``config["encoder"]``. The encoder is always a
    ``lawie.infer.encoder.CharBert``: plain torch, same weights and outputs as BertModel.
    """

    def __init__(self, config: dict, vocab=None, encoder: nn.Module | None = None):
        super().__init__()
        self.config = copy.deepcopy(config)
        self.vocab = vocab
        heads = self.config["heads"]
        if encoder is None:
            encoder = CharBert(self.config["encoder"])
        elif not isinstance(encoder, CharBert):
            encoder = CharBert.from_module(encoder)
        self.encoder = encoder
        hidden = encoder.config.hidden_size
        self.tags = list(heads["ner"]["tags"])
        self.entity_types = list(heads["entity_types"])
        self.relation_types = list(heads["relation"]["types"])
        self.type2id = {t: i for i, t in enumerate(self.entity_types)}

        self.ner_dropout = nn.Dropout(heads["ner"]["dropout"])
        self.ner_head = nn.Linear(hidden, len(self.tags))

        rel = heads["relation"]
        self.register_buffer("dist_edges", torch.tensor(rel["dist_edges"], dtype=torch.long),
                             persistent=False)
        n_buckets = 2 * (len(rel["dist_edges"]) + 1)
        self.dist_emb = nn.Embedding(n_buckets, rel["dist_dim"])
        self.type_emb = nn.Embedding(len(self.entity_types), rel["type_dim"])
        in_dim = 4 * hidden + rel["dist_dim"] + 2 * rel["type_dim"]
        self.rel_mlp = nn.Sequential(
            nn.Dropout(rel["dropout"]),
            nn.Linear(in_dim, rel["hidden"]),
            nn.GELU(),
            nn.Dropout(rel["dropout"]),
            nn.Linear(rel["hidden"], len(self.relation_types) + 1),
        )

    # ------------------------------------------------------------------ forward pieces
    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Char ids [B, T] -> hidden states [B, T, H]."""
        return self.encoder(input_ids, attention_mask)

    def ner_logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """[B, T, H] -> BIO logits [B, T, len(tags)]."""
        return self.ner_head(self.ner_dropout(hidden))

    def relation_logits(self, hidden: torch.Tensor, pairs: torch.Tensor,
                        dist: torch.Tensor | None = None) -> torch.Tensor:
        """Classify candidate pairs.

        ``pairs`` is a long tensor [P, 7]: (batch row, head first token, head last token,
        tail first token, tail last token, head type id, tail type id), token positions in the
        encoder's sequence (inclusive ends). ``dist`` [P]: the signed character distance from
        the head's first character to the tail's (default: from the positions, when ``hidden``
        holds consecutive characters). Returns logits [P, len(relation_types) + 1].
        """
        if pairs.numel() == 0:
            return hidden.new_zeros((0, len(self.relation_types) + 1))
        b = pairs[:, 0]
        parts = [hidden[b, pairs[:, i]] for i in (1, 2, 3, 4)]
        if dist is None:
            dist = pairs[:, 3] - pairs[:, 1]
        parts.append(self.dist_emb(distance_buckets(dist, self.dist_edges)))
        parts.append(self.type_emb(pairs[:, 5]))
        parts.append(self.type_emb(pairs[:, 6]))
        return self.rel_mlp(torch.cat(parts, dim=-1))

    def forward(self, input_ids, attention_mask, pairs=None):
        hidden = self.encode(input_ids, attention_mask)
        out = {"hidden": hidden, "ner_logits": self.ner_logits(hidden)}
        if pairs is not None:
            out["rel_logits"] = self.relation_logits(hidden, pairs)
        return out

    # ------------------------------------------------------------------ persistence
    def save(self, path, dtype: torch.dtype = torch.float16) -> Path:
        """Write model.safetensors (weights stored as ``dtype``), config.json, chars.txt and
        labels.json into directory ``path``."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        state = {}
        for k, v in self.state_dict().items():
            v = v.detach().cpu()
            if v.is_floating_point():
                v = v.to(dtype)
            state[k] = v.contiguous()
        save_file(state, str(path / "model.safetensors"), metadata={"format": "pt"})
        (path / "model.safetensors").chmod(0o644)
        cfg = copy.deepcopy(self.config)
        cfg["format"] = FORMAT
        cfg["encoder"] = self.encoder.config.to_dict()
        cfg["storage_dtype"] = str(dtype).replace("torch.", "")
        (path / "labels.json").write_text(json.dumps(
            {"entity_types": self.entity_types, "bio_tags": self.tags,
             "relation_types": ["none"] + self.relation_types}, ensure_ascii=False, indent=2),
            encoding="utf-8")
        if self.vocab is not None:
            self.vocab.save(path / "chars.txt")
        cfg.pop("checksums", None)
        # int8 calibration belongs to the weights it was measured on: new weights need a new one
        # (`lawie quantize`)
        cfg.pop("quantization", None)
        if (path / "chars.txt").is_file():       # sha256 of what was written, checked on load
            from lawie.infer.modeldir import checksums
            cfg["checksums"] = checksums(path)
        (path / "config.json").write_text(json.dumps(cfg, ensure_ascii=False, indent=2),
                                          encoding="utf-8")
        return path

    @classmethod
    def from_dir(cls, path, device="cpu") -> "LawieModel":
        """Load a model directory written by ``save``; weights are cast to fp32. Checked first
        (lawie.infer.modeldir: config schema and label set, checksums, weight shapes), so that
        every problem is one ModelDirError line before anything is allocated; NaN or Inf
        weights are refused."""
        from lawie.infer.encode import CharVocab
        from lawie.infer.modeldir import check_finite, load_weights, validate_model_dir

        path = Path(path)
        config = validate_model_dir(path)
        vocab = CharVocab.from_file(path / "chars.txt")
        if len(vocab) != config["encoder"]["vocab_size"]:
            raise ModelDirError(f"{path / 'chars.txt'}: {len(vocab)} entries but the encoder "
                                f"has {config['encoder']['vocab_size']}")
        model = cls(config, vocab=vocab)
        state = {k: v.float() if v.is_floating_point() else v
                 for k, v in load_weights(path / "model.safetensors").items()
                 if not k.endswith("position_ids")}      # a buffer older files carry
        check_finite(state, path / "model.safetensors")
        try:
            missing, unexpected = model.load_state_dict(state, strict=False)
        except RuntimeError as e:                         # a shape the header check let by
            raise ModelDirError(f"{path / 'model.safetensors'}: weights do not match "
                                f"config.json ({str(e).strip().splitlines()[-1].strip()})") from None
        missing = [k for k in missing if not k.endswith("position_ids")]
        if missing or unexpected:
            raise ModelDirError(f"{path / 'model.safetensors'}: weights do not match config.json "
                                f"(missing {missing[:3]}, unexpected {unexpected[:3]})")
        if len(vocab) != model.encoder.config.vocab_size:
            raise ModelDirError(f"{path / 'chars.txt'}: {len(vocab)} entries but the encoder "
                                f"has {model.encoder.config.vocab_size}")
        model.eval()
        return model.to(device)


def make_config(encoder_config, *, max_len: int, stride: int,
                relation_window: int, heads: dict | None = None, train: dict | None = None,
                relation_context: str = "owner") -> dict:
    """A complete model config dict; ``encoder_config`` a BertConfig-like object (with
    ``to_dict``) or its dict."""
    enc = encoder_config.to_dict() if hasattr(encoder_config, "to_dict") else dict(encoder_config)
    return {
        "format": FORMAT,
        "encoder": enc,
        "heads": heads if heads is not None else default_heads(),
        "max_len": int(max_len),
        "stride": int(stride),
        "relation_window": int(relation_window),
        "relation_context": relation_context,
        "temperature": 1.0,
        "calibration": None,
        "train": train,
    }

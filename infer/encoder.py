"""The encoder network: a BERT encoder (post-LayerNorm transformer) in plain torch.

It computes exactly what transformers' ``BertModel`` computes (``last_hidden_state``, absolute
positions, token type 0, exact-erf GELU, dropout in training) from the same state-dict keys, so
the base encoder built by ``lawie.train.base`` as a ``BertModel`` directory loads into it as is,
and a lawie model loads without importing transformers: importing transformers costs about 3 s,
more than the whole rest of loading a model (``lawie bench`` reports ``load_s``).
``tests/test_encoder.py`` checks the equivalence with ``BertModel`` in float32, training
(gradients) included.

    enc = CharBert(config_dict)            # a BertConfig dict (config.json "encoder")
    hidden = enc(input_ids, attention_mask)   # [B, T] -> [B, T, hidden_size]
"""
from __future__ import annotations

import copy

import torch
import torch.nn.functional as F
from torch import nn

# the keys of a BertConfig dict this implementation reads; any other key is carried, unused
_REQUIRED = ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
             "intermediate_size", "max_position_embeddings")
_DEFAULTS = {"hidden_act": "gelu", "hidden_dropout_prob": 0.1,
             "attention_probs_dropout_prob": 0.1, "type_vocab_size": 2,
             "layer_norm_eps": 1e-12, "pad_token_id": 0,
             "position_embedding_type": "absolute"}


class EncoderConfig:
    """A BertConfig dict with attribute access; ``to_dict`` returns it whole (so a model
    directory keeps the encoder section it was trained with)."""

    def __init__(self, d: dict):
        d = dict(d)
        missing = [k for k in _REQUIRED if k not in d]
        if missing:
            raise ValueError(f"encoder config lacks {', '.join(missing)}")
        for k, v in _DEFAULTS.items():
            if d.get(k) is None:
                d[k] = v
        if d["hidden_act"] not in ("gelu", "gelu_python"):
            raise ValueError(f"encoder hidden_act {d['hidden_act']!r}: only exact GELU is supported")
        if d["position_embedding_type"] != "absolute":
            raise ValueError(f"encoder position_embedding_type {d['position_embedding_type']!r}: "
                             "only absolute positions are supported")
        if d["hidden_size"] % d["num_attention_heads"]:
            raise ValueError("encoder hidden_size is not a multiple of num_attention_heads")
        self._d = d

    def __getattr__(self, name):
        try:
            return self.__dict__["_d"][name]
        except KeyError:
            raise AttributeError(name) from None

    def to_dict(self) -> dict:
        return copy.deepcopy(self._d)


class _Embeddings(nn.Module):
    def __init__(self, c: EncoderConfig):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size,
                                            padding_idx=c.pad_token_id)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        t = ids.shape[1]
        x = (self.word_embeddings(ids) + self.position_embeddings.weight[:t]
             + self.token_type_embeddings.weight[0])
        return self.dropout(self.LayerNorm(x))


class _SelfAttention(nn.Module):
    def __init__(self, c: EncoderConfig):
        super().__init__()
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)


class _Projection(nn.Module):      # dense -> dropout -> LayerNorm(x + residual)
    def __init__(self, d_in: int, c: EncoderConfig):
        super().__init__()
        self.dense = nn.Linear(d_in, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class _Attention(nn.Module):
    def __init__(self, c: EncoderConfig):
        super().__init__()
        self.self = _SelfAttention(c)
        self.output = _Projection(c.hidden_size, c)


class _Intermediate(nn.Module):
    def __init__(self, c: EncoderConfig):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)


class _Layer(nn.Module):
    def __init__(self, c: EncoderConfig):
        super().__init__()
        self.heads = c.num_attention_heads
        self.p_attn = c.attention_probs_dropout_prob
        self.attention = _Attention(c)
        self.intermediate = _Intermediate(c)
        self.output = _Projection(c.intermediate_size, c)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        b, t, h = x.shape
        a = self.attention.self

        def split(lin):
            return lin(x).view(b, t, self.heads, h // self.heads).transpose(1, 2)

        ctx = F.scaled_dot_product_attention(split(a.query), split(a.key), split(a.value),
                                             attn_mask=mask,
                                             dropout_p=self.p_attn if self.training else 0.0)
        ctx = ctx.transpose(1, 2).reshape(b, t, h)
        x = self.attention.output(ctx, x)
        return self.output(F.gelu(self.intermediate.dense(x)), x)


class _Stack(nn.Module):
    def __init__(self, c: EncoderConfig):
        super().__init__()
        self.layer = nn.ModuleList(_Layer(c) for _ in range(c.num_hidden_layers))


class CharBert(nn.Module):
    """BERT encoder; ``forward(input_ids [B, T], attention_mask [B, T] of 0/1) -> [B, T, H]``."""

    def __init__(self, config):
        super().__init__()
        self.config = config if isinstance(config, EncoderConfig) else EncoderConfig(
            config.to_dict() if hasattr(config, "to_dict") else config)
        self.embeddings = _Embeddings(self.config)
        self.encoder = _Stack(self.config)

    @classmethod
    def from_module(cls, bert: nn.Module) -> "CharBert":
        """The same weights as a transformers ``BertModel`` (no pooler)."""
        enc = cls(bert.config.to_dict())
        state = {k: v for k, v in bert.state_dict().items()
                 if not k.startswith("pooler.") and not k.endswith("position_ids")}
        enc.load_state_dict(state, strict=True)
        return enc.train(bert.training)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None
                ) -> torch.Tensor:
        x = self.embeddings(input_ids)
        mask = None
        if attention_mask is not None and not bool(attention_mask.all()):
            # [B, 1, 1, T] boolean: True where a key may be attended to
            mask = attention_mask.bool()[:, None, None, :]
        for layer in self.encoder.layer:
            x = layer(x, mask)
        return x

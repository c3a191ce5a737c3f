"""lawie.infer.encoder.CharBert computes what transformers' BertModel computes from the same
weights (inference and gradients), and loading a lawie model does not import transformers."""
import subprocess
import sys

import pytest
import torch
from transformers import BertConfig, BertModel

from lawie.infer.encoder import CharBert, EncoderConfig


def _pair(dropout=0.0, layers=2, seed=0):
    torch.manual_seed(seed)
    cfg = BertConfig(vocab_size=50, hidden_size=48, num_hidden_layers=layers,
                     num_attention_heads=4, intermediate_size=96, max_position_embeddings=40,
                     hidden_dropout_prob=dropout, attention_probs_dropout_prob=dropout,
                     pad_token_id=0)
    ref = BertModel(cfg, add_pooling_layer=False)
    with torch.no_grad():                  # non-trivial LayerNorm and type embeddings
        for name, p in ref.named_parameters():
            if "LayerNorm" in name or "token_type" in name:
                p.add_(0.1 * torch.randn_like(p))
    return ref, CharBert.from_module(ref)


@pytest.mark.parametrize("layers", [0, 1, 3])
def test_same_hidden_states_as_bertmodel(layers):
    ref, ours = _pair(layers=layers)
    ref.eval(), ours.eval()
    ids = torch.randint(1, 50, (4, 23))
    mask = torch.ones_like(ids)
    mask[1, 15:] = 0
    mask[3, 2:] = 0
    ids[mask == 0] = 0
    with torch.no_grad():
        a = ours(ids, mask)
        b = ref(input_ids=ids, attention_mask=mask).last_hidden_state
    keep = mask.bool()
    assert a.shape == b.shape
    assert torch.allclose(a[keep], b[keep], atol=1e-5)
    full = torch.ones_like(ids)
    with torch.no_grad():
        assert torch.allclose(ours(ids, full), ours(ids), atol=1e-6)
        assert torch.allclose(ours(ids), ref(input_ids=ids).last_hidden_state, atol=1e-5)


def test_same_gradients_as_bertmodel():
    ref, ours = _pair(layers=2)
    ref.train(), ours.train()              # dropout 0: training mode is deterministic
    ids = torch.randint(1, 50, (2, 9))
    mask = torch.ones_like(ids)
    mask[0, 6:] = 0
    target = torch.randn(2, 9, 48)
    ((ours(ids, mask) - target) ** 2 * mask[..., None]).sum().backward()
    ((ref(input_ids=ids, attention_mask=mask).last_hidden_state - target) ** 2
     * mask[..., None]).sum().backward()
    g_ref = dict(ref.named_parameters())
    for name, p in ours.named_parameters():
        assert torch.allclose(p.grad, g_ref[name].grad, atol=1e-4), name


def test_dropout_acts_in_training_only():
    _, ours = _pair(dropout=0.5, layers=1)
    ids = torch.randint(1, 50, (2, 9))
    ours.train()
    assert not torch.allclose(ours(ids), ours(ids))
    ours.eval()
    assert torch.equal(ours(ids), ours(ids))


def test_config_checks():
    base = dict(vocab_size=5, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                intermediate_size=16, max_position_embeddings=8)
    assert EncoderConfig(base).layer_norm_eps == 1e-12
    assert EncoderConfig(base).to_dict()["hidden_act"] == "gelu"
    for bad in ({"hidden_act": "relu"}, {"num_attention_heads": 3},
                {"position_embedding_type": "relative_key"}):
        with pytest.raises(ValueError):
            EncoderConfig({**base, **bad})
    with pytest.raises(ValueError, match="vocab_size"):
        EncoderConfig({k: v for k, v in base.items() if k != "vocab_size"})


def test_loading_a_model_does_not_import_transformers(tiny_model_dir):
    code = ("import sys; from lawie import Extractor; "
            f"ex = Extractor.load({str(tiny_model_dir)!r}); ex.extract('某公司于2021年立案。'); "
            "print('transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"

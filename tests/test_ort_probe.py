"""lawie.train.ort_probe: the windows it times are the runtime's, its BertModel twin computes the
encoder's hidden states, and without onnxruntime (not a dependency) it says so in one line."""
import sys

import numpy as np
import torch

from lawie.infer.runtime import Runtime, plan_windows
from lawie.train.ort_probe import as_bert, main, window_batches


def test_window_batches_are_the_runtime_windows(tiny_model_dir):
    rt = Runtime.load(tiny_model_dir, precision="float32")
    texts = ["某市人民检察院对张某提起公诉。" * 9, "罚款五万元。"]
    batches = window_batches(rt, texts, batch_size=3)
    planned = [t[s:e] for t in texts for s, e, _, _ in plan_windows(len(t), rt.length, rt.stride)]
    assert len(planned) > 3 and sum(len(i) for i, _ in batches) == len(planned)
    rows = [(ids[r], mask[r]) for ids, mask in batches for r in range(len(ids))]
    v = rt.vocab
    for (ids, mask), w in zip(rows, planned):
        n = int(mask.sum())
        assert n == len(w) + 2 and not mask[n:].any()
        assert ids[0] == v.cls_id and ids[n - 1] == v.sep_id and (ids[n:] == v.pad_id).all()
        assert list(ids[1:n - 1]) == list(v.encode(w))
    with torch.inference_mode():     # what the probe feeds the encoder is what the runtime does
        ids, mask = batches[-1]
        ours = rt.model.encode(torch.as_tensor(ids), torch.as_tensor(mask)).numpy()
        theirs = rt._encode_batch(planned[-len(ids):]).numpy()
    keep = mask.astype(bool)
    assert ours.shape == theirs.shape and np.allclose(ours[keep], theirs[keep], atol=1e-5)


def test_bert_twin_has_the_encoders_hidden_states(tiny_model_dir):
    rt = Runtime.load(tiny_model_dir, precision="float32")
    enc = rt.model.encoder.eval()
    ids, mask = window_batches(rt, ["检察机关依法提起公益诉讼，法院判决支持。", "短"], batch_size=2)[0]
    ids, mask = torch.as_tensor(ids), torch.as_tensor(mask)
    with torch.inference_mode():
        a = enc(ids, mask)
        b = as_bert(enc)(input_ids=ids, attention_mask=mask).last_hidden_state
    keep = mask.bool()
    assert torch.allclose(a[keep], b[keep], atol=1e-5)


def test_missing_onnxruntime_is_one_line(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)       # as if not installed
    assert main([]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install onnxruntime onnx" in err[0]

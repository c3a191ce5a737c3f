"""Int8 with activation smoothing (lawie.infer.quantize, issue 16: the speed without bfloat16):
the smoothing keeps the function, removes the error outlier channels cause, and the calibration is
stored in the model directory and checked like its weights."""
import json
import shutil
import subprocess
import sys
import warnings

import pytest
import torch
from torch import nn

from lawie.infer.quantize import (CALIBRATION_FILE, Smoothed, calibrate, load_calibration,
                                  quantize_model, save_calibration)


def _outlier_inputs(n=256, d=96, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=g)
    x[:, :3] *= 40.0                        # three channels 40x the others (as in the encoder)
    return x


def test_smoothing_keeps_the_function():
    torch.manual_seed(0)
    lin = nn.Linear(96, 32)
    x = _outlier_inputs()
    s = x.abs().amax(0) ** 0.85 / lin.weight.abs().amax(0) ** 0.15
    with torch.no_grad():
        assert torch.allclose(Smoothed(lin, s)(x), lin(x), atol=1e-4, rtol=1e-4)


def test_smoothing_removes_the_outlier_error_of_int8():
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic
    torch.manual_seed(0)
    lin = nn.Sequential(nn.Linear(96, 32))
    x = _outlier_inputs()
    x_test = _outlier_inputs(seed=1)
    with torch.no_grad():
        want = lin(x_test)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            plain = quantize_dynamic(lin, {nn.Linear: per_channel_dynamic_qconfig}, torch.qint8)
        s = x.abs().amax(0) ** 0.85 / lin[0].weight.abs().amax(0) ** 0.15
        smoothed = nn.Sequential(Smoothed(lin[0], s))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            smoothed = quantize_dynamic(smoothed, {nn.Linear: per_channel_dynamic_qconfig},
                                        torch.qint8)
        err_plain = (plain(x_test) - want).abs().mean()
        err_smooth = (smoothed(x_test) - want).abs().mean()
    assert err_smooth < err_plain / 3, (err_plain, err_smooth)


def _tiny(tiny_model_dir, tmp_path):
    d = tmp_path / "model"
    shutil.copytree(tiny_model_dir, d)
    return d


def test_calibration_is_stored_checked_and_used(tiny_model_dir, tmp_path):
    from lawie.infer.modeldir import ModelDirError, validate_model_dir
    from lawie.infer.runtime import Runtime
    d = _tiny(tiny_model_dir, tmp_path)
    rt = Runtime.load(d, precision="float32")
    texts = ["2021年3月，杭州市公安局破获一起案件，抓获犯罪嫌疑人张某等3人。"] * 3
    stats = calibrate(rt.model, texts, runtime=rt)
    enc = rt.model.encoder.config
    assert len(stats) == 6 * enc.num_hidden_layers
    assert all(v.ndim == 1 and (v >= 0).all() for v in stats.values())
    save_calibration(d, stats, alpha=0.8, source="test")
    cfg = validate_model_dir(d)
    assert cfg["quantization"]["alpha"] == 0.8 and CALIBRATION_FILE in cfg["checksums"]
    got, alpha = load_calibration(d, cfg)
    assert alpha == 0.8 and set(got) == set(stats)
    q = Runtime.load(d, quantize=True, precision="float32")
    assert q.quantized
    assert any(isinstance(m, Smoothed) for m in q.model.modules())
    probs = q.tag_probs(texts[0])
    assert probs.shape == rt.tag_probs(texts[0]).shape
    # the calibration is checked like the weights
    f = d / CALIBRATION_FILE
    f.write_bytes(f.read_bytes()[:-8] + b"\0" * 8)
    with pytest.raises(ModelDirError, match=CALIBRATION_FILE):
        validate_model_dir(d)


def test_without_calibration_int8_is_plain_and_saving_drops_it(tiny_model_dir, tmp_path):
    from lawie.infer.model import LawieModel
    from lawie.infer.runtime import Runtime
    d = _tiny(tiny_model_dir, tmp_path)
    q = Runtime.load(d, quantize=True, precision="float32")
    assert not any(isinstance(m, Smoothed) for m in q.model.modules())
    rt = Runtime.load(d, precision="float32")
    save_calibration(d, calibrate(rt.model, ["甲乙丙"], runtime=rt))
    model = LawieModel.from_dir(d)
    out = model.save(tmp_path / "resaved", dtype=torch.float32)
    cfg = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert "quantization" not in cfg and CALIBRATION_FILE not in cfg["checksums"]


def test_quantize_cli(tiny_model_dir, tmp_path):
    d = _tiny(tiny_model_dir, tmp_path)
    texts = tmp_path / "calib.jsonl"
    texts.write_text("\n".join(json.dumps({"text": t}, ensure_ascii=False)
                               for t in ["某市公安局抓获张某。", "某法院判处李某有期徒刑一年。"]) + "\n",
                     encoding="utf-8")
    run = lambda *a: subprocess.run([sys.executable, "-m", "lawie", "quantize", *map(str, a)],  # noqa: E731
                                    capture_output=True, text=True, timeout=120)
    r = run("--model", d, "--calibration", texts)
    assert r.returncode == 0, r.stderr
    assert "2 documents" in r.stdout
    assert json.loads((d / "config.json").read_text(encoding="utf-8"))["quantization"]["alpha"] == 0.85
    r = run("--model", d, "--calibration", tmp_path / "nope.jsonl")
    assert r.returncode == 1 and "Traceback" not in r.stderr and "nope.jsonl" in r.stderr
    r = run("--model", d, "--calibration", texts, "--alpha", "1.5")
    assert r.returncode == 2 and "1.5" in r.stderr

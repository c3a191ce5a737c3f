"""Knowledge distillation: a trained lawie model (the teacher, e.g. a deeper encoder) teaches the
model being trained (the student) through its soft tags and relation scores.

    load_teacher(path, student, device) -> LawieModel     frozen, in eval mode, checked
    teacher_labels(path, heads) -> heads                   a heads config with the teacher's labels
    distill_losses(student_out, teacher_out, labels, temperature) -> (ner_kl, rel_kl)

With ``train.distill_from = "DIR"`` every training step runs the teacher on the same windows and
candidate pairs (no gradient, the step's precision) and adds

    distill_weight * T^2 * (KL(teacher_T || student_T) over the tagged characters
                            + KL(teacher_T || student_T) over the candidate pairs)

to the gold losses, where ``_T`` is the softmax at temperature ``T = distill_temperature``
(Hinton et al. 2015: T^2 keeps the soft targets' gradients on the scale of the hard ones). The
characters are those in the gold loss (labels != -100: no padding, no [CLS] / [SEP], no entity
split by a window cut). The teacher must read the same characters (chars.txt) and may have any
depth or width. A student trained from the base encoder takes the teacher's label sets (entity
types, BIO tags, relation types: `teacher_labels`), and the documents' other types are left out
of its training, as with ``base.extend_heads = false``; a student continued from a model
(``base.init_from``) must already have them. The teacher is not saved with the student; its path,
depth, weight and temperature are recorded in the student's config.json (``data.distill_from``).
"""
from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F

from lawie.train.config import ConfigError


def _config_path(path) -> Path:
    """``path``/config.json, or the one-line error that ``path`` is no model directory."""
    cfg = Path(path) / "config.json"
    if not cfg.is_file():
        raise ConfigError(f"train.distill_from: {path}: not a lawie model directory "
                          f"(no config.json)")
    return cfg


def load_teacher(path, student, device) -> "torch.nn.Module":
    """The teacher model of ``path``, frozen; ConfigError (one line naming ``path``) when it
    cannot teach ``student``: no model there, or other characters, tags or relation types."""
    from lawie.infer.model import LawieModel
    from lawie.infer.modeldir import ModelDirError

    _config_path(path)
    try:
        teacher = LawieModel.from_dir(path, device=device)
    except ModelDirError as exc:
        raise ConfigError(f"train.distill_from: {exc}") from None
    for what, t, s in (("BIO tags", teacher.tags, student.tags),
                       ("relation types", teacher.relation_types, student.relation_types)):
        if list(t) != list(s):
            raise ConfigError(f"train.distill_from: {path}: the teacher's {what} differ from "
                              f"the student's ({len(t)} against {len(s)}); train both on the "
                              f"same label set")
    if teacher.vocab is None or student.vocab is None or \
            list(teacher.vocab.tokens) != list(student.vocab.tokens):
        raise ConfigError(f"train.distill_from: {path}: the teacher's character vocabulary "
                          f"(chars.txt) differs from the student's")
    teacher.eval()
    for p in teacher.parameters():
        p.requires_grad_(False)
    return teacher


def teacher_labels(path, heads: dict) -> dict:
    """``heads`` (a model config's heads section) with the label sets of the teacher at
    ``path``: a student trained from the base encoder learns the teacher's entity types, BIO
    tags and relation types, whatever else the documents hold (left out of its training)."""
    import copy
    import json

    cfg_path = _config_path(path)
    try:
        th = json.loads(cfg_path.read_text(encoding="utf-8"))["heads"]
        labels = (list(th["entity_types"]), list(th["ner"]["tags"]),
                  list(th["relation"]["types"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"train.distill_from: {cfg_path}: unreadable or no heads "
                          f"({exc})") from None
    out = copy.deepcopy(heads)
    out["entity_types"], out["ner"]["tags"], out["relation"]["types"] = labels
    return out


def _kl(student_logits: torch.Tensor, teacher_logits: torch.Tensor, temperature: float):
    """Mean over rows of KL(softmax(teacher / T) || softmax(student / T))."""
    if student_logits.shape[0] == 0:
        return student_logits.new_zeros(())
    log_p = F.log_softmax(student_logits.float() / temperature, dim=-1)
    log_q = F.log_softmax(teacher_logits.float() / temperature, dim=-1)
    return F.kl_div(log_p, log_q, log_target=True, reduction="batchmean")


def distill_losses(student_out: dict, teacher_out: dict, labels: torch.Tensor,
                   temperature: float) -> tuple[torch.Tensor, torch.Tensor]:
    """(tag KL, relation KL) of one batch, each already multiplied by T^2. ``labels`` [B, T]
    selects the characters (!= -100); the relation logits are those of the same pairs."""
    keep = labels.reshape(-1) != -100
    n_tags = student_out["ner_logits"].shape[-1]
    s_ner = student_out["ner_logits"].reshape(-1, n_tags)[keep]
    t_ner = teacher_out["ner_logits"].reshape(-1, n_tags)[keep]
    t2 = temperature * temperature
    ner = _kl(s_ner, t_ner, temperature) * t2
    if "rel_logits" in student_out and "rel_logits" in teacher_out:
        rel = _kl(student_out["rel_logits"], teacher_out["rel_logits"], temperature) * t2
    else:
        rel = ner.new_zeros(())
    return ner, rel

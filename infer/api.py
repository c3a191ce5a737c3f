"""Python API.

    from lawie import Extractor
    ex = Extractor.load()                       # the shipped model, CPU
    doc = ex.extract(text, date="2026-01-26")   # the spec's JSON document (+ events)
    docs = ex.extract_many(texts, batch_size=8)
"""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Iterable, Iterator

from lawie.infer.clean import clean
from lawie.infer.document import assemble
from lawie.infer.segment import SEGMENT_CHARS, cut, join
from lawie.infer.spans import prepare_spans


class LawieError(Exception):
    """A user-facing error: its message is one line that names the input."""


class ModelNotFound(LawieError):
    pass


def resolve_model_dir(path=None) -> Path:
    from lawie.models import default_model_dir
    p = Path(path) if path is not None else default_model_dir()
    if not (p / "config.json").is_file() or not (p / "model.safetensors").is_file():
        raise ModelNotFound(f"{p}: no lawie model there (config.json + model.safetensors); "
                            "train one with `make train` or pass --model DIR")
    return p


def check_rules(names) -> frozenset:
    """Rule names to switch off, checked against the registry (lawie.infer.rules)."""
    from lawie.infer.rules import UnknownRule, check_names
    try:
        return check_names(names)
    except UnknownRule as e:
        raise LawieError(str(e)) from None


def check_date(date, what: str = "date") -> str | None:
    """None, or an ISO date that exists: YYYY-MM-DD (or YYYY-MM, YYYY); LawieError otherwise."""
    import datetime
    import re
    if date is None:
        return None
    ok = isinstance(date, str) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date)
    if ok:
        try:
            parts = [int(x) for x in date.split("-")]
            datetime.date(parts[0], *(parts[1:] + [1] * (3 - len(parts))))
        except ValueError:
            ok = False
    if not ok:
        raise LawieError(f"{what} {date!r}: expected an ISO date YYYY-MM-DD (or YYYY-MM, YYYY) "
                         "that exists")
    return date


def check_threshold(threshold) -> float:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) \
            or not 0.0 <= threshold <= 1.0:
        raise LawieError(f"threshold {threshold!r}: expected a number from 0 to 1")
    return float(threshold)


class Extractor:
    """Reads case write-ups and returns the spec's JSON documents."""

    def __init__(self, runtime, model_dir: Path, threshold: float = 0.0, whole_words: bool = True,
                 disable_rules=(), segment_chars: int = SEGMENT_CHARS):
        if isinstance(segment_chars, bool) or not isinstance(segment_chars, int) \
                or segment_chars < 1000:
            raise LawieError(f"segment_chars {segment_chars!r}: expected a whole number of at "
                             "least 1000 characters")
        self.segment_chars = segment_chars
        self.runtime = runtime
        self.model_dir = Path(model_dir)
        self.threshold = check_threshold(threshold)
        self.whole_words = bool(whole_words)
        self.disable_rules = check_rules(disable_rules)

    @classmethod
    def load(cls, path=None, device: str = "cpu", quantize: bool = False,
             precision: str = "auto", threshold: float = 0.0,
             whole_words: bool = True, disable_rules=(),
             segment_chars: int = SEGMENT_CHARS) -> "Extractor":
        """``precision``: the encoder's compute dtype, "auto" (bfloat16 on CPUs with hardware
        bfloat16 matrix units, else float32), "float32" or "bfloat16". ``threshold`` (0..1): leave
        out entities whose calibrated score is below it, and their relations; 0 (the default)
        keeps all. Higher values trade recall for precision (measured in MODEL_CARD.md).
        ``whole_words``: drop ACTION, AGENCY and company spans that leave a piece of a word outside
        them (infer/words.py); False keeps them, for texts whose words jieba's dictionary
        misjudges. ``disable_rules``: names of output rules to switch off (`lawie rules` lists
        them; the output's meta then says which, as ``rules_disabled``). ``segment_chars``: a text
        longer than this goes through the model a segment at a time (cut at paragraph breaks;
        infer/segment.py), so that memory does not grow with its length."""
        from lawie.infer.runtime import Runtime
        from lawie.infer.workers import guard_fork
        guard_fork()            # a forked child (datasets.map(num_proc=N)) would hang otherwise
        disable_rules = check_rules(disable_rules)
        model_dir = resolve_model_dir(path)
        try:
            rt = Runtime.load(model_dir, device=device, quantize=quantize, precision=precision)
        except ValueError as e:
            raise LawieError(str(e)) from None
        return cls(rt, model_dir, threshold=threshold, whole_words=whole_words,
                   disable_rules=disable_rules, segment_chars=segment_chars)

    def extract(self, text: str, date: str | None = None, id: str = "doc",
                threshold: float | None = None) -> dict:
        """Entities, relations and events of one text. `date` (ISO) anchors year-less dates.
        `threshold` (0..1) for this call only (default: the Extractor's): entities scored below it
        are left out, with their relations and events. Each event has a `score` (its act's) and
        each of its arguments the `score` of its relation."""
        return self.extract_many([text], dates=[date], ids=[id], threshold=threshold)[0]

    def extract_many(self, texts: list[str], batch_size: int = 8, dates=None, ids=None,
                     threshold: float | None = None) -> list[dict]:
        dates = dates or [None] * len(texts)
        ids = ids or [f"doc-{i + 1}" for i in range(len(texts))]
        if not len(texts) == len(dates) == len(ids):
            raise LawieError(f"extract_many: {len(texts)} texts, {len(dates)} dates and {len(ids)} "
                             "ids: give one of each per text")
        for d in dates:
            check_date(d)
        docs = [{"id": i, "text": t, "meta": {"date": d} if d else {}}
                for i, t, d in zip(ids, texts, dates)]
        return list(self.extract_docs(docs, batch_size=batch_size, threshold=threshold))

    def extract_docs(self, docs: Iterable[dict], batch_size: int = 8,
                     chunk: int = 32, threshold: float | None = None) -> Iterator[dict]:
        """Streams documents ({"id", "text", "meta"}) through the model, `chunk` documents at a
        time so that memory stays bounded; yields one output document per input, in order.
        `threshold`: see extract."""
        threshold = self.threshold if threshold is None else check_threshold(threshold)
        buf: list[dict] = []
        for n, d in enumerate(docs):
            problem = None
            if not isinstance(d, dict) or not isinstance(d.get("text"), str):
                problem = "'text' must be a string"
            elif d.get("meta") is not None and not isinstance(d["meta"], dict):
                problem = "'meta' must be an object"
            if problem:
                if buf:                      # what was accepted before is not lost
                    yield from self._run(buf, batch_size, threshold)
                ident = d.get("id") if isinstance(d, dict) else None
                raise LawieError(f"document {ident if ident is not None else n + 1!r}: {problem}")
            d = {"id": str(d.get("id", f"doc-{n + 1}")), "text": d["text"],
                 "meta": d.get("meta") or {}}
            buf.append(d)
            if len(buf) >= chunk:
                yield from self._run(buf, batch_size, threshold)
                buf = []
        if buf:
            yield from self._run(buf, batch_size, threshold)

    def _run(self, docs: list[dict], batch_size: int, threshold: float | None = None) -> list[dict]:
        """Output documents for `docs`, in order: the short ones together, each long one a segment
        at a time (infer/segment.py)."""
        threshold = self.threshold if threshold is None else threshold
        out: list[dict | None] = [None] * len(docs)
        short = [i for i, d in enumerate(docs) if len(d["text"]) <= self.segment_chars]
        done = self._assemble([docs[i] for i in short], batch_size, threshold)
        for i, doc in zip(short, done):
            out[i] = score_events(doc)
        for i, d in enumerate(docs):
            if out[i] is None:
                out[i] = score_events(self._run_long(d, batch_size, threshold))
        return out

    def _assemble(self, docs: list[dict], batch_size: int, threshold: float) -> list[dict]:
        if not docs:
            return []
        cleaned = [clean(d["text"]) for d in docs]
        preds = self.runtime.predict([c.text for c in cleaned], batch_size=batch_size,
                                     span_rules=partial(prepare_spans, whole_words=self.whole_words,
                                                        disable=self.disable_rules))
        return [assemble(d["text"], c, p, d["id"], d.get("meta"), threshold=threshold,
                         whole_words=self.whole_words, disable=self.disable_rules)
                for d, c, p in zip(docs, cleaned, preds)]

    def _run_long(self, doc: dict, batch_size: int, threshold: float) -> dict:
        from lawie.infer.document import resolve_agency_names
        text = doc["text"]
        parts = []
        for s, e in cut(text, self.segment_chars):
            seg = {"id": doc["id"], "text": text[s:e], "meta": doc.get("meta")}
            parts.append((s, self._assemble([seg], batch_size, threshold)[0]))
        names = None if "agency_full_name" in self.disable_rules else resolve_agency_names
        return join(doc["id"], text, doc.get("meta") or {}, parts, resolve_names=names)


def score_events(doc: dict) -> dict:
    """Scores on the events of an output document (in place; returns it): an event's `score` is
    its ACTION entity's, each argument's the `score` of the relation that joins it to the act
    (1.0 where the output rules added the relation without one)."""
    by_id = {e["id"]: e for e in doc.get("entities", [])}
    rel = {(r["head"], r["tail"], r["type"]): r.get("score") for r in doc.get("relations", [])}
    for ev in doc.get("events", []):
        act = by_id.get(ev["action"], {})
        ev["score"] = float(act.get("score", 1.0))
        for role, args in ev.items():
            if isinstance(args, list) and role != "defendants":
                for a in args:
                    if isinstance(a, dict) and "id" in a:
                        sc = rel.get((ev["action"], a["id"], role))
                        a["score"] = float(sc) if isinstance(sc, (int, float)) else 1.0
    return doc

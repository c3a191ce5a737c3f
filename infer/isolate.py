"""Per-record isolation for `lawie predict`: a document that cannot be read, extracted or written
costs only itself.

    rep = Reporter(err, warn, fail_fast=False)
    written = run_isolated(lambda ds: list(ex.extract_docs(ds)), docs, writer.write, rep)

Documents go through the Extractor in chunks (at most CHUNK_DOCS documents or CHUNK_CHARS
characters, so a few long documents do not pile up in memory) and each chunk's results are
written as soon as it is done. If a chunk raises, its documents are run one at a time, so only the
one that fails is lost; each result is checked to serialize as strict JSON in UTF-8 before it is
written, so nothing half-written or unreadable reaches the output. Each failure is one line
``source: reason`` (``file:line`` for a JSONL record). With ``fail_fast`` (``--errors=fail``) the
run stops at the first failure, after writing everything before it.
"""
from __future__ import annotations

import json
from typing import Callable, Iterable

CHUNK_DOCS = 32
CHUNK_CHARS = 200_000


class Stop(Exception):
    """--errors=fail: the first failure ends the run (what came before it is written)."""


class Reporter:
    """Counts and prints problems: ``report(kind, message)`` with kind "error" or "warning"."""

    def __init__(self, err: Callable[[str], None], warn: Callable[[str], None],
                 fail_fast: bool = False):
        self.err, self.warn, self.fail_fast = err, warn, fail_fast
        self.errors = 0

    def __call__(self, kind: str, message: str) -> None:
        if kind == "warning":
            self.warn(message)
            return
        self.errors += 1
        self.err(message)
        if self.fail_fast:
            raise Stop(message)


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return f"{type(e).__name__}: {text.splitlines()[0]}" if text else type(e).__name__


def check_serializable(doc: dict) -> None:
    """Raise ValueError unless ``doc`` is strict JSON (no NaN/Infinity) encodable as UTF-8."""
    try:
        json.dumps(doc, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (ValueError, TypeError, RecursionError, UnicodeError) as e:
        raise ValueError(_first_line(e)) from None


def write_checked(doc: dict, source: str, write: Callable[[dict], None], report) -> bool:
    try:
        check_serializable(doc)
    except ValueError as e:
        report("error", f"{source}: cannot write the result ({e})")
        return False
    write(doc)
    return True


def run_isolated(extract: Callable[[list], list], docs: Iterable[dict],
                 write: Callable[[dict], None], report: Reporter) -> int:
    """Extract and write every document of ``docs`` (dicts with "id", "text", "meta" and
    "_source"); returns how many were written. Raises only KeyboardInterrupt and output errors
    (OSError); Stop (``report.fail_fast``) ends the run quietly."""
    written = 0

    def source(d):
        return d.get("_source") or f"document {d.get('id')!r}"

    def flush(chunk):
        nonlocal written
        try:
            outs = extract(chunk)
        except Exception:                    # noqa: BLE001 - isolate the document that fails
            outs = None
        if outs is not None and len(outs) == len(chunk):
            for d, out in zip(chunk, outs):
                written += write_checked(out, source(d), write, report)
            return
        for d in chunk:                      # one at a time: only the failing one is lost
            try:
                out = extract([d])[0]
            except Exception as e:           # noqa: BLE001
                report("error", f"{source(d)}: extraction failed ({_first_line(e)})")
                continue
            written += write_checked(out, source(d), write, report)

    chunk: list = []
    chars = 0
    try:
        for d in docs:
            chunk.append(d)
            chars += len(d["text"])
            if len(chunk) >= CHUNK_DOCS or chars >= CHUNK_CHARS:
                batch, chunk, chars = chunk, [], 0
                flush(batch)
        if chunk:
            batch, chunk = chunk, []
            flush(batch)
    except Stop:
        if chunk:                            # a reading failure: what came before is written
            try:
                flush(chunk)
            except Stop:
                pass
    return written

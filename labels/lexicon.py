"""The project's language data: word lists kept as documented TSV files under
``labels/data/lexicon/`` (one header of ``#`` comments each, saying what the list is, who reads
it and where it comes from), read by one loader for the normalizers, the output rules and the
generator alike.

    table(name, columns)  -> tuple of rows (tuples of str), cached; LexiconError "file:line: ..."
    words(name)           -> the first column of a table

A row is tab-separated; blank lines and lines starting with ``#`` are skipped; a row must have
at least as many fields as ``columns`` names (``columns`` documents the caller's reading) and an
empty first field is an error, as is the same first field twice."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

__all__ = ["LexiconError", "table", "words"]


class LexiconError(ValueError):
    """A lexicon file that cannot be read as documented; the message names file and line."""


@lru_cache(maxsize=None)
def table(name: str, columns: tuple = ("word",)) -> tuple:
    path = resources.files("lawie.labels").joinpath("data", "lexicon", name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(f"labels/data/lexicon/{name}: no such lexicon file") from None
    rows, seen = [], {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = tuple(f.strip() for f in line.split("\t"))
        where = f"labels/data/lexicon/{name}:{lineno}"
        if len(fields) < len(columns):
            raise LexiconError(f"{where}: expected {len(columns)} tab-separated fields "
                               f"({', '.join(columns)}), got {len(fields)}")
        if not fields[0]:
            raise LexiconError(f"{where}: empty {columns[0]}")
        if fields[0] in seen:
            raise LexiconError(f"{where}: {fields[0]!r} already at line {seen[fields[0]]}")
        seen[fields[0]] = lineno
        rows.append(fields)
    return tuple(rows)


def words(name: str) -> tuple:
    return tuple(r[0] for r in table(name))

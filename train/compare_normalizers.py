"""Measure off-the-shelf normalizers (cn2an, jionlp) against ours on a table of expected norms.

    python -m lawie.train.compare_normalizers [--table tests/data/seed_values.tsv ...]
                                              [--jsonl gold.jsonl ...] [--verbose]
    python -m lawie.train.compare_normalizers --table tests/data/value_forms.tsv   # per class

Scored per entity type (and per class, for a table with a class column): COUNT and MONEY by
value (or min and max of a range), DATE by start and end, NUMBER (a bare numeral) by value.
Every system gets the same folded span text (full-width, traditional, pinyin junk and spaces
removed: that step is not what is compared; DATE keeps its spaces, 2010 01 29) and, for DATE,
the same anchor.

A miss is one of two kinds: no value (null: the reader said it could not read it) or a *wrong*
value (a number or date that is not the expected one, or any value where null is expected):
the `wrong` column counts those, the silent errors that an analyst summing amounts cannot see.
`norm` is ours only: the share of rows whose whole norm (currency, approx, unit too) is exact.
`us/span` is the mean time per span (with --jsonl corpus/generated/dev.jsonl: on generated text).

- ours:   lawie.labels.values.normalize (NUMBER: lawie.labels.numbers.parse_number)
- cn2an:  cn2an.cn2an(numeral, "smart") on each numeral run of the span (it has no date parser;
          NUMBER: on the whole text)
- jionlp: jionlp.parse_money (COUNT: on the span without its measure word; NUMBER: the text)
          and jionlp.parse_time with the anchor as time_base; a DATE counts as right when the
          returned span starts and ends inside the expected periods (2023-07 accepts
          2023-07-01 00:00:00).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
import time
import warnings
from pathlib import Path

from lawie.labels.numbers import fold, parse_number
from lawie.labels.values import normalize

TYPES = ("DATE", "COUNT", "MONEY", "NUMBER")
DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
DEFAULT_TABLE = DATA / "seed_values.tsv"
FORMS_TABLE = DATA / "value_forms.tsv"
_RUN = re.compile(r"[0-9.零〇一二两三四五六七八九十百千万亿]+")
_NUMERIC_PREFIX = re.compile(r"^(.*[0-9零〇一二两三四五六七八九十百千万亿余多])")


def read_table(path: Path):
    """Rows of a table of expected norms: either `type, text, anchor, doc_date, norm[, source]`
    (seed_values.tsv) or `class, type, text, anchor, doc_date, norm` (value_forms.tsv); a text
    writes a line break as \\n."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith(("type\t", "class\t")):
            continue
        fields = line.split("\t")
        cls = None
        if fields[0] not in TYPES:
            cls, fields = fields[0], fields[1:]
        if len(fields) < 5 or fields[0] not in TYPES:
            raise SystemExit(f"{path}:{n}: expected type, text, anchor, doc_date, norm")
        type_, text, anchor, doc_date, norm = fields[:5]
        rows.append({"type": type_, "text": text.replace("\\n", "\n"), "anchor": anchor or None,
                     "doc_date": doc_date or None, "norm": json.loads(norm), "class": cls})
    return rows


def read_jsonl(path: Path):
    """DATE / COUNT / MONEY entities of gold documents; DATE anchors chained on the gold norms."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{n}: not JSON ({exc.msg})")
        doc_date = (doc.get("meta") or {}).get("date")
        anchor = None
        for ent in sorted(doc.get("entities", []), key=lambda e: e.get("start", 0)):
            if ent.get("type") not in TYPES or "norm" not in ent:
                continue
            rows.append({"type": ent["type"], "text": ent["text"], "anchor": anchor or doc_date,
                         "doc_date": doc_date, "norm": ent["norm"], "class": None})
            if ent["type"] == "DATE" and ent["norm"].get("start"):
                anchor = ent["norm"]["start"]
    return rows


# ---------------------------------------------------------------------------------------------
# scoring

def _num_eq(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-6 * max(1.0, abs(float(b)))


def value_ok(expected: dict, got) -> bool:
    """got: a number, a (min, max) pair, or None."""
    if got == (None, None):
        got = None
    if "min" in expected:
        if not isinstance(got, tuple):
            return False
        return _num_eq(got[0], expected["min"]) and _num_eq(got[1], expected["max"])
    if isinstance(got, tuple):
        return False
    return _num_eq(got, expected.get("value"))


def date_ok(expected: dict, got) -> bool:
    """got: (start, end) strings (ISO or 'YYYY-MM-DD hh:mm:ss') or None."""
    if expected.get("start") is None:
        return got is None or got[0] is None
    if got is None or got[0] is None or got[1] is None:
        return False
    s, e = expected["start"], expected["end"]
    return got[0][: len(s)] == s and got[1][: len(e)] == e and len(got[0]) >= len(s)


# ---------------------------------------------------------------------------------------------
# systems

def is_null(got) -> bool:
    """True when a system gave no value (it said it could not read the text)."""
    return got is None or got == (None, None) or (isinstance(got, tuple) and got[0] is None)


def ours_norm(row) -> dict:
    if row["type"] == "NUMBER":
        try:
            return {"value": parse_number(row["text"])}
        except ValueError:
            return {"value": None}
    return normalize(row["type"], row["text"], row["anchor"], row["doc_date"])


def ours(row):
    norm = ours_norm(row)
    if row["type"] == "DATE":
        return (norm["start"], norm["end"])
    if "min" in norm:
        return (norm["min"], norm["max"])
    return norm.get("value")


def _load_cn2an():
    import cn2an
    return cn2an


def cn2an_system(row, lib):
    if row["type"] == "DATE":
        return "n/a"
    if row["type"] == "NUMBER":
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return lib.cn2an(fold(row["text"]), "smart")
        except Exception:  # noqa: BLE001 - a library failure is no value
            return None
    runs = _RUN.findall(fold(row["text"]))
    vals = []
    for r in runs[:2]:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                vals.append(lib.cn2an(r, "smart"))
        except Exception:  # noqa: BLE001 - a library failure is a wrong answer
            vals.append(None)
    if not vals:
        return None
    if "min" in row["norm"]:
        if len(vals) < 2 or None in vals:
            return None
        return tuple(sorted(vals))
    return vals[0]


def _load_jionlp():
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        import jionlp
    return jionlp


def _time_base(row):
    iso = row["anchor"] or row["doc_date"]
    if not iso:
        return None
    parts = [int(p) for p in re.findall(r"\d+", iso)[:3]]
    keys = ("year", "month", "day")
    return {k: v for k, v in zip(keys, parts)}


def jionlp_system(row, lib):
    text = fold(row["text"], keep_spaces=row["type"] == "DATE")
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if row["type"] == "DATE":
                base = _time_base(row)
                res = lib.parse_time(text, time_base=base) if base else lib.parse_time(text)
                if not res or not res.get("time"):
                    return None
                return (res["time"][0], res["time"][1])
            if row["type"] == "COUNT":
                m = _NUMERIC_PREFIX.match(text)
                text = m.group(1) if m else text
            res = lib.parse_money(text)
    except Exception:  # noqa: BLE001
        return None
    if not res:
        return None
    num = res.get("num")
    if isinstance(num, list):
        if num[0] is None:
            return None
        lo = float(num[0])
        hi = float(num[1]) if num[1] is not None else lo
        if "min" in row["norm"]:
            return (min(lo, hi), max(lo, hi))
        return lo                    # a blurred single amount: its lower bound (余 / 多)
    return float(num) if num is not None else None


def run(rows, verbose=False, out=sys.stdout):
    """Score every system; print one line per system (per type), and per class when the rows
    have classes. Returns {(system, type or class): [right, total, wrong]} and ours' exact norms
    under (\"ours-norm\", type or class)."""
    systems = [("ours", ours, None)]
    for name, loader, fn in (("cn2an", _load_cn2an, cn2an_system),
                             ("jionlp", _load_jionlp, jionlp_system)):
        try:
            systems.append((name, fn, loader()))
        except ImportError:
            print(f"{name}: not installed (pip install -e '.[test]'), skipped", file=out)
    scores = {}
    timing = {}
    for name, fn, lib in systems:
        for row in rows[:1]:                     # warm-up: lazy loads are not timed
            fn(row) if lib is None else fn(row, lib)
        t0 = time.perf_counter()
        for row in rows:
            got = fn(row) if lib is None else fn(row, lib)
            if got == "n/a":
                continue
            ok = date_ok(row["norm"], got) if row["type"] == "DATE" else value_ok(row["norm"], got)
            wrong = not ok and not is_null(got)
            for key in (row["type"], row["class"]):
                if key is None:
                    continue
                c = scores.setdefault((name, key), [0, 0, 0])
                c[0] += ok
                c[1] += 1
                c[2] += wrong
            if verbose and not ok:
                print(f"  {name:6s} {'WRONG' if wrong else 'null '} {row['type']:6s} "
                      f"{row['text']!r:28s} expected "
                      f"{json.dumps(row['norm'], ensure_ascii=False)} got {got!r}", file=out)
        timing[name] = (time.perf_counter() - t0) / max(1, len(rows)) * 1e6
    for row in rows:                             # ours: the whole norm (currency, approx, unit)
        exact = ours_norm(row) == row["norm"]
        for key in (row["type"], row["class"]):
            if key is not None:
                c = scores.setdefault(("ours-norm", key), [0, 0, 0])
                c[0] += exact
                c[1] += 1
        if verbose and not exact and value_ok_or_date(row):
            print(f"  ours   norm  {row['type']:6s} {row['text']!r:28s} expected "
                  f"{json.dumps(row['norm'], ensure_ascii=False)} got "
                  f"{json.dumps(ours_norm(row), ensure_ascii=False)}", file=out)
    types = [t for t in TYPES if any(r["type"] == t for r in rows)]
    _print_block("type", types, systems, scores, timing, out)
    classes = list(dict.fromkeys(r["class"] for r in rows if r["class"]))
    if classes:
        _print_block("class", classes, systems, scores, None, out)
    return scores


def value_ok_or_date(row) -> bool:
    got = ours(row)
    return date_ok(row["norm"], got) if row["type"] == "DATE" else value_ok(row["norm"], got)


def _cell(c) -> str:
    if not c:
        return f"{'n/a':>19s}"
    return f"{c[0]:>6d}/{c[1]:<5d}{100 * c[0] / c[1]:6.1f}% "


def _print_block(what, keys, systems, scores, timing, out):
    names = [n for n, _, _ in systems]
    print(f"\n{what:18s}" + "".join(f"{n:>19s}{'wrong':>6s}" for n in names)
          + f"{'ours norm':>19s}", file=out)
    for key in keys:
        line = f"{key:18s}"
        for n in names:
            c = scores.get((n, key))
            line += _cell(c) + (f"{c[2]:>6d}" if c else f"{'':>6s}")
        line += _cell(scores.get(("ours-norm", key)))
        print(line, file=out)
    total = f"{'all':18s}"
    for n in names:
        cs = [scores[(n, k)] for k in keys if (n, k) in scores]
        agg = [sum(c[i] for c in cs) for i in range(3)] if cs else None
        total += _cell(agg) + (f"{agg[2]:>6d}" if agg else f"{'':>6s}")
    cs = [scores[("ours-norm", k)] for k in keys if ("ours-norm", k) in scores]
    total += _cell([sum(c[i] for c in cs) for i in range(3)] if cs else None)
    print(total, file=out)
    if timing:
        print("us/span: " + ", ".join(f"{n} {timing[n]:.0f}" for n in names), file=out)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m lawie.train.compare_normalizers",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--table", type=Path, nargs="*", default=None,
                    help=f"TSVs of expected norms (default: {DEFAULT_TABLE.name} of the repo; "
                         f"{FORMS_TABLE.name} holds the forms of issue 17, by class)")
    ap.add_argument("--jsonl", type=Path, nargs="*", default=[],
                    help="gold JSONL documents to score on as well / instead")
    ap.add_argument("--verbose", "-v", action="store_true", help="print every miss")
    args = ap.parse_args(argv)
    rows = []
    tables = args.table if args.table else ([] if args.jsonl else [DEFAULT_TABLE])
    for path in tables:
        if not path.is_file():
            raise SystemExit(f"error: table {path} not found")
        rows += read_table(path)
    for path in args.jsonl:
        if not path.is_file():
            raise SystemExit(f"error: {path} not found")
        rows += read_jsonl(path)
    rows = [r for r in rows if r["type"] in TYPES]
    counts = ", ".join(f"{t} {sum(r['type'] == t for r in rows)}" for t in TYPES)
    print(f"{len(rows)} spans ({counts})")
    run(rows, verbose=args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())

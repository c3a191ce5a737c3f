"""Measure off-the-shelf normalizers (cn2an, jionlp) against ours on a table of expected norms.

    python -m lawie.train.compare_normalizers [--table tests/data/seed_values.tsv]
                                              [--jsonl gold.jsonl ...] [--verbose]

Scored per entity type: COUNT and MONEY by value (or min and max of a range), DATE by start and
end. Every system gets the same folded span text (full-width, traditional, pinyin junk and
spaces removed: that step is not what is compared) and, for DATE, the same anchor.

- ours:   lawie.labels.values.normalize
- cn2an:  cn2an.cn2an(numeral, "smart") on each numeral run of the span (it has no date parser)
- jionlp: jionlp.parse_money (COUNT: on the span without its measure word) and
          jionlp.parse_time with the anchor as time_base; a DATE counts as right when the
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

from lawie.labels.numbers import fold
from lawie.labels.values import normalize

TYPES = ("DATE", "COUNT", "MONEY")
DEFAULT_TABLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "seed_values.tsv"
_RUN = re.compile(r"[0-9.零〇一二两三四五六七八九十百千万亿]+")
_NUMERIC_PREFIX = re.compile(r"^(.*[0-9零〇一二两三四五六七八九十百千万亿余多])")


def read_table(path: Path):
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("type\t"):
            continue
        type_, text, anchor, doc_date, norm = line.split("\t")[:5]
        rows.append({"type": type_, "text": text, "anchor": anchor or None,
                     "doc_date": doc_date or None, "norm": json.loads(norm)})
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
                         "doc_date": doc_date, "norm": ent["norm"]})
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

def ours(row):
    norm = normalize(row["type"], row["text"], row["anchor"], row["doc_date"])
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
    text = fold(row["text"])
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
            c = scores.setdefault((name, row["type"]), [0, 0])
            c[0] += ok
            c[1] += 1
            if verbose and not ok:
                print(f"  {name:6s} {row['type']:5s} {row['text']!r:28s} expected "
                      f"{json.dumps(row['norm'], ensure_ascii=False)} got {got!r}", file=out)
        timing[name] = (time.perf_counter() - t0) / max(1, len(rows)) * 1e6
    header = f"{'system':8s}" + "".join(f"{t:>16s}" for t in TYPES) + f"{'us/span':>10s}"
    print(header, file=out)
    for name, _, _ in systems:
        cells = []
        for t in TYPES:
            c = scores.get((name, t))
            cells.append(f"{'n/a':>16s}" if not c else
                         f"{c[0]:>5d}/{c[1]:<4d}{100 * c[0] / c[1]:5.1f}%")
        print(f"{name:8s}" + "".join(cells) + f"{timing[name]:10.0f}", file=out)
    return scores


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m lawie.train.compare_normalizers",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--table", type=Path, default=None,
                    help=f"TSV of expected norms (default: {DEFAULT_TABLE.name} of the repo)")
    ap.add_argument("--jsonl", type=Path, nargs="*", default=[],
                    help="gold JSONL documents to score on as well / instead")
    ap.add_argument("--verbose", "-v", action="store_true", help="print every miss")
    args = ap.parse_args(argv)
    rows = []
    tables = [args.table] if args.table else ([] if args.jsonl else [DEFAULT_TABLE])
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

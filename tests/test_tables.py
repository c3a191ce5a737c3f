"""Tables (lawie.infer.tables, `lawie predict --format csv|xlsx`) opened with a reader: one row per
event and per entity, numbers as numbers, dates as dates."""
import csv
import datetime as dt
import json
import subprocess
import sys

import pytest

from conftest import ROOT

from lawie.infer.tables import defendant_columns, entity_columns, event_columns, iso_bounds
from lawie.labels.schema import RELATION_TYPES

DEMO = ROOT / "corpus" / "examples" / "demo.txt"


def predict(*args):
    r = subprocess.run([sys.executable, "-m", "lawie", "predict", "-q", *map(str, args)],
                       capture_output=True, timeout=300)
    return r


@pytest.fixture(scope="module")
def demo_doc():
    r = predict(DEMO)
    assert r.returncode == 0, r.stderr.decode()
    return json.loads(r.stdout.decode().splitlines()[0])


def test_iso_bounds():
    assert iso_bounds("2025-06-18") == (dt.date(2025, 6, 18), dt.date(2025, 6, 18))
    assert iso_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert iso_bounds("2025") == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert iso_bounds("2025-13") == (None, None) and iso_bounds(None) == (None, None)


def test_columns_follow_the_schema():
    cols = event_columns()
    for role in RELATION_TYPES:
        if role not in ("alias_of", "date"):
            assert role in cols
    assert {"amount_value", "amount_currency", "count_value", "count_unit"} <= set(cols)
    assert {"norm_start", "norm_value", "norm_kind", "norm_article"} <= set(entity_columns())


def test_xlsx_cells(tmp_path, demo_doc):
    from openpyxl import load_workbook
    out = tmp_path / "out.xlsx"
    r = predict(DEMO, "--format", "xlsx", "-o", out)
    assert r.returncode == 0, r.stderr.decode()
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["events", "entities", "defendants"]
    ev = list(wb["events"].iter_rows(values_only=True))
    assert list(ev[0]) == event_columns()
    rows = [dict(zip(ev[0], row)) for row in ev[1:]]
    assert len(rows) == len(demo_doc["events"])
    for row, e in zip(rows, demo_doc["events"]):
        assert row["doc_id"] == "demo" and row["act"] == e["text"] and row["kind"] == e["kind"]
        if e["when"]:
            assert isinstance(row["date_from"], dt.datetime) and isinstance(row["date_to"], dt.datetime)
            assert row["date_from"].date() == iso_bounds(e["when"]["start"])[0]
        else:
            assert row["date_from"] is None and row["date"] is None
        if e["amount"] and e["amount"][0]["norm"].get("value") is not None:
            assert row["amount_value"] == e["amount"][0]["norm"]["value"]
            assert isinstance(row["amount_value"], (int, float))
            assert row["amount"] == "、".join(a["text"] for a in e["amount"])
    fine = next(r for r in rows if r["kind"] == "penalty")
    assert fine["amount_value"] == 50000 and fine["amount_currency"] == "CNY"
    assert fine["date_from"] == dt.datetime(2025, 11, 1) and fine["date_to"] == dt.datetime(2025, 11, 30)
    en = list(wb["entities"].iter_rows(values_only=True))
    ents = [dict(zip(en[0], row)) for row in en[1:]]
    assert len(ents) == len(demo_doc["entities"])
    for row, e in zip(ents, demo_doc["entities"]):
        assert (row["id"], row["type"], row["start"], row["end"], row["text"]) == \
            (e["id"], e["type"], e["start"], e["end"], e["text"])
        assert isinstance(row["start"], int) and isinstance(row["score"], (int, float))
        assert row["score"] == e["score"]
        if e["type"] in ("MONEY", "COUNT") and e["norm"].get("value") is not None:
            assert row["norm_value"] == e["norm"]["value"]
        if e["type"] == "STATUTE":
            assert row["norm_article"] == e["norm"]["article"]
    de = list(wb["defendants"].iter_rows(values_only=True))
    assert list(de[0]) == defendant_columns()
    want = [(ev["text"], d["target"]["text"]) for ev in demo_doc["events"]
            for d in ev.get("defendants") or []]
    got = [dict(zip(de[0], row)) for row in de[1:]]
    assert [(r["act"], r["defendant"]) for r in got] == want
    for r in got:                 # the demo's judgment: 陈某某, 有期徒刑一年, a fine of 二万元
        if r["sentence"]:
            assert isinstance(r["sentence_months"], (int, float))
        if r["amount"]:
            assert isinstance(r["amount_value"], (int, float))
    wb.close()


def test_csv_tables(tmp_path, demo_doc):
    out = tmp_path / "out.csv"
    r = predict(DEMO, "--format", "csv", "-o", out)
    assert r.returncode == 0, r.stderr.decode()
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(demo_doc["events"])
    assert rows[0]["date"] == demo_doc["events"][0]["when"]["start"]
    with (tmp_path / "out.entities.csv").open(encoding="utf-8-sig", newline="") as fh:
        ents = list(csv.DictReader(fh))
    assert [e["text"] for e in ents] == [e["text"] for e in demo_doc["entities"]]
    with (tmp_path / "out.defendants.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh)) == defendant_columns()
    # without -o the events table goes to stdout
    r = predict(DEMO, "--format", "csv")
    assert r.returncode == 0
    assert len(list(csv.DictReader(r.stdout.decode().splitlines()))) == len(demo_doc["events"])


def test_xlsx_needs_a_file():
    r = predict(DEMO, "--format", "xlsx")
    assert r.returncode == 2
    assert r.stderr.decode().strip() == "lawie: error: --format xlsx needs an output file: -o FILE.xlsx"

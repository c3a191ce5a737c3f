"""Output documents as tables for a spreadsheet or a data frame: one row per event (the case
timeline) and one row per entity.

    from lawie.infer.tables import TableWriter
    with TableWriter("out.xlsx") as w:        # or out.csv (+ out.entities.csv beside it)
        for doc in docs:
            w.add(doc)

Event columns: doc_id, action, date (the normalized value as written: 2025-04, 2025-06-18,
2025-04..2025-06), date_from and date_to (the first and last day it covers, as dates), act, kind,
then one column per event role of lawie.labels.schema (the argument texts joined with 、); roles
whose arguments are numbers also get the first argument's number (amount_value, amount_currency,
count_value, count_unit, sentence_months; blank for a range, whose bounds are in the entities
table). A sentencing act's defendants get a row each in a third table (defendant, sentence,
sentence_months, amount, amount_value, charge). Entity columns: doc_id, id, type, start, end, text, score, date_from, date_to (DATE only),
and norm_<field> for every norm field of every type. In xlsx, numbers are numbers and date_from /
date_to are dates; CSV is UTF-8 (with a byte-order mark in files, which Excel needs to read it).
"""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import json
import re
import sys
from pathlib import Path

from lawie.labels import schema

# the number a role's argument carries, and the field naming its unit (tail type -> fields)
_NUMERIC = {"MONEY": ("value", "currency"), "COUNT": ("value", "unit"), "SENTENCE": ("months", None)}
_SUFFIX = {"value": "value", "months": "months"}


def event_roles() -> tuple[str, ...]:
    return tuple(r for r in schema.RELATION_TYPES if r not in ("alias_of", "date"))


def _numeric_of(role: str):
    """(tail type, number field, unit field) of a role whose arguments are numbers, else None."""
    tails = schema.RELATION_SIGNATURES[role][1]
    for t in tails:
        if t in _NUMERIC:
            return (t,) + _NUMERIC[t]
    return None


def event_columns() -> list[str]:
    cols = ["doc_id", "action", "date", "date_from", "date_to", "act", "kind"]
    for role in event_roles():
        cols.append(role)
        num = _numeric_of(role)
        if num:
            cols.append(f"{role}_{_SUFFIX[num[1]]}")
            if num[2]:
                cols.append(f"{role}_{num[2]}")
    return cols


def defendant_columns() -> list[str]:
    """A sentencing act's defendants, one row each: who, and what they got."""
    cols = ["doc_id", "action", "date", "date_from", "date_to", "act", "defendant"]
    for role in ("sentence", "amount", "charge"):
        if role in schema.RELATION_SIGNATURES:
            cols.append(role)
            num = _numeric_of(role)
            if num:
                cols.append(f"{role}_{_SUFFIX[num[1]]}")
    return cols


def defendant_rows(doc: dict):
    """One dict per (event, defendant) of `doc`, keys = defendant_columns()."""
    cols = defendant_columns()
    for ev in doc.get("events") or []:
        date, d_from, d_to = _when_cells(ev.get("when"))
        for d in ev.get("defendants") or []:
            row = {"doc_id": doc.get("id"), "action": ev.get("action"), "date": date,
                   "date_from": d_from, "date_to": d_to, "act": ev.get("text"),
                   "defendant": (d.get("target") or {}).get("text")}
            for role in ("sentence", "amount", "charge"):
                if role not in cols:
                    continue
                args = d.get(role) or []
                row[role] = "、".join(str(a.get("text", "")) for a in args) or None
                num = _numeric_of(role)
                if num:
                    v = ((args[0].get("norm") or {}) if args else {}).get(num[1])
                    row[f"{role}_{_SUFFIX[num[1]]}"] = v if isinstance(v, (int, float)) \
                        and not isinstance(v, bool) else None
            yield row


def norm_fields() -> list[str]:
    fields: list[str] = []
    for t in schema.ENTITY_TYPES:
        for f in getattr(schema, "NORM_FIELDS", {}).get(t, ()):
            if f not in fields:
                fields.append(f)
    return fields


def entity_columns() -> list[str]:
    return (["doc_id", "id", "type", "start", "end", "text", "score", "date_from", "date_to"]
            + [f"norm_{f}" for f in norm_fields()] + ["norm_other"])


_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def iso_bounds(value) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) covers."""
    m = _ISO.match(value) if isinstance(value, str) else None
    if not m:
        return None, None
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d:
            day = dt.date(y, int(mo), int(d))
            return day, day
        if mo:
            last = calendar.monthrange(y, int(mo))[1]
            return dt.date(y, int(mo), 1), dt.date(y, int(mo), last)
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    except ValueError:
        return None, None


def _when_cells(when) -> tuple[str | None, dt.date | None, dt.date | None]:
    if not when or not when.get("start"):
        return None, None, None
    s, e = when.get("start"), when.get("end") or when.get("start")
    text = s if s == e else f"{s}..{e}"
    return text, iso_bounds(s)[0], iso_bounds(e)[1]


def event_rows(doc: dict):
    """One dict per event of `doc`, keys = event_columns()."""
    for ev in doc.get("events") or []:
        date, d_from, d_to = _when_cells(ev.get("when"))
        row = {"doc_id": doc.get("id"), "action": ev.get("action"), "date": date,
               "date_from": d_from, "date_to": d_to, "act": ev.get("text"), "kind": ev.get("kind")}
        for role in event_roles():
            args = ev.get(role) or []
            row[role] = "、".join(str(a.get("text", "")) for a in args) or None
            num = _numeric_of(role)
            if num:
                norm = (args[0].get("norm") or {}) if args else {}
                value = norm.get(num[1])
                row[f"{role}_{_SUFFIX[num[1]]}"] = value if isinstance(value, (int, float)) \
                    and not isinstance(value, bool) else None
                if num[2]:
                    row[f"{role}_{num[2]}"] = norm.get(num[2])
        yield row


def entity_rows(doc: dict):
    """One dict per entity of `doc`, keys = entity_columns()."""
    fields = norm_fields()
    for e in doc.get("entities") or []:
        norm = e.get("norm") or {}
        row = {"doc_id": doc.get("id"), "id": e.get("id"), "type": e.get("type"),
               "start": e.get("start"), "end": e.get("end"), "text": e.get("text"),
               "score": e.get("score"), "date_from": None, "date_to": None}
        if e.get("type") == "DATE":
            row["date_from"] = iso_bounds(norm.get("start"))[0]
            row["date_to"] = iso_bounds(norm.get("end") or norm.get("start"))[1]
        for f in fields:
            v = norm.get(f)
            row[f"norm_{f}"] = v if v is None or isinstance(v, (str, int, float)) \
                else json.dumps(v, ensure_ascii=False)
        other = {k: v for k, v in norm.items() if k not in fields}
        row["norm_other"] = json.dumps(other, ensure_ascii=False) if other else None
        yield row


def _csv_cell(v):
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


class TableWriter:
    """Writes documents as tables: `path` ending .xlsx (sheets events, entities and defendants) or
    .csv (the events; <stem>.entities.csv and <stem>.defendants.csv beside it). `path=None` writes the events CSV
    to standard output."""

    def __init__(self, path: str | Path | None, fmt: str | None = None):
        self.path = Path(path) if path is not None else None
        self.fmt = fmt or (self.path.suffix.lstrip(".").lower() if self.path else "csv")
        if self.fmt not in ("csv", "xlsx"):
            raise ValueError(f"{path}: table format must be csv or xlsx, not {self.fmt!r}")
        self.ecols, self.ncols, self.dcols = event_columns(), entity_columns(), defendant_columns()
        self.n = 0
        if self.fmt == "xlsx":
            if self.path is None:
                raise ValueError("xlsx needs an output file (-o FILE.xlsx)")
            from openpyxl import Workbook
            self.wb = Workbook(write_only=True)
            self.sheets = {"events": self.wb.create_sheet("events"),
                           "entities": self.wb.create_sheet("entities"),
                           "defendants": self.wb.create_sheet("defendants")}
            for name, cols in (("events", self.ecols), ("entities", self.ncols),
                               ("defendants", self.dcols)):
                ws = self.sheets[name]
                ws.freeze_panes = "A2"
                ws.append(self._header(ws, cols))
            self.wb_path = self.path
            # fail now, not after the whole run, when the file cannot be written
            self.path.open("ab").close()
        else:
            self._files = []
            if self.path is None:
                self.ev_fh, self.en_fh, self.de_fh = sys.stdout, None, None
            else:
                self.ev_fh = self._open(self.path)
                self.en_fh = self._open(self.path.with_name(self.path.stem + ".entities.csv"))
                self.de_fh = self._open(self.path.with_name(self.path.stem + ".defendants.csv"))
            self.ev = csv.DictWriter(self.ev_fh, self.ecols, lineterminator="\n")
            self.ev.writeheader()
            self.en = self.de = None
            if self.en_fh is not None:
                self.en = csv.DictWriter(self.en_fh, self.ncols, lineterminator="\n")
                self.en.writeheader()
                self.de = csv.DictWriter(self.de_fh, self.dcols, lineterminator="\n")
                self.de.writeheader()

    def _open(self, p: Path):
        fh = p.open("w", encoding="utf-8-sig", newline="")
        self._files.append(fh)
        return fh

    @staticmethod
    def _header(ws, cols):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        out = []
        for c in cols:
            cell = WriteOnlyCell(ws, value=c)
            cell.font = Font(bold=True)
            out.append(cell)
        return out

    def _xlsx_row(self, ws, row: dict, cols: list[str]):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        out = []
        for c in cols:
            v = row.get(c)
            if isinstance(v, str):
                v = ILLEGAL_CHARACTERS_RE.sub("", v)
            cell = WriteOnlyCell(ws, value=v)
            if isinstance(v, dt.date):
                cell.number_format = "yyyy-mm-dd"
            out.append(cell)
        return out

    def add(self, doc: dict) -> None:
        self.n += 1
        if self.fmt == "xlsx":
            for name, rows, cols in (("events", event_rows(doc), self.ecols),
                                     ("entities", entity_rows(doc), self.ncols),
                                     ("defendants", defendant_rows(doc), self.dcols)):
                ws = self.sheets[name]
                for r in rows:
                    ws.append(self._xlsx_row(ws, r, cols))
        else:
            for r in event_rows(doc):
                self.ev.writerow({k: _csv_cell(v) for k, v in r.items()})
            if self.en is not None:
                for r in entity_rows(doc):
                    self.en.writerow({k: _csv_cell(v) for k, v in r.items()})
                for r in defendant_rows(doc):
                    self.de.writerow({k: _csv_cell(v) for k, v in r.items()})
            self.ev_fh.flush()

    def close(self) -> None:
        if self.fmt == "xlsx":
            self.wb.save(self.wb_path)
        else:
            for fh in self._files:
                fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

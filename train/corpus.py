"""The corpus file format of ANNOTATION.md ("File format"): one document per JSONL line,
`{id, text, meta, entities, relations}`, the same shape for gold data, model output and the scorer.

    read_jsonl(path)      -> iterator of documents (CorpusError "path:line: ..." on a broken line)
    write_jsonl(docs, p)  -> writes one compact UTF-8 JSON object per line
    validate_doc(doc)     -> list of every problem found in one document
    validate_file(path)   -> the same for a file, each message "path:line: doc-id: problem"
    load_corpus(paths)    -> the documents of several files / directories of *.jsonl
    to_dataset(docs)      -> datasets.Dataset (JSON-string columns; from_dataset undoes it)
    bio_tags(doc)         -> one IOB2 tag per character of the text

Decisions the spec leaves open (documented here, applied by the validator):
- `meta` is optional; when present it is an object and `meta.date` is an ISO date or null.
- `norm` is required on every entity and is an object with the fields of its type
  (`schema.NORM_FIELDS`; a stray `score` inside it is tolerated); COUNT and MONEY need `value` or
  both `min`/`max` (gold sometimes gives all three, which is accepted).
- Guideline version 2: STATUTE `article_sub` may be absent (a version 1 document: read as null);
  SENTENCE needs `penalty` and at most one of `months` or a `min`/`max` range; CHARGE `name`
  ends with 罪. A STATUTE may end with the closing bracket of its title (刑法修正案(九)).
- Relations may carry an `id` and a `score`; a relation joining an entity to itself is a problem.
- Two entities with the same type and span are reported as a duplicate.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from pathlib import Path
from typing import Iterable, Iterator

from lawie.labels import schema

__all__ = ["CorpusError", "read_jsonl", "write_jsonl", "validate_doc", "validate_file",
           "load_corpus", "to_dataset", "from_dataset", "bio_tags", "bio_from_entities"]


class CorpusError(ValueError):
    """A corpus file or record that cannot be read; the message is one line naming the input."""


# ---------------------------------------------------------------------------- reading / writing

def read_jsonl(path) -> Iterator[dict]:
    """Yield the documents of a JSONL file; blank lines are skipped.

    Raises CorpusError("path:line: ...") for a line that is not a JSON object, and
    CorpusError("path: ...") when the file cannot be opened or decoded."""
    for lineno, doc, err in _iter_lines(path):
        if err:
            raise CorpusError(f"{path}:{lineno}: {err}")
        yield doc


def _iter_lines(path):
    """(lineno, doc, error) per non-blank line; error is a message when the line is unusable."""
    p = Path(path)
    try:
        fh = open(p, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise CorpusError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CorpusError(f"{path}: is a directory, expected a .jsonl file") from None
    except OSError as e:
        raise CorpusError(f"{path}: cannot open ({e.strerror})") from None
    with fh:
        lineno = 0
        while True:
            try:
                line = fh.readline()
            except UnicodeDecodeError as e:
                raise CorpusError(f"{path}:{lineno + 1}: not UTF-8 text ({e.reason})") from None
            if not line:
                break
            lineno += 1
            # readline with newline="" splits on \n, \r\n and \r; only \n ends a JSONL record,
            # but JSON strings cannot contain a raw \r either, so this loses nothing.
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as e:
                yield lineno, None, f"invalid JSON ({e.msg} at column {e.colno})"
                continue
            if not isinstance(doc, dict):
                yield lineno, None, f"expected a JSON object, got {type(doc).__name__}"
                continue
            yield lineno, doc, None


def write_jsonl(docs: Iterable[dict], path) -> int:
    """Write documents one per line (UTF-8, non-ASCII kept); return how many were written."""
    p = Path(path)
    if p.parent and not p.parent.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    try:
        with open(p, "w", encoding="utf-8", newline="\n") as fh:
            for doc in docs:
                fh.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
                n += 1
    except OSError as e:
        raise CorpusError(f"{path}: cannot write ({e.strerror})") from None
    return n


def load_corpus(paths, validate: bool = False) -> list[dict]:
    """Documents of one or several paths (a .jsonl file or a directory, whose *.jsonl files are
    read in name order). Doc ids must be unique over all of them. With validate=True the first
    problem found raises CorpusError."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(p.glob("*.jsonl"))
            if not found:
                raise CorpusError(f"{p}: directory holds no .jsonl file")
            files.extend(found)
        else:
            files.append(p)
    docs, seen = [], {}
    for f in files:
        if validate:
            problems = validate_file(f)
            if problems:
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                raise CorpusError(problems[0] + more)
        for lineno, doc, err in _iter_lines(f):
            if err:
                raise CorpusError(f"{f}:{lineno}: {err}")
            did = doc.get("id")
            if did in seen:
                raise CorpusError(f"{f}:{lineno}: duplicate document id {did!r} "
                                  f"(first seen at {seen[did]})")
            seen[did] = f"{f}:{lineno}"
            docs.append(doc)
    return docs


# ---------------------------------------------------------------------------- validation

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_STATUTE_BRACKETS = ("《", "》")
# a STATUTE may end with the closing bracket of a title's own bracket (刑法修正案(九))
_TITLE_BRACKETS = {")": "(", "）": "（"}


def _iso_ok(s) -> bool:
    m = _ISO.match(s) if isinstance(s, str) else None
    if not m:
        return False
    month, day = m.group(2), m.group(3)
    if month is not None and not 1 <= int(month) <= 12:
        return False
    if day is not None:
        import datetime
        try:
            datetime.date(int(m.group(1)), int(month), int(day))
        except ValueError:
            return False
    return True


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _is_edge_bad(ch: str) -> bool:
    """Whitespace or punctuation (Unicode categories Z*, P*, and control characters)."""
    if ch.isspace():
        return True
    cat = unicodedata.category(ch)
    return cat[0] in ("P", "Z") or cat == "Cc"


def _check_norm(etype: str, norm, where: str) -> list[str]:
    out = []
    if not isinstance(norm, dict):
        return [f"{where}: norm must be an object, got {type(norm).__name__}"]
    allowed = set(schema.NORM_FIELDS[etype])
    extra = sorted(set(norm) - allowed - {"score"})
    if extra:
        out.append(f"{where}: unknown norm field(s) for {etype}: {', '.join(extra)}")

    def need(key):
        if key not in norm:
            out.append(f"{where}: norm.{key} missing")
            return False
        return True

    if etype == "DATE":
        for k in ("start", "end"):
            if need(k) and norm[k] is not None and not _iso_ok(norm[k]):
                out.append(f"{where}: norm.{k} {norm[k]!r} is not ISO YYYY, YYYY-MM or YYYY-MM-DD")
    elif etype in ("COUNT", "MONEY"):
        has_value = norm.get("value") is not None
        has_range = norm.get("min") is not None or norm.get("max") is not None
        if not has_value and not has_range:
            out.append(f"{where}: norm needs value or min/max")
        for k in ("value", "min", "max"):
            if norm.get(k) is not None and not _is_number(norm[k]):
                out.append(f"{where}: norm.{k} {norm[k]!r} is not a number")
        if has_range:
            lo, hi = norm.get("min"), norm.get("max")
            if lo is None or hi is None:
                out.append(f"{where}: norm range needs both min and max")
            elif _is_number(lo) and _is_number(hi) and lo > hi:
                out.append(f"{where}: norm.min {lo} is greater than norm.max {hi}")
        if need("approx") and norm["approx"] is not None and norm["approx"] not in schema.APPROX:
            out.append(f"{where}: norm.approx {norm['approx']!r} not one of "
                       f"{', '.join(schema.APPROX)} or null")
        if etype == "COUNT":
            if need("unit") and not (isinstance(norm["unit"], str) and norm["unit"].strip()):
                out.append(f"{where}: norm.unit must be a non-empty string")
        else:
            if need("currency") and not (isinstance(norm["currency"], str)
                                         and _CURRENCY.match(norm["currency"])):
                out.append(f"{where}: norm.currency {norm['currency']!r} is not a 3-letter code")
    elif etype == "AGENCY":
        if need("name") and not (isinstance(norm["name"], str) and norm["name"].strip()):
            out.append(f"{where}: norm.name must be a non-empty string")
        if need("kind") and norm["kind"] not in schema.AGENCY_KINDS:
            out.append(f"{where}: norm.kind {norm['kind']!r} not one of "
                       f"{', '.join(schema.AGENCY_KINDS)}")
    elif etype == "STATUTE":
        if need("title"):
            t = norm["title"]
            if not (isinstance(t, str) and t.strip()):
                out.append(f"{where}: norm.title must be a non-empty string")
            elif any(b in t for b in _STATUTE_BRACKETS):
                out.append(f"{where}: norm.title {t!r} must not contain 《》")
        for k in ("article", "article_sub"):
            if k == "article" and not need(k):
                continue
            a = norm.get(k)
            if a is not None and (not isinstance(a, int) or isinstance(a, bool) or a < 1):
                out.append(f"{where}: norm.{k} {a!r} must be a positive integer or null")
        if norm.get("article_sub") is not None and norm.get("article") is None:
            out.append(f"{where}: norm.article_sub needs norm.article")
    elif etype == "SENTENCE":
        if need("penalty") and norm["penalty"] not in schema.SENTENCE_PENALTIES:
            out.append(f"{where}: norm.penalty {norm['penalty']!r} not one of "
                       f"{', '.join(schema.SENTENCE_PENALTIES)}")
        for k in ("months", "min", "max"):
            v = norm.get(k)
            if v is not None and not (_is_number(v) and v >= 0):
                out.append(f"{where}: norm.{k} {v!r} must be a number of months >= 0 or null")
        lo, hi = norm.get("min"), norm.get("max")
        if (lo is None) != (hi is None):
            out.append(f"{where}: norm range needs both min and max")
        elif _is_number(lo) and _is_number(hi) and lo > hi:
            out.append(f"{where}: norm.min {lo} is greater than norm.max {hi}")
        if norm.get("months") is not None and lo is not None:
            out.append(f"{where}: norm has both months and a min/max range")
    elif etype == "CHARGE":
        if need("name"):
            n = norm["name"]
            if not (isinstance(n, str) and n.strip()):
                out.append(f"{where}: norm.name must be a non-empty string")
            elif not n.endswith("罪"):
                out.append(f"{where}: norm.name {n!r} must end with 罪")
    elif etype == "PARTY":
        if need("kind") and norm["kind"] not in schema.PARTY_KINDS:
            out.append(f"{where}: norm.kind {norm['kind']!r} not one of "
                       f"{', '.join(schema.PARTY_KINDS)}")
    elif etype == "ACTION":
        if need("kind") and norm["kind"] not in schema.ACTION_KINDS:
            out.append(f"{where}: norm.kind {norm['kind']!r} not one of "
                       f"{', '.join(schema.ACTION_KINDS)}")
    if "score" in norm and not _score_ok(norm["score"]):
        out.append(f"{where}: norm.score {norm['score']!r} not a number in [0, 1]")
    return out


def _score_ok(s) -> bool:
    return _is_number(s) and 0.0 <= s <= 1.0


def validate_doc(doc) -> list[str]:
    """Every problem of one document, as short messages (empty list: the document is valid)."""
    if not isinstance(doc, dict):
        return [f"document must be a JSON object, got {type(doc).__name__}"]
    problems = []
    for key, typ in (("id", str), ("text", str), ("entities", list), ("relations", list)):
        if key not in doc:
            problems.append(f"missing key {key!r}")
        elif not isinstance(doc[key], typ):
            problems.append(f"{key!r} must be a {'string' if typ is str else 'list'}")
    if isinstance(doc.get("id"), str) and not doc["id"].strip():
        problems.append("'id' is empty")
    if "meta" in doc:
        meta = doc["meta"]
        if not isinstance(meta, dict):
            problems.append("'meta' must be an object")
        elif meta.get("date") is not None and not _iso_ok(meta["date"]):
            problems.append(f"meta.date {meta['date']!r} is not an ISO date")
    text = doc.get("text") if isinstance(doc.get("text"), str) else None
    ents = doc.get("entities") if isinstance(doc.get("entities"), list) else []
    rels = doc.get("relations") if isinstance(doc.get("relations"), list) else []

    by_id, spans = {}, {}
    for i, e in enumerate(ents):
        where = f"entity #{i}"
        if not isinstance(e, dict):
            problems.append(f"{where}: must be an object")
            continue
        eid = e.get("id")
        if isinstance(eid, str) and eid:
            where = f"entity {eid}"
            if eid in by_id:
                problems.append(f"{where}: duplicate entity id")
            else:
                by_id[eid] = e
        else:
            problems.append(f"{where}: 'id' must be a non-empty string")
        missing = [k for k in ("type", "start", "end", "text", "norm") if k not in e]
        if missing:
            problems.append(f"{where}: missing key(s) {', '.join(missing)}")
        etype = e.get("type")
        type_ok = etype in schema.ENTITY_TYPES
        if "type" in e and not type_ok:
            problems.append(f"{where}: unknown entity type {etype!r}")
        s, t = e.get("start"), e.get("end")
        offs_ok = (isinstance(s, int) and not isinstance(s, bool)
                   and isinstance(t, int) and not isinstance(t, bool))
        if ("start" in e and "end" in e) and not offs_ok:
            problems.append(f"{where}: start/end must be integers")
        if offs_ok and text is not None:
            if not 0 <= s < t <= len(text):
                problems.append(f"{where}: offsets [{s}, {t}) outside text of length {len(text)} "
                                f"or empty")
            else:
                span = text[s:t]
                if "text" in e and e["text"] != span:
                    problems.append(f"{where}: text {e['text']!r} != text[{s}:{t}] {span!r}")
                first_ok = etype == "STATUTE" and span[0] == _STATUTE_BRACKETS[0]
                last_ok = etype == "STATUTE" and (
                    span[-1] == _STATUTE_BRACKETS[1]
                    or (span[-1] in _TITLE_BRACKETS and _TITLE_BRACKETS[span[-1]] in span))
                if _is_edge_bad(span[0]) and not first_ok:
                    problems.append(f"{where}: span {span!r} starts with whitespace or "
                                    f"punctuation")
                if _is_edge_bad(span[-1]) and not last_ok:
                    problems.append(f"{where}: span {span!r} ends with whitespace or "
                                    f"punctuation")
                key = (etype, s, t)
                if key in spans:
                    problems.append(f"{where}: same type and span as entity {spans[key]}")
                else:
                    spans[key] = eid
        if type_ok and "norm" in e:
            problems.extend(_check_norm(etype, e["norm"], where))
        if "score" in e and not _score_ok(e["score"]):
            problems.append(f"{where}: score {e['score']!r} not a number in [0, 1]")

    seen_rel = set()
    for i, r in enumerate(rels):
        where = f"relation #{i}"
        if not isinstance(r, dict):
            problems.append(f"{where}: must be an object")
            continue
        missing = [k for k in ("type", "head", "tail") if k not in r]
        if missing:
            problems.append(f"{where}: missing key(s) {', '.join(missing)}")
            continue
        role, head, tail = r["type"], r["head"], r["tail"]
        where = f"relation #{i} ({role} {head}->{tail})"
        if role not in schema.RELATION_TYPES:
            problems.append(f"{where}: unknown relation type {role!r}")
        dangling = [x for x in (head, tail) if not isinstance(x, str) or x not in by_id]
        for x in dangling:
            problems.append(f"{where}: refers to unknown entity {x!r}")
        if head == tail:
            problems.append(f"{where}: head and tail are the same entity")
        if not dangling and role in schema.RELATION_TYPES:
            ht, tt = by_id[head].get("type"), by_id[tail].get("type")
            if ht in schema.ENTITY_TYPES and tt in schema.ENTITY_TYPES \
                    and not schema.relation_allowed(role, ht, tt):
                problems.append(f"{where}: {role} may not join {ht} -> {tt}")
        key = (role, head, tail) if isinstance(head, str) and isinstance(tail, str) else None
        if key is not None:
            if key in seen_rel:
                problems.append(f"{where}: duplicate relation")
            seen_rel.add(key)
        if "score" in r and not _score_ok(r["score"]):
            problems.append(f"{where}: score {r['score']!r} not a number in [0, 1]")
    return problems


def validate_file(path) -> list[str]:
    """Problems of every line of a JSONL file, each "path:line: doc-id: problem"; lines that are
    not JSON objects and duplicate document ids are reported too. A file that cannot be opened
    raises CorpusError."""
    out, seen = [], {}
    for lineno, doc, err in _iter_lines(path):
        if err:
            out.append(f"{path}:{lineno}: {err}")
            continue
        did = doc.get("id")
        label = did if isinstance(did, str) and did else "?"
        if isinstance(did, str):
            if did in seen:
                out.append(f"{path}:{lineno}: {label}: duplicate document id (first at line "
                           f"{seen[did]})")
            else:
                seen[did] = lineno
        out.extend(f"{path}:{lineno}: {label}: {p}" for p in validate_doc(doc))
    return out


# ---------------------------------------------------------------------------- views

_DS_COLUMNS = ("id", "text", "meta", "entities", "relations")
_ENT_FIELDS = ("id", "type", "start", "end", "text", "score")      # typed; norm is JSON
_REL_FIELDS = ("id", "type", "head", "tail", "score")


def dataset_features():
    """The datasets.Features of `to_dataset`: entities and relations are lists of structs with
    typed fields; only what differs in shape per document or per type is a JSON string: `meta`,
    an entity's `norm` (DATE has start/end, MONEY value/min/max/currency/approx, ...) and `extra`
    (keys outside the format, "{}" when none)."""
    import datasets
    s, i, f = datasets.Value("string"), datasets.Value("int64"), datasets.Value("float64")
    entity = {"id": s, "type": s, "start": i, "end": i, "text": s, "norm": s, "score": f,
              "extra": s}
    relation = {"id": s, "type": s, "head": s, "tail": s, "score": f, "extra": s}
    return datasets.Features({"id": s, "text": s, "meta": s, "entities": datasets.List(entity),
                              "relations": datasets.List(relation), "extra": s})


def _json(x) -> str:
    return json.dumps(x, ensure_ascii=False)


def _row(obj: dict, fields: tuple, json_fields: tuple = ()) -> dict:
    row = {k: obj.get(k) for k in fields}
    for k in json_fields:
        row[k] = _json(obj[k]) if k in obj else None
    # keys outside the format, and typed keys present as null (null in a column means absent)
    row["extra"] = _json({k: v for k, v in obj.items()
                          if k not in fields + json_fields or (k in fields and v is None)})
    return row


def _unrow(row: dict, fields: tuple, json_fields: tuple = ()) -> dict:
    obj = {k: row[k] for k in fields if row.get(k) is not None}
    for k in json_fields:
        if row.get(k) is not None:
            obj[k] = json.loads(row[k])
    obj.update(json.loads(row.get("extra") or "{}"))
    return obj


def to_dataset(docs):
    """A datasets.Dataset of documents, with the typed columns of `dataset_features`: id, text,
    meta (JSON), entities (list of {id, type, start, end, text, norm (JSON), score, extra}),
    relations (list of {id, type, head, tail, score, extra}), extra. A field a document leaves
    out is null; `from_dataset` gives the documents back unchanged."""
    import datasets
    rows = []
    for d in docs:
        row = {"id": d.get("id"), "text": d.get("text"),
               "meta": _json(d["meta"]) if "meta" in d else None,
               "entities": [_row(e, _ENT_FIELDS, ("norm",)) for e in d.get("entities", [])],
               "relations": [_row(r, _REL_FIELDS) for r in d.get("relations", [])],
               "extra": _json({k: v for k, v in d.items() if k not in _DS_COLUMNS})}
        for k in ("entities", "relations"):
            if k not in d:
                row["extra"] = _json({**json.loads(row["extra"]), f"__no_{k}": True})
        rows.append(row)
    return datasets.Dataset.from_list(rows, features=dataset_features())


def from_dataset(ds) -> list[dict]:
    """Inverse of to_dataset."""
    out = []
    for row in ds:
        extra = json.loads(row.get("extra") or "{}")
        d = {"id": row["id"], "text": row["text"]}
        if row["meta"] is not None:
            d["meta"] = json.loads(row["meta"])
        for k, fields, js in (("entities", _ENT_FIELDS, ("norm",)), ("relations", _REL_FIELDS, ())):
            if not extra.pop(f"__no_{k}", False):
                d[k] = [_unrow(x, fields, js) for x in row[k]]
        d.update(extra)
        out.append(d)
    return out


def bio_from_entities(n: int, entities: Iterable[dict]) -> list[str]:
    """IOB2 tags for a text of n characters. Overlap rule: entities are placed longest first
    (ties: earlier start, then earlier in the list); an entity that overlaps one already placed
    is dropped whole, so nested or crossing shorter mentions vanish from the BIO view.
    Entities with offsets outside [0, n) or empty spans are ignored."""
    tags = ["O"] * n
    cands = []
    for i, e in enumerate(entities):
        s, t = e.get("start"), e.get("end")
        if not (isinstance(s, int) and isinstance(t, int)) or not 0 <= s < t <= n:
            continue
        cands.append((-(t - s), s, i, t, e.get("type")))
    for _, s, _, t, typ in sorted(cands):
        if any(tags[k] != "O" for k in range(s, t)):
            continue
        tags[s] = f"B-{typ}"
        for k in range(s + 1, t):
            tags[k] = f"I-{typ}"
    return tags


def bio_tags(doc: dict) -> list[str]:
    """Character-level IOB2 view of a document's entities: one tag per character of doc["text"].
    Overlaps keep the longer entity (see bio_from_entities)."""
    return bio_from_entities(len(doc["text"]), doc.get("entities", []))

"""Converters between the corpus JSONL format and three annotation tools' formats.

doccano (relation-extraction project export, one JSON object per line):
    {"id": ..., "text": ..., "entities": [{"id", "label", "start_offset", "end_offset"}],
     "relations": [{"id", "from_id", "to_id", "type"}]}
  doccano has no place for a normalized value, so `to_doccano` adds two extra top-level fields,
  which doccano keeps as example metadata: "meta" (the document's meta) and "norms", a list of
  {"start_offset", "end_offset", "label", "entity_id", "norm"[, "score"]} keyed by span
  (doccano renumbers entity ids on import, spans survive; "entity_id" restores the original
  id). The document id travels as "doc_id" (and "id").
  `from_doccano` also reads the older NER export "label": [[start, end, label], ...].

Label Studio (JSON export: a list of tasks):
    {"data": {"text", "doc_id", "meta"}, "annotations": [{"result": [...]}]}
  entity regions are "labels" results whose id is the entity id; the norm is a per-region
  "textarea" result (from_name "norm", same id) holding the norm as a JSON string; relations are
  {"type": "relation", "from_id", "to_id", "direction": "right", "labels": [role]}.
  Region and relation `score`s are carried. `from_label_studio` reads annotations[0], or
  predictions[0] when a task has no annotation.

brat standoff (a .txt and a .ann file per document):
    T1<TAB>AGENCY 0 14<TAB>span text        R1<TAB>agent Arg1:T7 Arg2:T1
    #1<TAB>AnnotatorNotes T1<TAB>{"name": ..., "kind": ...}      (the norm as JSON)
  The document id is the file stem; meta and scores are not carried. Entity ids T<n> are kept,
  other ids (brat needs T<n>) are renumbered after the highest n.

`convert(in_path, out_path, from_fmt, to_fmt)` converts files (doccano / jsonl: .jsonl file;
label-studio: .json file; brat: a directory of .txt/.ann pairs, or one .ann/.txt file) and
returns the number of documents written. Bad input raises CorpusError with a one-line message.

`fill_norms(docs)` (`convert(..., fill_norms=True)`, `lawie convert --fill-norms`): annotation
tools export spans without normalized values, which `lawie validate` requires; this computes the
`norm` of every entity that has none with the project's normalizers
(`lawie.labels.values.normalize_entities`: DATEs resolved in text order against meta.date, as the
extractor does) and keeps the norms the annotators wrote. It returns one line per span whose
value could not be read (a DATE without a start, a COUNT or MONEY without a number, an AGENCY,
STATUTE or CHARGE without a name, a SENTENCE term that is neither a number of months nor a range,
or a norm the validator rejects): those need a hand-written norm before training.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from lawie.train.corpus import CorpusError, read_jsonl, write_jsonl

__all__ = ["to_doccano", "from_doccano", "to_label_studio", "from_label_studio", "to_brat",
           "from_brat", "convert", "fill_norms", "FORMATS"]

FORMATS = ("jsonl", "doccano", "label-studio", "brat")
_ALIASES = {"json": "jsonl", "lawie": "jsonl", "labelstudio": "label-studio",
            "label_studio": "label-studio", "ls": "label-studio", "standoff": "brat"}
_TID = re.compile(r"^T(\d+)$")


def _entity(eid, etype, start, end, text, norm=None, score=None) -> dict:
    e = {"id": eid, "type": etype, "start": start, "end": end, "text": text[start:end]}
    if norm is not None:
        e["norm"] = norm
    if score is not None:
        e["score"] = score
    return e


def _int_ids(entities) -> dict:
    """Entity id -> integer id for formats with integer ids: an id T<n> keeps n (first one
    wins when repeated); any other id gets the next free number."""
    out, used = {}, set()
    for e in entities:
        m = _TID.match(str(e["id"]))
        if m and int(m.group(1)) not in used and e["id"] not in out:
            out[e["id"]] = int(m.group(1))
            used.add(out[e["id"]])
    nxt = max(used, default=0)
    for e in entities:
        if e["id"] not in out:
            nxt += 1
            out[e["id"]] = nxt
    return out


# ---------------------------------------------------------------------------- doccano

def to_doccano(doc: dict) -> dict:
    """One document as a doccano relation-export record (see module docstring)."""
    ents = doc.get("entities", [])
    ids = _int_ids(ents)
    rec = {
        "id": doc["id"], "doc_id": doc["id"], "text": doc["text"],
        "entities": [{"id": ids[e["id"]], "label": e["type"], "start_offset": e["start"],
                      "end_offset": e["end"]} for e in ents],
        "relations": [{"id": i, "from_id": ids[r["head"]], "to_id": ids[r["tail"]],
                       "type": r["type"]} for i, r in enumerate(doc.get("relations", []), 1)],
        "meta": doc.get("meta", {}),
    }
    norms = []
    for e in ents:
        n = {"start_offset": e["start"], "end_offset": e["end"], "label": e["type"],
             "entity_id": e["id"]}
        if "norm" in e:
            n["norm"] = e["norm"]
        if "score" in e:
            n["score"] = e["score"]
        norms.append(n)
    rec["norms"] = norms
    return rec


def from_doccano(rec: dict) -> dict:
    """A doccano export record (relation or NER shape) as a corpus document."""
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        raise CorpusError("doccano record has no 'text' string")
    text = rec["text"]
    did = rec.get("doc_id", rec.get("id"))
    if did is None:
        raise CorpusError("doccano record has neither 'doc_id' nor 'id'")
    extra = {}
    for n in rec.get("norms", []) or []:
        extra.setdefault((n["start_offset"], n["end_offset"], n["label"]), n)
    raw = rec.get("entities")
    if raw is None and isinstance(rec.get("label"), list):       # NER export
        raw = [{"id": i, "start_offset": s, "end_offset": t, "label": lab}
               for i, (s, t, lab) in enumerate(rec["label"], 1)]
    raw = raw or []
    entities, idmap, used = [], {}, set()
    for i, x in enumerate(raw, 1):
        try:
            s, t, lab = int(x["start_offset"]), int(x["end_offset"]), x["label"]
        except (KeyError, TypeError, ValueError):
            raise CorpusError(f"doccano record {did}: entity #{i} lacks start_offset/"
                              f"end_offset/label") from None
        xid = x.get("id", i)
        n = extra.get((s, t, lab), {})
        eid = n.get("entity_id")
        if not isinstance(eid, str) or not eid:
            eid = f"T{xid}" if isinstance(xid, int) or str(xid).isdigit() else str(xid)
        if eid in used:
            eid = f"T{i}"
            while eid in used:
                eid += "x"
        used.add(eid)
        idmap[xid] = eid
        entities.append(_entity(eid, lab, s, t, text, n.get("norm"), n.get("score")))
    relations = []
    for j, r in enumerate(rec.get("relations", []) or [], 1):
        try:
            head, tail, role = idmap[r["from_id"]], idmap[r["to_id"]], r["type"]
        except KeyError as k:
            raise CorpusError(f"doccano record {did}: relation #{j} refers to unknown "
                              f"entity or lacks {k}") from None
        relations.append({"type": role, "head": head, "tail": tail})
    meta = rec.get("meta") if isinstance(rec.get("meta"), dict) else {}
    return {"id": str(did), "text": text, "meta": meta, "entities": entities,
            "relations": relations}


# ---------------------------------------------------------------------------- Label Studio

def to_label_studio(doc: dict) -> dict:
    """One document as a Label Studio task with one annotation (see module docstring)."""
    result = []
    for e in doc.get("entities", []):
        region = {"id": e["id"], "from_name": "label", "to_name": "text", "type": "labels",
                  "value": {"start": e["start"], "end": e["end"], "text": e["text"],
                            "labels": [e["type"]]}}
        if "score" in e:
            region["score"] = e["score"]
        result.append(region)
        if "norm" in e:
            result.append({"id": e["id"], "from_name": "norm", "to_name": "text",
                           "type": "textarea",
                           "value": {"start": e["start"], "end": e["end"],
                                     "text": [json.dumps(e["norm"], ensure_ascii=False)]}})
    for r in doc.get("relations", []):
        item = {"type": "relation", "from_id": r["head"], "to_id": r["tail"],
                "direction": "right", "labels": [r["type"]]}
        if "score" in r:
            item["score"] = r["score"]
        result.append(item)
    return {"data": {"text": doc["text"], "doc_id": doc["id"], "meta": doc.get("meta", {})},
            "annotations": [{"result": result}]}


def from_label_studio(task: dict) -> dict:
    """A Label Studio task (export JSON) as a corpus document."""
    data = task.get("data") if isinstance(task, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise CorpusError("Label Studio task has no data.text string")
    text = data["text"]
    did = data.get("doc_id", task.get("id"))
    if did is None:
        raise CorpusError("Label Studio task has neither data.doc_id nor id")
    anns = task.get("annotations") or task.get("predictions") or [{"result": []}]
    result = anns[0].get("result", []) if isinstance(anns[0], dict) else []
    regions, norms, rels = [], {}, []
    for item in result:
        kind = item.get("type")
        if kind == "labels":
            regions.append(item)
        elif kind == "textarea" and item.get("id") is not None:
            vals = item.get("value", {}).get("text") or []
            if vals:
                try:
                    norms[item["id"]] = json.loads(vals[0])
                except json.JSONDecodeError:
                    raise CorpusError(f"Label Studio task {did}: region {item['id']}: norm is "
                                      f"not JSON") from None
        elif kind == "relation":
            rels.append(item)
    entities = []
    for k, item in enumerate(regions, 1):
        v = item.get("value", {})
        labels = v.get("labels") or []
        if len(labels) != 1 or "start" not in v or "end" not in v:
            raise CorpusError(f"Label Studio task {did}: region {item.get('id', k)} needs "
                              f"start, end and exactly one label")
        eid = str(item.get("id", f"T{k}"))
        entities.append(_entity(eid, labels[0], int(v["start"]), int(v["end"]), text,
                                norms.get(item.get("id")), item.get("score")))
    known = {e["id"] for e in entities}
    relations = []
    for r in rels:
        labels = r.get("labels") or []
        head, tail = str(r.get("from_id")), str(r.get("to_id"))
        if len(labels) != 1:
            raise CorpusError(f"Label Studio task {did}: relation {head}->{tail} needs exactly "
                              f"one label")
        if head not in known or tail not in known:
            raise CorpusError(f"Label Studio task {did}: relation {head}->{tail} refers to an "
                              f"unknown region")
        if r.get("direction") == "left":
            head, tail = tail, head
        rel = {"type": labels[0], "head": head, "tail": tail}
        if "score" in r:
            rel["score"] = r["score"]
        relations.append(rel)
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    return {"id": str(did), "text": text, "meta": meta, "entities": entities,
            "relations": relations}


# ---------------------------------------------------------------------------- brat

def to_brat(doc: dict) -> tuple[str, str]:
    """(txt, ann) brat standoff for one document; ids T<n> are kept, others renumbered."""
    ents = doc.get("entities", [])
    ids = _int_ids(ents)
    lines, notes = [], []
    for e in ents:
        tid = f"T{ids[e['id']]}"
        span = doc["text"][e["start"]:e["end"]].replace("\n", " ").replace("\r", " ")
        lines.append(f"{tid}\t{e['type']} {e['start']} {e['end']}\t{span}")
        if "norm" in e:
            notes.append(f"#{len(notes) + 1}\tAnnotatorNotes {tid}\t"
                         f"{json.dumps(e['norm'], ensure_ascii=False)}")
    for i, r in enumerate(doc.get("relations", []), 1):
        lines.append(f"R{i}\t{r['type']} Arg1:T{ids[r['head']]} Arg2:T{ids[r['tail']]}")
    return doc["text"], "".join(x + "\n" for x in lines + notes)


def from_brat(txt: str, ann: str, id: str) -> dict:
    """A brat (.txt, .ann) pair as a corpus document with id `id`."""
    entities, relations, notes = [], [], {}
    known = set()
    for lineno, line in enumerate(ann.splitlines(), 1):
        if not line.strip():
            continue
        cols = line.split("\t")
        tag = cols[0]
        where = f"{id}.ann:{lineno}"
        try:
            if tag.startswith("T"):
                label, offs = cols[1].split(" ", 1)
                if ";" in offs:
                    raise CorpusError(f"{where}: discontinuous span {offs!r} not supported")
                s, t = (int(x) for x in offs.split())
                if not 0 <= s < t <= len(txt):
                    raise CorpusError(f"{where}: offsets {s} {t} outside the text")
                entities.append(_entity(tag, label, s, t, txt))
                known.add(tag)
            elif tag.startswith("R"):
                role, a1, a2 = cols[1].split()
                args = dict(a.split(":", 1) for a in (a1, a2))
                relations.append({"type": role, "head": args["Arg1"], "tail": args["Arg2"]})
            elif tag.startswith("#"):
                kind, ref = cols[1].split()
                if kind == "AnnotatorNotes" and len(cols) > 2:
                    try:
                        notes[ref] = json.loads(cols[2])
                    except json.JSONDecodeError:
                        raise CorpusError(f"{where}: note on {ref} is not JSON") from None
            # other annotation kinds (A, E, N, *) are not used by this corpus: ignored
        except CorpusError:
            raise
        except (IndexError, ValueError, KeyError):
            raise CorpusError(f"{where}: malformed brat line {line!r}") from None
    for r in relations:
        for x in (r["head"], r["tail"]):
            if x not in known:
                raise CorpusError(f"{id}.ann: relation {r['type']} refers to unknown {x}")
    for e in entities:
        if e["id"] in notes:
            e["norm"] = notes[e["id"]]
    return {"id": id, "text": txt, "meta": {}, "entities": entities, "relations": relations}


# ---------------------------------------------------------------------------- files

def _fmt(name: str) -> str:
    f = _ALIASES.get(name.lower(), name.lower())
    if f not in FORMATS:
        raise CorpusError(f"unknown format {name!r}: use one of {', '.join(FORMATS)}")
    return f


def _read_text(p: Path) -> str:
    try:
        with open(p, encoding="utf-8", newline="") as fh:
            return fh.read()
    except FileNotFoundError:
        raise CorpusError(f"{p}: no such file") from None
    except UnicodeDecodeError as e:
        raise CorpusError(f"{p}: not UTF-8 text ({e.reason})") from None


def _read_docs(path: Path, fmt: str) -> list[dict]:
    if fmt == "jsonl":
        return list(read_jsonl(path))
    if fmt == "doccano":
        out = []
        for i, rec in enumerate(read_jsonl(path), 1):
            try:
                out.append(from_doccano(rec))
            except CorpusError as e:
                raise CorpusError(f"{path}: record {i}: {e}") from None
        return out
    if fmt == "label-studio":
        try:
            tasks = json.loads(_read_text(path).lstrip("\ufeff"))
        except json.JSONDecodeError as e:
            raise CorpusError(f"{path}: invalid JSON ({e.msg} at line {e.lineno})") from None
        if isinstance(tasks, dict):
            tasks = [tasks]
        if not isinstance(tasks, list):
            raise CorpusError(f"{path}: expected a list of Label Studio tasks")
        out = []
        for i, t in enumerate(tasks, 1):
            try:
                out.append(from_label_studio(t))
            except CorpusError as e:
                raise CorpusError(f"{path}: task {i}: {e}") from None
        return out
    # brat
    if path.is_dir():
        anns = sorted(path.glob("*.ann"))
        if not anns:
            raise CorpusError(f"{path}: directory holds no .ann file")
    elif path.suffix in (".ann", ".txt"):
        anns = [path.with_suffix(".ann")]
    else:
        raise CorpusError(f"{path}: brat input must be a directory or a .ann/.txt file")
    docs = []
    for a in anns:
        txt_path = a.with_suffix(".txt")
        docs.append(from_brat(_read_text(txt_path), _read_text(a), a.stem))
    return docs


_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def _write_docs(docs: list[dict], path: Path, fmt: str) -> None:
    if fmt == "jsonl":
        write_jsonl(docs, path)
    elif fmt == "doccano":
        write_jsonl([to_doccano(d) for d in docs], path)
    elif fmt == "label-studio":
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            json.dump([to_label_studio(d) for d in docs], fh, ensure_ascii=False, indent=1)
            fh.write("\n")
    else:
        if path.exists() and not path.is_dir():
            raise CorpusError(f"{path}: brat output must be a directory")
        path.mkdir(parents=True, exist_ok=True)
        stems = {}
        for d in docs:
            stem = _SAFE.sub("_", str(d["id"])) or "doc"
            if stem in stems:
                raise CorpusError(f"{path}: documents {stems[stem]!r} and {d['id']!r} map to "
                                  f"the same file name {stem}")
            stems[stem] = d["id"]
            txt, ann = to_brat(d)
            with open(path / f"{stem}.txt", "w", encoding="utf-8", newline="") as fh:
                fh.write(txt)
            with open(path / f"{stem}.ann", "w", encoding="utf-8", newline="") as fh:
                fh.write(ann)


# ---------------------------------------------------------------------------- norms

# a SENTENCE without a term is read when its penalty has none (无期徒刑, 死刑) or is not a term
_TERMLESS_PENALTIES = ("life", "death", "other")


def _unread(etype: str, norm: dict) -> str | None:
    """Why the normalizer could not read a span's value (None: it could)."""
    if etype == "DATE" and norm.get("start") is None:
        return "no date could be read"
    if etype in ("COUNT", "MONEY") and norm.get("value") is None and norm.get("min") is None:
        return "no number could be read"
    if etype == "AGENCY" and not norm.get("name"):
        return "no organ name could be read"
    if etype == "STATUTE" and not norm.get("title"):
        return "no statute title could be read"
    if etype == "CHARGE" and not norm.get("name"):
        return "no charge name ending in 罪 could be read"
    if etype == "SENTENCE" and norm.get("months") is None and norm.get("min") is None \
            and norm.get("penalty") not in _TERMLESS_PENALTIES:
        return "no term could be read"
    return None


def fill_norms(docs: list[dict]) -> list[str]:
    """Compute the norm of every entity without one (in place; see the module docstring) and
    return one line per filled span whose value could not be read: "doc-id entity-id TYPE
    [start,end) 'text': why"."""
    from lawie.labels.schema import ENTITY_TYPES
    from lawie.labels.values import normalize_entities
    from lawie.train.corpus import _check_norm

    report = []
    for doc in docs:
        ents = doc.get("entities") or []
        meta = doc.get("meta") if isinstance(doc.get("meta"), dict) else {}
        date = meta.get("date") if isinstance(meta.get("date"), str) else None
        # every entity takes part (a DATE resolves against the DATE before it), only missing
        # norms are written
        probe = [{"type": e.get("type"), "start": e.get("start"), "text": e.get("text") or ""}
                 for e in ents]
        normalize_entities(probe, doc_date=date)
        for e, p in zip(ents, probe):
            if e.get("norm") is not None or e.get("type") not in ENTITY_TYPES:
                continue
            e["norm"] = p["norm"]
            where = (f"{doc.get('id')} {e.get('id')} {e['type']} [{e.get('start')},"
                     f"{e.get('end')}) {e.get('text', '')!r}")
            why = _unread(e["type"], e["norm"])
            problems = [x.split(": ", 1)[1] for x in _check_norm(e["type"], e["norm"], "x")]
            reasons = ([why] if why else []) + [x for x in problems if not why]
            if reasons:
                report.append(f"{where}: {'; '.join(reasons)}")
    return report


_fill = fill_norms      # convert's parameter of the same name hides the function


def convert(in_path, out_path, from_fmt: str, to_fmt: str, fill_norms: bool = False,
            report: list | None = None) -> int:
    """Convert a corpus between formats (jsonl, doccano, label-studio, brat); return the number
    of documents written. ``fill_norms``: compute the missing norms (see ``fill_norms``); the
    lines about spans whose value could not be read are appended to ``report`` when given."""
    src, dst = _fmt(from_fmt), _fmt(to_fmt)
    in_path, out_path = Path(in_path), Path(out_path)
    if not in_path.exists():
        raise CorpusError(f"{in_path}: no such file or directory")
    docs = _read_docs(in_path, src)
    if fill_norms:
        lines = _fill(docs)
        if report is not None:
            report.extend(lines)
    try:
        _write_docs(docs, out_path, dst)
    except KeyError as k:
        raise CorpusError(f"{in_path}: a document lacks {k} needed for {dst}") from None
    return len(docs)

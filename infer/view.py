"""An HTML view of output documents, displaCy-like: the text with every entity highlighted by type
(hover: type, normalized value, score) and the case timeline as a table.

    from lawie.infer.view import render, render_page
    html = render(doc)              # one self-contained page (inline CSS, no script, no network)
    html = render_page(docs)        # several documents on one page (`lawie predict --format html`)

Entity types and event roles are read from lawie.labels.schema, so new ones show up without a
change here. Everything taken from a document (text, ids, norms) is HTML-escaped.
"""
from __future__ import annotations

import json
from html import escape
from typing import Iterable

from lawie.labels.schema import ENTITY_TYPES, RELATION_TYPES

# colours for the types in ENTITY_TYPES order; a type past the palette gets a colour from its name
_PALETTE = ("#ffd166", "#8ecae6", "#95d5b2", "#f4a261", "#cdb4db", "#ffafcc", "#d9ed92",
            "#b8c0ff", "#fca5a5", "#a3e635", "#fde68a", "#99f6e4")


def type_colour(t: str) -> str:
    if t in ENTITY_TYPES and ENTITY_TYPES.index(t) < len(_PALETTE):
        return _PALETTE[ENTITY_TYPES.index(t)]
    h = sum(ord(c) * 31 ** i for i, c in enumerate(t)) % 360
    return f"hsl({h}, 70%, 80%)"


def event_roles() -> tuple[str, ...]:
    """The timeline's argument columns: every relation role but alias_of and date (the date is the
    row's first column)."""
    return tuple(r for r in RELATION_TYPES if r not in ("alias_of", "date"))


def _attr(s) -> str:
    return escape(str(s), quote=True)


def _norm_str(norm) -> str:
    if not norm:
        return ""
    return json.dumps(norm, ensure_ascii=False, sort_keys=False)


def _title(e: dict) -> str:
    parts = [e["type"]]
    if e.get("norm"):
        parts.append(_norm_str(e["norm"]))
    if isinstance(e.get("score"), (int, float)):
        parts.append(f"score {e['score']:.2f}")
    return " · ".join(parts)


def _when(when) -> str:
    if not when or not when.get("start"):
        return ""
    s, e = when.get("start"), when.get("end")
    return s if not e or s == e else f"{s} – {e}"


def _marked_text(doc: dict, prefix: str) -> str:
    """The text with one <mark> per entity. Nested entities nest; an entity that crosses another
    one's end is split into pieces (the later pieces carry class `cont`), so every character of every
    entity is inside a mark of that entity."""
    text = doc["text"]
    ents = [e for e in doc.get("entities", [])
            if isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
            and 0 <= e["start"] < e["end"] <= len(text)]
    points = sorted({0, len(text)} | {e["start"] for e in ents} | {e["end"] for e in ents})
    starts: dict[int, list] = {}
    for e in ents:
        starts.setdefault(e["start"], []).append(e)
    out: list[str] = []
    stack: list[dict] = []

    def open_(e, cont=False):
        ident = "" if cont else f' id="{_attr(prefix + e["id"])}"'
        out.append(f'<mark class="{"ent cont" if cont else "ent"}"{ident} '
                   f'data-id="{_attr(e["id"])}" data-type="{_attr(e["type"])}" '
                   f'data-norm="{_attr(_norm_str(e.get("norm")))}" '
                   f'style="--c: {type_colour(e["type"])}" title="{_attr(_title(e))}">')

    for a, b in zip(points, points[1:] + [None]):
        # close what ends here; entities above a closing one are closed and reopened
        if any(e["end"] == a for e in stack):
            reopen = []
            while any(e["end"] == a for e in stack):
                e = stack.pop()
                out.append("</mark>")
                if e["end"] != a:
                    reopen.append(e)
            for e in reversed(reopen):
                open_(e, cont=True)
                stack.append(e)
        for e in sorted(starts.get(a, []), key=lambda e: -e["end"]):
            open_(e)
            stack.append(e)
        if b is not None:
            out.append(escape(text[a:b], quote=False))
    while stack:
        stack.pop()
        out.append("</mark>")
    return "".join(out)


def _arg_cell(args: list, prefix: str) -> str:
    items = []
    for a in args or []:
        title = _attr(_norm_str(a.get("norm")))
        items.append(f'<a href="#{_attr(prefix + str(a.get("id", "")))}" title="{title}">'
                     f'{escape(str(a.get("text", "")), quote=False)}</a>')
    return "、".join(items)


def _defendant(d: dict, prefix: str) -> str:
    who = d.get("target") or {}
    parts = [f'<b>{_arg_cell([who], prefix)}</b>'] if who else []
    for role, args in d.items():
        if role != "target" and isinstance(args, list) and args:
            parts.append(f'{escape(role)}: {_arg_cell(args, prefix)}')
    return " · ".join(parts)


def _timeline(doc: dict, prefix: str) -> str:
    events = doc.get("events") or []
    roles = event_roles()
    head = "".join(f"<th>{escape(r)}</th>" for r in ("date", "act", "kind") + roles)
    rows = []
    for ev in events:
        cells = [f'<td class="when">{escape(_when(ev.get("when")))}</td>',
                 f'<td class="act"><a href="#{_attr(prefix + str(ev.get("action", "")))}">'
                 f'{escape(str(ev.get("text", "")), quote=False)}</a></td>',
                 f'<td class="kind">{escape(str(ev.get("kind") or ""))}</td>']
        cells += [f'<td class="role" data-role="{_attr(r)}">{_arg_cell(ev.get(r), prefix)}</td>'
                  for r in roles]
        rows.append(f'<tr class="event" data-action="{_attr(ev.get("action", ""))}">'
                    + "".join(cells) + "</tr>")
        for d in ev.get("defendants") or []:       # a sentencing act: who got what
            rows.append(f'<tr class="defendant"><td></td><td colspan="{len(roles) + 2}">'
                        f'{_defendant(d, prefix)}</td></tr>')
    if not rows:
        return '<p class="none">No events (no ACTION entity).</p>'
    return (f'<table class="timeline"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _legend(types: Iterable[str]) -> str:
    return "".join(f'<span class="key" style="--c: {type_colour(t)}">{escape(t)}</span>'
                   for t in types)


def render_doc(doc: dict, index: int = 0) -> str:
    """One document as an HTML <section> (no page around it)."""
    prefix = f"d{index}-"
    n_e, n_r = len(doc.get("entities", [])), len(doc.get("relations", []))
    n_ev = len(doc.get("events") or [])
    date = (doc.get("meta") or {}).get("date")
    info = f"{n_e} entities · {n_r} relations · {n_ev} events" + (f" · date {date}" if date else "")
    if "text" not in doc:
        body = '<p class="none">(text left out of this record)</p>'
    else:
        body = f'<div class="text">{_marked_text(doc, prefix)}</div>'
    return (f'<section class="doc" data-doc-id="{_attr(doc.get("id", ""))}">'
            f'<h2>{escape(str(doc.get("id", "")))} <small>{escape(info)}</small></h2>'
            f'{body}<h3>Timeline</h3>{_timeline(doc, prefix)}</section>')


_CSS = """
body { font: 15px/1.6 system-ui, "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif;
       margin: 2em auto; max-width: 70em; padding: 0 1em; color: #222; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; border-bottom: 1px solid #ddd; }
h2 small { color: #777; font-weight: normal; margin-left: 1em; }
.legend .key, mark.ent { background: var(--c); }
.legend .key { padding: 0 .5em; margin-right: .4em; border-radius: .3em; font-size: .85em; }
.text { white-space: pre-wrap; line-height: 2.3; }
mark.ent { padding: .15em .1em; border-radius: .3em; }
mark.ent mark.ent { padding: 0 .05em; outline: 1px solid rgba(0,0,0,.25); }
mark.ent:not(.cont)::after { content: attr(data-type); font-size: .6em; font-weight: bold;
       vertical-align: super; margin-left: .2em; color: #333; }
mark.ent:hover { outline: 2px solid #333; }
table.timeline { border-collapse: collapse; width: 100%; font-size: .9em; }
.timeline th, .timeline td { border: 1px solid #ddd; padding: .2em .4em; text-align: left;
       vertical-align: top; }
.timeline th { background: #f4f4f4; } .timeline tr.defendant td { border-top: 0; color: #444; } .timeline td.when { white-space: nowrap; }
.timeline a { color: inherit; text-decoration: none; border-bottom: 1px dotted #999; }
.none { color: #777; }
"""


def render_page(docs: Iterable[dict], title: str = "lawie") -> str:
    """A self-contained HTML page (inline CSS, no script) with every document of `docs`."""
    sections = [render_doc(d, i) for i, d in enumerate(docs)]
    return ("<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
            f"<h1>{escape(title)} <small>({len(sections)} document(s))</small></h1>"
            f'<p class="legend">{_legend(ENTITY_TYPES)}</p>'
            + "".join(sections) + "</body></html>\n")


def render(doc: dict) -> str:
    """One document as a self-contained HTML page."""
    return render_page([doc], title=f"lawie: {doc.get('id', '')}")

"""The registry of named output rules: every guideline rule the output applies is a small function
registered here with its stage, its order in that stage and a one-line reason (the guideline
clause it applies), so that it can be listed (`lawie rules`), switched off by name
(``Extractor.load(disable_rules=[...])``, ``lawie predict --disable-rule NAME``, ``lawie
eval-suite --disable-rule NAME``) and blamed for a change (``lawie eval-suite --ablate-rules``).

    @rule("date_not_a_date", "span", 30, "ANNOTATION.md DATE: ...", types=("DATE",))
    def _not_a_date(text, start, end): ...

    all_rules()                 -> the registered rules, in stage and order
    check_names(names)          -> frozenset of the names; UnknownRule (one line) for a name that is
                                   no rule
    rule_set(disable)           -> {"lawie": version, "rules": n, "disabled": [...]}: what a figure
                                   was made with

The stages, in the order the pipeline runs them (text -> clean -> encode -> ner -> **spans** (and
**span** inside it) -> relations -> **outcomes** -> **span** again -> **document** -> JSON):

- ``span``: the checks on one predicted span (``lawie.infer.spans.refine_span``): a rule returns
  nothing (no change), a new (start, end) that the later rules check further, ``final(start, end)``
  (the span as it stays) or ``DROP`` (no entity of that type).
- ``spans``: span surgery over all the spans of a document before the relation head reads them
  (``lawie.infer.spans.prepare_spans``: restructure, division names, retyping, gazetteer, lists).
- ``outcomes``: the criminal-outcome rules (``lawie.infer.outcomes.add_outcomes``).
- ``document``: the passes of ``lawie.infer.document.apply_spec_rules`` over entities with norms
  and relations.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Rule", "STAGES", "rule", "all_rules", "check_names", "rule_set", "UnknownRule",
           "DROP", "final", "Final"]

STAGES = ("span", "spans", "outcomes", "document")
STAGE_HELP = {
    "span": "one predicted span (refine_span): shorten, widen or drop it",
    "spans": "span surgery over a document's spans before the relation head (prepare_spans)",
    "outcomes": "SENTENCE and CHARGE spans and their relations (add_outcomes)",
    "document": "entities with norms and relations (apply_spec_rules)",
}
# the modules whose rules register on import
_MODULES = ("lawie.infer.spans", "lawie.infer.outcomes", "lawie.infer.document")


@dataclass(frozen=True)
class Rule:
    name: str
    stage: str
    order: int
    reason: str
    fn: Callable = field(compare=False, repr=False)
    types: tuple = ()              # span stage: the entity types the rule checks (empty: all)

    @property
    def where(self) -> str:
        return f"{self.fn.__module__.removeprefix('lawie.')}.{self.fn.__name__}"


_REGISTRY: dict[str, Rule] = {}


class UnknownRule(ValueError):
    """A rule name that no rule has; the message is one line."""


def rule(name: str, stage: str, order: int, reason: str, types: tuple = ()):
    """Register the decorated function as the rule ``name`` of ``stage`` (one of STAGES), run at
    ``order`` within it; ``reason`` is the guideline clause it applies, in one line."""
    if stage not in STAGES:
        raise ValueError(f"rule {name}: unknown stage {stage!r} (one of {', '.join(STAGES)})")
    if not reason or "\n" in reason:
        raise ValueError(f"rule {name}: the reason is one non-empty line")

    def register(fn):
        old = _REGISTRY.get(name)
        if old is not None and (old.fn.__module__, old.fn.__qualname__) != \
                (fn.__module__, fn.__qualname__):
            raise ValueError(f"rule {name}: registered twice ({old.where} and {fn.__module__})")
        _REGISTRY[name] = Rule(name, stage, order, reason, fn, tuple(types))
        return fn
    return register


def _load() -> None:
    import importlib
    for m in _MODULES:
        importlib.import_module(m)


def all_rules(stage: str | None = None) -> list[Rule]:
    """The registered rules (of one stage), in pipeline order: stage, then order."""
    _load()
    rules = [r for r in _REGISTRY.values() if stage is None or r.stage == stage]
    return sorted(rules, key=lambda r: (STAGES.index(r.stage), r.order, r.name))


def names() -> frozenset:
    _load()
    return frozenset(_REGISTRY)


def check_names(disable) -> frozenset:
    """The rule names in ``disable`` as a frozenset; UnknownRule for one that is no rule."""
    if disable is None:
        return frozenset()
    if isinstance(disable, str):
        disable = [disable]
    out = frozenset(disable)
    if not out:
        return out
    unknown = sorted(str(n) for n in out - names())
    if unknown:
        raise UnknownRule(f"unknown rule {', '.join(map(repr, unknown))}: `lawie rules` lists the "
                          "rule names")
    return out


def rule_set(disable=frozenset()) -> dict:
    """What an output or a figure was made with: the lawie version, the number of rules and the
    names of those switched off."""
    from lawie import __version__
    return {"lawie": __version__, "rules": len(names()), "disabled": sorted(disable)}


def format_rules(stage: str | None = None) -> str:
    """The table `lawie rules` prints: stage, order, name, reason."""
    rules = all_rules(stage)
    w = max(len(r.name) for r in rules)
    lines = []
    for st in STAGES:
        part = [r for r in rules if r.stage == st]
        if st == "span":                              # grouped by the type they check
            part.sort(key=lambda r: (r.types[0] if r.types else "~", r.order))
        if not part:
            continue
        lines.append(f"{st}: {STAGE_HELP[st]}")
        for r in part:
            types = f" [{','.join(r.types)}]" if r.types else ""
            lines.append(f"  {r.order:>4}  {r.name:<{w}}  {r.reason}{types}")
    lines.append(f"{len(rules)} rules; switch one off with --disable-rule NAME")
    return "\n".join(lines)


# ------------------------------------------------------------------ results of a span rule

class _Drop:
    def __repr__(self):
        return "DROP"


DROP = _Drop()             # a span rule's result: the span is no entity of its type


class Final(tuple):
    """A span rule's result: (start, end) as the span stays; no later span rule checks it."""


def final(start: int, end: int) -> Final:
    return Final((start, end))

"""The label schema of ANNOTATION.md (guideline version 2), in code: entity types, relation roles
with the entity types they may join, the norm fields of every type, ACTION / AGENCY / PARTY kinds,
SENTENCE penalties, and the BIO tag set of the NER head.

Version 2 appended SENTENCE and CHARGE to the entity types and `sentence` and `charge` to the
roles; appending keeps the tag and role ids of version 1 models stable (a model directory carries
its own tag and role lists, so a version 1 model still loads and runs)."""

GUIDELINE_VERSION = 2

ENTITY_TYPES = ("DATE", "COUNT", "MONEY", "AGENCY", "STATUTE", "PARTY", "ACTION",
                "SENTENCE", "CHARGE")
CORE_TYPES = ("DATE", "COUNT", "MONEY", "AGENCY", "STATUTE")
V1_TYPES = ENTITY_TYPES[:7]
OUTCOME_TYPES = ("SENTENCE", "CHARGE")

ACTION_KINDS = ("clue", "case_filed", "hearing", "suggestion", "lawsuit", "judgment", "penalty",
                "violation", "other")
AGENCY_KINDS = ("procuratorate", "court", "government", "police", "other")
PARTY_KINDS = ("person", "org")
APPROX = ("more_than", "about", "at_least")
SENTENCE_PENALTIES = ("fixed_term", "detention", "control", "life", "death", "probation",
                      "admin_detention", "other")

# the fields of each type's `norm` (exactly these; "optional" ones may be absent in input files,
# the extractor always writes them)
NORM_FIELDS = {
    "DATE": ("start", "end"),
    "COUNT": ("value", "min", "max", "unit", "approx"),
    "MONEY": ("value", "min", "max", "currency", "approx"),
    "AGENCY": ("name", "kind"),
    "STATUTE": ("title", "article", "article_sub"),
    "PARTY": ("kind",),
    "ACTION": ("kind",),
    "SENTENCE": ("penalty", "months", "min", "max"),
    "CHARGE": ("name",),
}
# fields a document written to guideline version 1 (or a range-less SENTENCE) may leave out
OPTIONAL_NORM_FIELDS = {"STATUTE": ("article_sub",), "SENTENCE": ("months", "min", "max"),
                        "COUNT": ("value", "min", "max"), "MONEY": ("value", "min", "max")}

# relation -> (allowed head types, allowed tail types)
RELATION_SIGNATURES = {
    "alias_of": (("AGENCY", "PARTY"), ("AGENCY", "PARTY")),
    "agent": (("ACTION",), ("AGENCY", "PARTY")),
    "target": (("ACTION",), ("AGENCY", "PARTY")),
    "venue": (("ACTION",), ("AGENCY",)),
    "date": (("ACTION",), ("DATE",)),
    "amount": (("ACTION",), ("MONEY",)),
    "count": (("ACTION",), ("COUNT",)),
    "basis": (("ACTION",), ("STATUTE",)),
    "sentence": (("ACTION",), ("SENTENCE",)),
    "charge": (("ACTION",), ("CHARGE",)),
}
RELATION_TYPES = tuple(RELATION_SIGNATURES)

BIO_TAGS = ("O",) + tuple(f"{p}-{t}" for t in ENTITY_TYPES for p in ("B", "I"))
TAG2ID = {t: i for i, t in enumerate(BIO_TAGS)}
ID2TAG = dict(enumerate(BIO_TAGS))


def relation_allowed(role: str, head_type: str, tail_type: str) -> bool:
    heads, tails = RELATION_SIGNATURES[role]
    if role == "alias_of" and head_type != tail_type:
        return False
    return head_type in heads and tail_type in tails


def roles_for(head_type: str, tail_type: str) -> tuple:
    """Relation roles that may join an entity of head_type to one of tail_type."""
    return tuple(r for r in RELATION_TYPES if relation_allowed(r, head_type, tail_type))

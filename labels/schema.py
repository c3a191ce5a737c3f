"""The label schema of ANNOTATION.md, in code: entity types, relation roles with the entity types
they may join, ACTION / AGENCY / PARTY kinds, and the BIO tag set of the NER head."""

ENTITY_TYPES = ("DATE", "COUNT", "MONEY", "AGENCY", "STATUTE", "PARTY", "ACTION")
CORE_TYPES = ("DATE", "COUNT", "MONEY", "AGENCY", "STATUTE")

ACTION_KINDS = ("clue", "case_filed", "hearing", "suggestion", "lawsuit", "judgment", "penalty",
                "violation", "other")
AGENCY_KINDS = ("procuratorate", "court", "government", "police", "other")
PARTY_KINDS = ("person", "org")
APPROX = ("more_than", "about", "at_least")

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

"""What is extracted and what its values mean: schema, tag sets, value normalizers."""
from lawie.labels.schema import (  # noqa: F401
    ENTITY_TYPES, RELATION_TYPES, RELATION_SIGNATURES, ACTION_KINDS, AGENCY_KINDS, PARTY_KINDS,
    BIO_TAGS, TAG2ID, ID2TAG, NORM_FIELDS, GUIDELINE_VERSION,
)


def normalize(type_, text, anchor=None, doc_date=None):
    """Normalized value (`norm`) of an entity mention; see labels/values.py."""
    from lawie.labels.values import normalize as _n
    return _n(type_, text, anchor, doc_date)

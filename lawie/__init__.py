"""lawie: information extraction for Chinese legal and regulatory case write-ups.

    from lawie import Extractor
    ex = Extractor.load()
    doc = ex.extract("2025年3月14日,徐水区院向区住建局制发检察建议。")
"""
__version__ = "0.1.0"

__all__ = ["Extractor", "normalize", "__version__"]


def __getattr__(name):  # lazy: importing lawie must not import torch
    if name == "Extractor":
        from lawie.infer.api import Extractor
        return Extractor
    if name == "normalize":
        from lawie.labels.values import normalize
        return normalize
    raise AttributeError(name)

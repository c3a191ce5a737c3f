"""Shipped models: one directory per model (weights, config, labels, chars, model card)."""
from pathlib import Path

DEFAULT_MODEL = "lawie-small"


def default_model_dir() -> Path:
    return Path(__file__).resolve().parent / DEFAULT_MODEL

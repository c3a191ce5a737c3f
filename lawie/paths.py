"""Where lawie keeps what it builds at run time: $LAWIE_CACHE, by default ~/.cache/lawie (the
converted base encoder under base/, jieba's prefix-dictionary cache under jieba/)."""
from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    return Path(os.environ.get("LAWIE_CACHE") or Path.home() / ".cache" / "lawie")

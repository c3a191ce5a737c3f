"""How many documents `lawie predict` will read, for a progress bar with a total and an ETA: one per
.txt file, one per non-empty line of a .jsonl file (a line that turns out to be broken is counted
too, so the bar can end short of its total). None when standard input is among the inputs."""
from __future__ import annotations

import os
import stat
from pathlib import Path


def _files(path: Path):
    if path.is_dir():
        return sorted(f for f in path.rglob("*") if f.is_file() and f.suffix in (".txt", ".jsonl"))
    return [path]


def count_documents(paths: list[str], skip: Path | None = None) -> int | None:
    total = 0
    for p in paths:
        if p == "-":
            return None
        path = Path(p)
        if not path.exists():
            continue
        for f in _files(path):
            if skip is not None and f.resolve() == skip:
                continue
            if f.suffix == ".jsonl":
                try:
                    if not stat.S_ISREG(os.stat(f).st_mode):
                        continue        # a FIFO or device: predict refuses it; never opened here
                    with f.open("rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except OSError:
                    continue
            else:
                total += 1
    return total


def progress_bar(total: int | None, enabled: bool):
    """A tqdm bar on stderr (total and ETA when `total` is known), or None."""
    if not enabled:
        return None
    import sys

    from tqdm import tqdm
    return tqdm(total=total, unit="doc", file=sys.stderr, desc="predict")

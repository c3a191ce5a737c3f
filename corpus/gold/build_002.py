"""Build corpus/gold/seed002.jsonl from corpus/gold/src/seed002.ann.txt (format: see build_001.py).

  python corpus/gold/build_002.py            # writes corpus/gold/seed002.jsonl
  python corpus/gold/build_002.py --check    # verifies that the JSONL is up to date
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_001 import build  # noqa: E402

if __name__ == "__main__":
    sys.exit(build("002", "002_f103a78e69c5c296.txt", sys.argv[1:]))

"""Build corpus/gold/seed003.jsonl from corpus/gold/src/seed003.ann.txt (format: see build_000.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_000 import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main("corpus/gold/src/seed003.ann.txt", "corpus/seeds/003_911fb6e8a1c22945.txt",
                  "corpus/gold/seed003.jsonl", sys.argv[1:]))

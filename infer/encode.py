"""Character vocabulary: clean text -> one token id per character.

The model reads clean text character by character, so the position of a token is the offset of
its character in the clean text.  `CharVocab.encode` returns exactly ``len(text)`` ids: a known
character maps to its own id, any whitespace character ('\\n', '\\t', ' ', U+3000, ...) to the
single whitespace entry (the SentencePiece space mark "▁"), anything else to ``unk_id``.

The vocabulary file holds one entry per line (UTF-8, '\\n' separated): the special tokens
``[PAD] [UNK] [CLS] [SEP] [MASK]`` first, then single characters.
"""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
WHITESPACE_TOKEN = "\u2581"  # "▁": stands for every whitespace character


def default_chars_path() -> Path:
    """Path of the committed vocabulary, labels/data/chars.txt of package lawie.labels."""
    return Path(str(resources.files("lawie.labels") / "data" / "chars.txt"))


class VocabError(ValueError):
    """A vocabulary file or list that cannot be used; the message names it."""


class CharVocab:
    """Character -> id mapping with one id per input character."""

    def __init__(self, tokens, source: str = "<list>"):
        tokens = list(tokens)
        for i, sp in enumerate(SPECIAL_TOKENS):
            if i >= len(tokens) or tokens[i] != sp:
                raise VocabError(f"{source}: entry {i + 1} must be {sp!r} "
                                 f"(special tokens {' '.join(SPECIAL_TOKENS)} come first)")
        index = {}
        for i, tok in enumerate(tokens):
            if i >= len(SPECIAL_TOKENS):
                if len(tok) != 1:
                    raise VocabError(f"{source}: entry {i + 1} {tok!r} is not one character")
                if tok.isspace():
                    raise VocabError(f"{source}: entry {i + 1} is a whitespace character; "
                                     f"whitespace is represented by {WHITESPACE_TOKEN!r}")
            if tok in index:
                raise VocabError(f"{source}: entry {i + 1} {tok!r} repeats entry {index[tok] + 1}")
            index[tok] = i
        if WHITESPACE_TOKEN not in index:
            raise VocabError(f"{source}: the whitespace entry {WHITESPACE_TOKEN!r} is missing")
        self.tokens = tokens
        self._index = index
        self.pad_id, self.unk_id, self.cls_id, self.sep_id, self.mask_id = range(5)
        self.ws_id = index[WHITESPACE_TOKEN]
        # character -> id for characters only (special tokens are never produced by encode)
        self._lookup = {t: i for t, i in index.items() if len(t) == 1}

    # --- construction / persistence ------------------------------------------------------
    @classmethod
    def from_file(cls, path=None) -> "CharVocab":
        """Read a vocabulary file (default: the committed labels/data/chars.txt)."""
        path = Path(path) if path is not None else default_chars_path()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise VocabError(f"{path}: vocabulary file not found") from None
        except (OSError, UnicodeDecodeError) as e:
            raise VocabError(f"{path}: cannot read vocabulary ({e.__class__.__name__}: {e})") from None
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return cls(lines, source=str(path))

    @classmethod
    def default(cls) -> "CharVocab":
        return cls.from_file(default_chars_path())

    def save(self, path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".tmp{os.getpid()}")
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(self.tokens) + "\n")
        os.replace(tmp, path)
        return path

    # --- lookup ----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, ch) -> bool:
        return len(ch) == 1 and ch in self._index

    def __eq__(self, other) -> bool:
        return isinstance(other, CharVocab) and self.tokens == other.tokens

    def __repr__(self) -> str:
        return f"CharVocab({len(self)} entries)"

    def token_to_id(self, token: str) -> int:
        """Id of a vocabulary entry (a special token or one character); unk_id when absent."""
        if token in self._index:
            return self._index[token]
        if len(token) == 1 and token.isspace():
            return self.ws_id
        return self.unk_id

    def id_to_token(self, i: int) -> str:
        return self.tokens[i]

    def _oov(self, ch: str) -> int:
        i = self.ws_id if ch.isspace() else self.unk_id
        if len(self._lookup) < len(self.tokens) + 100_000:  # memoize, bounded
            self._lookup[ch] = i
        return i

    def encode(self, text: str, return_tensors: str | None = None):
        """Ids of the characters of `text`: exactly one id per character (len(ids) == len(text)).

        return_tensors: None -> list[int], "np" -> numpy int64 array, "pt" -> torch long tensor.
        """
        if not isinstance(text, str):
            raise TypeError(f"CharVocab.encode expects str, got {type(text).__name__}")
        get = self._lookup.get
        ids = [get(c) for c in text]
        if None in ids:
            ids = [i if i is not None else self._oov(c) for i, c in zip(ids, text)]
        if return_tensors is None:
            return ids
        if return_tensors == "np":
            import numpy as np
            return np.asarray(ids, dtype=np.int64)
        if return_tensors == "pt":
            import torch
            return torch.tensor(ids, dtype=torch.long)
        raise ValueError(f"return_tensors must be None, 'np' or 'pt', not {return_tensors!r}")

    def decode(self, ids) -> str:
        """Characters of `ids` (whitespace comes back as ' ', specials as their names)."""
        out = []
        for i in ids:
            i = int(i)
            out.append(" " if i == self.ws_id else self.tokens[i])
        return "".join(out)

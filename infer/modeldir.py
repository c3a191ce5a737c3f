"""A model directory checked before use: every problem is one ModelDirError line naming the file
and the key, raised before any weight is allocated.

    config = validate_model_dir("models/lawie-small")      # config, checksums, weight shapes
    state = load_checked_weights("models/lawie-small")      # + no NaN / Inf

1. ``config.json`` against ``data/model_config.schema.json`` (unknown keys, types, ranges; NaN
   and Infinity refused), then the rules a schema cannot say: the entity types a subset of the
   label schema's in its order (a guideline v1 model has the first seven), the BIO tag list
   exactly ``O, B-T, I-T`` per type in that order, relation roles likewise, ``max_len`` within
   the encoder's positions, ``stride`` within a window, and at most MAX_PARAMS parameters.
2. The safetensors header (read alone, a few kB) against the sizes the config implies, and
   that the data it announces is in the file (a truncated file is named as such).
3. The sha256 sums in config.json's ``checksums`` (written by ``LawieModel.save``) against
   ``model.safetensors`` and ``chars.txt``; a directory without them (written before lawie
   checked) loads with a warning.
4. After loading, every floating-point weight finite.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import struct
from functools import lru_cache
from pathlib import Path

FORMAT = "lawie-model/1"
REQUIRED = ("config.json", "model.safetensors", "chars.txt")
CHECKSUMMED = ("model.safetensors", "chars.txt")
MAX_PARAMS = 2_000_000_000
MAX_HEADER = 100 << 20        # a safetensors header larger than this is not a header
SCHEMA_FILE = Path(__file__).with_name("data") / "model_config.schema.json"

log = logging.getLogger("lawie")
_DTYPE_BYTES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1,
                "U8": 1, "BOOL": 1}


class ModelDirError(ValueError):
    """A model directory is missing, incomplete, inconsistent or damaged; one line naming it."""


@lru_cache(maxsize=1)
def _validator():
    import jsonschema
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _reject_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def read_config(path) -> dict:
    path = Path(path)
    f = path / "config.json"
    try:
        config = json.loads(f.read_text(encoding="utf-8"), parse_constant=_reject_constant)
    except (OSError, UnicodeDecodeError) as e:
        raise ModelDirError(f"{f}: unreadable ({e})") from None
    except (ValueError, RecursionError) as e:
        raise ModelDirError(f"{f}: not valid JSON ({str(e).splitlines()[0]})") from None
    if not isinstance(config, dict):
        raise ModelDirError(f"{f}: expected a JSON object")
    return config


def _key(path) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def validate_config(config: dict, where="config.json") -> None:
    """Raise ModelDirError naming the key of the first problem of a model config."""
    from jsonschema.exceptions import best_match

    from lawie.labels.schema import ENTITY_TYPES, RELATION_TYPES
    if config.get("format") != FORMAT:
        raise ModelDirError(f"{where}: unknown model format {config.get('format')!r} "
                            f"(expected {FORMAT})")
    err = best_match(_validator().iter_errors(config))
    if err is not None:
        raise ModelDirError(f"{where}: {_key(err.absolute_path)}: {err.message}")
    enc, heads = config["encoder"], config["heads"]

    def bad(key, msg):
        raise ModelDirError(f"{where}: {key}: {msg}")

    if enc["hidden_size"] % enc["num_attention_heads"]:
        bad("encoder.hidden_size", f"{enc['hidden_size']} is not a multiple of "
            f"num_attention_heads {enc['num_attention_heads']}")
    if config["max_len"] > enc["max_position_embeddings"]:
        bad("max_len", f"{config['max_len']} is more than the encoder's "
            f"max_position_embeddings {enc['max_position_embeddings']}")
    if config["stride"] > config["max_len"] - 2:
        bad("stride", f"{config['stride']} is more than a window ({config['max_len'] - 2} "
            "characters: max_len less [CLS] and [SEP])")
    if (enc.get("pad_token_id") or 0) >= enc["vocab_size"]:
        bad("encoder.pad_token_id", f"{enc['pad_token_id']} is not below vocab_size "
            f"{enc['vocab_size']}")
    types = heads["entity_types"]
    for key, got, known in (("heads.entity_types", types, ENTITY_TYPES),
                            ("heads.relation.types", heads["relation"]["types"], RELATION_TYPES)):
        unknown = [t for t in got if t not in known]
        if unknown:
            bad(key, f"{unknown[0]!r} is not in the label schema ({', '.join(known)})")
        if [t for t in known if t in got] != list(got):
            bad(key, f"{got} is not in the label schema's order ({', '.join(known)})")
    want = ["O"] + [f"{p}-{t}" for t in types for p in ("B", "I")]
    tags = heads["ner"]["tags"]
    if tags != want:
        wrong = next((f"tag {i}: {a!r}, expected {b!r}" for i, (a, b) in enumerate(zip(tags, want))
                      if a != b), f"{len(tags)} tags, expected {len(want)}")
        bad("heads.ner.tags", f"not the BIO tags of heads.entity_types ({wrong})")
    edges = heads["relation"]["dist_edges"]
    if any(b <= a for a, b in zip(edges, edges[1:])):
        bad("heads.relation.dist_edges", "must be strictly increasing")
    h, layers, inter = enc["hidden_size"], enc["num_hidden_layers"], enc["intermediate_size"]
    params = (enc["vocab_size"] + enc["max_position_embeddings"]) * h \
        + layers * (4 * h * h + 2 * h * inter) + (4 * h + 64) * heads["relation"]["hidden"]
    if params > MAX_PARAMS:
        bad("encoder", f"about {params:,} parameters, more than lawie loads ({MAX_PARAMS:,})")


def sha256_file(f: Path) -> str:
    h = hashlib.sha256()
    with open(f, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


def checksums(path) -> dict:
    """The ``checksums`` entry of config.json for the files of model directory ``path``."""
    return {name: sha256_file(Path(path) / name) for name in CHECKSUMMED}


def verify_checksums(path, config: dict) -> bool:
    """True if config.json has checksums and they match; False (with a warning) if it has none;
    ModelDirError naming the file that does not match."""
    path = Path(path)
    sums = config.get("checksums")
    if not sums:
        log.warning("lawie: warning: %s: config.json has no checksums (a model directory saved "
                    "before lawie wrote them); its weights are not verified", path)
        return False
    for name, want in sums.items():
        got = sha256_file(path / name)
        if got != want:
            raise ModelDirError(f"{path / name}: sha256 {got[7:19]}... does not match the "
                                f"{want[7:19]}... that config.json records: the file is damaged "
                                "or was replaced")
    return True


def read_safetensors_header(f: Path) -> dict:
    """{tensor name: (dtype, shape)} from a safetensors file's header, checking that the data it
    announces is all in the file."""
    size = f.stat().st_size
    with open(f, "rb") as fh:
        raw = fh.read(8)
        if len(raw) < 8:
            raise ModelDirError(f"{f}: truncated ({size} bytes: no safetensors header)")
        (n,) = struct.unpack("<Q", raw)
        if n > min(MAX_HEADER, size - 8):
            raise ModelDirError(f"{f}: not a safetensors file, or truncated (header of {n:,} bytes "
                                f"in a file of {size:,})")
        try:
            header = json.loads(fh.read(n))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise ModelDirError(f"{f}: corrupt safetensors header (not JSON)") from None
    if not isinstance(header, dict):
        raise ModelDirError(f"{f}: corrupt safetensors header")
    out, end = {}, 0
    for name, info in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype, shape, (a, b) = info["dtype"], list(info["shape"]), info["data_offsets"]
            need = math.prod(shape) * _DTYPE_BYTES[dtype]
        except (KeyError, TypeError, ValueError):
            raise ModelDirError(f"{f}: corrupt safetensors header (entry {name!r})") from None
        if not 0 <= a <= b or b - a != need:
            raise ModelDirError(f"{f}: corrupt safetensors header (entry {name!r})")
        end = max(end, b)
        out[name] = (dtype, shape)
    if 8 + n + end > size:
        raise ModelDirError(f"{f}: truncated ({size:,} bytes; its header announces "
                            f"{8 + n + end:,})")
    return out


def expected_shapes(config: dict) -> dict:
    """{name: shape} of the weights that carry the config's sizes (one per size: vocabulary,
    positions, hidden, intermediate, layers, tags, types, relation head), computed from the
    config alone: building the model first would allocate what a wrong config asks for. The
    model's own strict state-dict load then checks every name."""
    enc, heads = config["encoder"], config["heads"]
    h, rel = enc["hidden_size"], heads["relation"]
    last = enc["num_hidden_layers"] - 1
    return {
        "encoder.embeddings.word_embeddings.weight": [enc["vocab_size"], h],
        "encoder.embeddings.position_embeddings.weight": [enc["max_position_embeddings"], h],
        "encoder.embeddings.token_type_embeddings.weight": [enc.get("type_vocab_size") or 2, h],
        f"encoder.encoder.layer.{last}.intermediate.dense.weight": [enc["intermediate_size"], h],
        f"encoder.encoder.layer.{last}.attention.self.query.weight": [h, h],
        "ner_head.weight": [len(heads["ner"]["tags"]), h],
        "type_emb.weight": [len(heads["entity_types"]), rel["type_dim"]],
        "dist_emb.weight": [2 * (len(rel["dist_edges"]) + 1), rel["dist_dim"]],
        "rel_mlp.1.weight": [rel["hidden"], 4 * h + rel["dist_dim"] + 2 * rel["type_dim"]],
        "rel_mlp.4.weight": [len(rel["types"]) + 1, rel["hidden"]],
    }


_LAYER = __import__("re").compile(r"^encoder\.encoder\.layer\.(\d+)\.")


def _check_header(f: Path, header: dict, config: dict) -> None:
    for k, shape in expected_shapes(config).items():
        if k not in header:
            raise ModelDirError(f"{f}: weights do not match config.json (no {k})")
        if header[k][1] != shape:
            raise ModelDirError(f"{f}: {k} has shape {header[k][1]} but config.json implies "
                                f"{shape}")
    layers = {int(m.group(1)) for k in header if (m := _LAYER.match(k))}
    if layers and max(layers) >= config["encoder"]["num_hidden_layers"]:
        raise ModelDirError(f"{f}: {max(layers) + 1} encoder layers but config.json has "
                            f"num_hidden_layers {config['encoder']['num_hidden_layers']}")


def validate_model_dir(path) -> dict:
    """The checked config of model directory ``path`` (steps 1-3 of the module docstring)."""
    path = Path(path)
    for name in REQUIRED:
        if not (path / name).is_file():
            raise ModelDirError(f"{path}: not a lawie model directory (missing {name})")
    config = read_config(path)
    validate_config(config, path / "config.json")
    f = path / "model.safetensors"
    _check_header(f, read_safetensors_header(f), config)
    verify_checksums(path, config)
    return config


def check_finite(state: dict, f) -> None:
    """ModelDirError naming the first weight that holds NaN or Inf."""
    import torch
    for k, v in state.items():
        if not v.is_floating_point():
            continue
        # the float32 sum of finite weights is finite (fast); only if not, look closer
        if not math.isfinite(float(v.float().sum())) and not bool(torch.isfinite(v).all()):
            raise ModelDirError(f"{f}: weight {k} holds NaN or Inf values; the model is broken")


def load_weights(f: Path) -> dict:
    """safetensors -> {name: tensor}, any reading failure one ModelDirError line."""
    from safetensors.torch import load_file
    try:
        return load_file(str(f))
    except Exception as e:                  # noqa: BLE001 - SafetensorError, OSError, ...
        text = str(e).strip().splitlines()
        raise ModelDirError(f"{f}: cannot read the weights ({text[0] if text else type(e).__name__})"
                            ) from None

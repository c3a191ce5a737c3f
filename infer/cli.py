"""The `lawie` command. Thin: each subcommand parses its arguments and calls one library function.

Errors in user input print one line `lawie: error: ...` naming the input; everything else is still
processed and written, and the exit code is non-zero at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path


def _err(msg: str) -> None:
    print(f"lawie: error: {msg}", file=sys.stderr, flush=True)


def _warn(msg: str) -> None:
    print(f"lawie: warning: {msg}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- input reading

class InputError(Exception):
    """A bad input or config file given on the command line (reading itself: lawie.infer.inputs)."""


_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


# ----------------------------------------------------------------------------- output

def format_pretty(doc: dict) -> str:
    out = [f"== {doc['id']}  ({len(doc['text'])} chars, {len(doc['entities'])} entities, "
           f"{len(doc['relations'])} relations)"]
    for e in doc["entities"]:
        norm = json.dumps(e["norm"], ensure_ascii=False)
        out.append(f"  {e['id']:>4} {e['type']:<8} [{e['start']},{e['end']}) {e['text']}  {norm}"
                   f"  ({e.get('score', 1):.2f})")
    if doc.get("events"):
        out.append("  -- timeline")
        for ev in doc["events"]:
            when = ev["when"]
            w = (when["start"] if when["start"] == when["end"] else f"{when['start']}..{when['end']}") \
                if when and when.get("start") else "?"
            parts = [f"{w:<21} {ev['text']} ({ev['kind']})"]
            for role in ("agent", "target", "venue", "amount", "count", "basis", "charge"):
                if ev.get(role):
                    parts.append(f"{role}=" + "、".join(x["text"] for x in ev[role]))
            out.append("  " + "  ".join(parts))
            if ev.get("defendants"):                     # who got what
                out.append("  " + " " * 22 + "; ".join(
                    d["target"]["text"] + ": " + ", ".join(
                        [x["text"] for x in d["sentence"]]
                        + ["罚金" + x["text"] for x in d["amount"]]) for d in ev["defendants"]))
    return "\n".join(out)


class _Writer:
    def __init__(self, out: str | None, fmt: str, no_text: bool = False):
        self.fmt = fmt
        self.no_text = no_text
        self.docs = []
        self.n = 0
        self.table = None
        if fmt in ("csv", "xlsx"):                  # lawie.infer.tables: events + entities
            from lawie.infer.tables import TableWriter
            self.fh = None
            self.table = TableWriter(out, fmt)
            return
        self.fh = open(out, "w", encoding="utf-8") if out else sys.stdout

    def write(self, doc: dict) -> None:
        self.n += 1
        if self.no_text and self.fmt != "html":
            doc = {k: v for k, v in doc.items() if k != "text"}
        if self.table is not None:
            self.table.add(doc)
        elif self.fmt == "jsonl":
            self.fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
            self.fh.flush()
        elif self.fmt == "pretty":
            self.fh.write(format_pretty(doc) + "\n\n")
            self.fh.flush()
        else:
            self.docs.append(doc)

    def close(self) -> None:
        if self.table is not None:
            self.table.close()
            return
        if self.fmt == "json":
            json.dump(self.docs, self.fh, ensure_ascii=False, indent=1)
            self.fh.write("\n")
        if self.fmt == "html":                        # lawie.infer.view: one page per run
            from lawie.infer.view import render_page
            self.fh.write(render_page(self.docs))
        if self.fh is not sys.stdout:
            self.fh.close()


# ----------------------------------------------------------------------------- subcommands

def cmd_predict(args) -> int:
    from lawie.infer.api import Extractor, LawieError
    out = Path(args.output).resolve() if args.output else None
    if out is not None:
        for p in args.paths:
            if p != "-" and Path(p).exists() and Path(p).resolve() == out:
                _err(f"{args.output}: the output file is also an input; choose another -o")
                return 2
    if args.format == "xlsx" and not args.output:
        _err("--format xlsx needs an output file: -o FILE.xlsx")
        return 2
    from lawie.infer.inputs import check_output_path
    problem = check_output_path(args.output)
    if problem:
        _err(problem)
        return 2
    load = dict(device=args.device, precision=args.precision, threshold=args.threshold,
                whole_words=not args.keep_fragments, disable_rules=args.disable_rule)
    try:
        if args.workers > 1:                        # lawie.infer.workers loads one per process
            from lawie.infer.api import resolve_model_dir
            from lawie.infer.modeldir import validate_model_dir
            validate_model_dir(resolve_model_dir(args.model))
        else:
            ex = Extractor.load(args.model, **load)
    except (LawieError, RuntimeError, OSError, ValueError) as e:
        _err(str(e).splitlines()[0] if str(e) else type(e).__name__)
        return 1
    try:
        writer = _Writer(args.output, args.format, no_text=args.no_text)
    except OSError as e:
        _err(f"{args.output}: cannot write ({e.strerror or e})")
        return 2
    from lawie.infer.inputs import iter_documents
    from lawie.infer.isolate import Reporter, run_isolated, write_checked
    report = Reporter(_err, _warn, fail_fast=args.errors == "fail")
    errors: list[str] = []
    docs = _with_dates(_dedupe_ids(iter_documents(args.paths, report, skip=out,
                                                  max_chars=args.max_chars)), args.date)
    try:
        from lawie.infer.progress import count_documents, progress_bar
        show = not args.quiet and sys.stderr.isatty()
        progress = progress_bar(count_documents(args.paths, skip=out) if show else None, show)
        def write(doc):
            writer.write(doc)
            if progress is not None:
                progress.update(1)
        if args.workers > 1:
            from lawie.infer.workers import extract_parallel
            from lawie.infer.isolate import Stop
            results = extract_parallel(
                docs, workers=args.workers, batch_size=args.batch_size, path=args.model,
                on_error=lambda src, why: report("error", f"{src}: extraction failed ({why})"),
                **load)
            try:                                    # a failure costs itself, as in one process
                for doc in results:
                    write_checked(doc, f"document {doc.get('id')!r}", write, report)
            except Stop:                            # --errors=fail: what came before is written
                results.close()
        else:                                       # lawie.infer.isolate: a failure costs itself
            run_isolated(lambda ds: list(ex.extract_docs(ds, batch_size=args.batch_size)), docs,
                         write, report)
        if progress is not None:
            progress.close()
    except LawieError as e:
        _err(str(e))
        errors.append(str(e))
    finally:
        writer.close()
    failed = len(errors) + report.errors
    if failed:
        _err(f"{failed} input(s) skipped; {writer.n} document(s) written")
        return 2
    return 0


def _with_dates(docs, date: str | None):
    """A record's own meta.date first, then --date, then the release's header timestamp."""
    from lawie.infer.anchor import header_date
    for d in docs:
        if not d["meta"].get("date"):
            anchor = date or header_date(d["text"])
            if anchor:
                d["meta"]["date"] = anchor
        yield d


def _iso_date(value: str) -> str:
    from lawie.infer.tables import iso_bounds
    if not _ISO_DATE.match(value) or iso_bounds(value)[0] is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    return value


def cmd_serve(args) -> int:
    from lawie.infer.api import Extractor, LawieError
    try:
        from lawie.infer.serve import serve
    except ImportError as e:
        _err(f"lawie serve needs fastapi and uvicorn ({e.name} is missing): pip install 'lawie[serve]'")
        return 2
    try:
        ex = Extractor.load(args.model, device=args.device, precision=args.precision,
                            threshold=args.threshold, whole_words=not args.keep_fragments,
                            disable_rules=args.disable_rule)
    except (LawieError, RuntimeError, OSError, ValueError) as e:
        _err(str(e).splitlines()[0] if str(e) else type(e).__name__)
        return 2
    try:
        serve(ex, host=args.host, port=args.port, max_bytes=args.max_bytes,
              max_docs=args.max_docs, log_level=args.log_level)
    except OSError as e:
        _err(f"{args.host}:{args.port}: cannot listen ({e.strerror or e})")
        return 2
    return 0


def _dedupe_ids(docs):
    seen: set[str] = set()
    for d in docs:
        if d["id"] in seen:
            _warn(f"document id {d['id']!r} occurs more than once")
        seen.add(d["id"])
        yield d


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an integer") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {n}")
    return n


def _score(value: str) -> float:
    from lawie.infer.api import LawieError, check_threshold
    try:
        return check_threshold(float(value))
    except (ValueError, LawieError):
        raise argparse.ArgumentTypeError(f"{value!r} is not a number from 0 to 1") from None


def _add_precision(p) -> None:
    p.add_argument("--precision", default="auto", choices=["auto", "float32", "bfloat16"],
                   help="encoder compute dtype (auto: bfloat16 on CPUs with AMX-BF16 or AVX512-BF16, else float32)")


def _add_filters(p) -> None:
    p.add_argument("--threshold", type=_score, default=0.0,
                   help="leave out entities scored below this (0..1; default 0: keep all)")
    p.add_argument("--keep-fragments", action="store_true",
                   help="keep ACTION/AGENCY/company spans that cut a word (default: drop them)")
    p.add_argument("--disable-rule", action="append", default=[], type=_rule_name, metavar="NAME",
                   help="switch an output rule off (repeatable; `lawie rules` lists them)")


def _rule_name(value: str) -> str:
    from lawie.infer.rules import UnknownRule, check_names
    try:
        check_names([value])
    except UnknownRule as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    return value


def cmd_rules(args) -> int:
    from lawie.infer.rules import format_rules
    print(format_rules(args.stage))
    return 0


def cmd_validate(args) -> int:
    from lawie.train.corpus import CorpusError, validate_file
    bad = 0
    for f in args.files:
        try:
            problems = validate_file(f)
        except (CorpusError, OSError) as e:
            _err(str(e) if isinstance(e, CorpusError) else f"{f}: {e.strerror or e}")
            bad += 1
            continue
        for p in problems:
            print(p)
        bad += len(problems)
        print(f"{f}: {len(problems)} problem(s)", file=sys.stderr)
    return 1 if bad else 0


def cmd_eval(args) -> int:
    from lawie.train.corpus import CorpusError, read_jsonl
    from lawie.train.evaluate import evaluate, format_report
    try:
        gold = list(read_jsonl(args.gold))
        pred = list(read_jsonl(args.pred))
    except (CorpusError, OSError) as e:
        _err(str(e) if isinstance(e, CorpusError) else f"{e.filename}: {e.strerror or e}")
        return 2
    result = evaluate(gold, pred)
    print(format_report(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def cmd_convert(args) -> int:
    from lawie.train.convert import convert
    from lawie.train.corpus import CorpusError
    report: list[str] = []
    try:
        n = convert(args.input, args.output, args.from_fmt, args.to_fmt,
                    fill_norms=args.fill_norms, report=report)
    except (CorpusError, OSError, ValueError) as e:
        _err(str(e))
        return 2
    for line in report:
        _warn(f"value not read: {line}")
    if report:
        _warn(f"{len(report)} span(s) whose value could not be read: write their norm by hand "
              f"(`lawie validate {args.output}` lists what is still missing)")
    print(f"converted {n} document(s) -> {args.output}", file=sys.stderr)
    return 0


def _load_toml(path: str) -> dict:
    import tomllib
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(f"{path}: no such config file")
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"{path}: invalid TOML ({e})")


def cmd_train(args) -> int:
    from lawie.train.fit import run
    return run(args)


def cmd_init_config(args) -> int:
    from lawie.train.config import ConfigError, apply_overrides, init_config, render_config
    try:
        config = apply_overrides(init_config(args.from_model), args.overrides)
        header = ("lawie training config, from `lawie init-config"
                  + (f" --from {args.from_model}`: fine-tunes that model on your documents"
                     "\n(lawie train --config FILE --data my.jsonl --output DIR)"
                     if args.from_model else "`: the shipped model's recipe, from the base "
                     "encoder\n(make corpus; lawie train --config FILE --output DIR)"))
        text = render_config(config, header)
    except ConfigError as e:
        _err(str(e))
        return 2
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as e:
            _err(f"{args.output}: cannot write ({e.strerror or e})")
            return 2
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_export(args) -> int:
    from lawie.train.export import run
    return run(args.model, args.output, args.format)


def cmd_synth(args) -> int:
    from lawie.train.synth import build_corpus
    try:
        config = _load_toml(args.config)
    except InputError as e:
        _err(str(e))
        return 2
    try:
        stats = build_corpus(config, args.output)
    except (ValueError, OSError) as e:   # an unknown rendering, genre or option; an unwritable output
        _err(f"{args.config}: {e}")
        return 2
    print(json.dumps(stats, ensure_ascii=False, indent=1))
    return 0


def cmd_quantize(args) -> int:
    """Measure the int8 calibration of a model directory on calibration text and store it there
    (lawie.infer.quantize); `--quantize` then runs the smoothed int8 model."""
    from lawie.infer.api import LawieError, resolve_model_dir
    from lawie.infer.bench import load_bench_docs
    from lawie.infer.clean import clean
    from lawie.infer.quantize import calibrate, save_calibration
    from lawie.infer.runtime import Runtime
    try:
        model_dir = resolve_model_dir(args.model)
        texts = load_bench_docs(args.calibration)[: args.max_docs]
        rt = Runtime.load(model_dir, precision="float32")
        cleaned = [clean(t).text for t in texts]
        stats = calibrate(rt.model, cleaned, runtime=rt)
        chars = sum(len(t) for t in cleaned)
        save_calibration(model_dir, stats, alpha=args.alpha,
                         source=f"{Path(args.calibration).name}: {len(texts)} documents, "
                                f"{chars} characters")
    except (LawieError, ValueError, OSError) as e:
        _err(str(e))
        return 1
    print(f"{model_dir}: int8 calibration of {len(stats)} layers from {len(texts)} documents "
          f"({chars:,} characters), alpha {args.alpha}; run with --quantize")
    return 0


def _alpha(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        x = float("nan")
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number from 0 to 1")
    return x


def cmd_bench(args) -> int:
    from lawie.infer.api import LawieError
    from lawie.infer.bench import run_bench
    try:
        result = run_bench(args.model, docs=args.docs, repeat=args.repeat, threads=args.threads,
                           quantize=args.quantize, precision=args.precision)
    except LawieError as e:
        _err(str(e))
        return 2
    print(json.dumps(result, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


def cmd_eval_suite(args) -> int:
    from lawie.infer.api import LawieError
    from lawie.train.suite import ablate_rules, run_suite
    try:
        if args.ablate_rules:
            report = ablate_rules(args.model, dev=args.dev, precision=args.precision,
                                  quantize=args.quantize, rules=args.disable_rule or None,
                                  progress=lambda k, n, name: print(f"[{k}/{n}] {name}",
                                                                    file=sys.stderr))
        else:
            report = run_suite(args.model, dev=args.dev, out=args.output, quantize=args.quantize,
                               precision=args.precision, threshold=args.threshold,
                               whole_words=not args.keep_fragments,
                               disable_rules=args.disable_rule)
    except LawieError as e:
        _err(str(e))
        return 2
    print(report)
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="lawie", description="Information extraction for Chinese "
                                 "legal and regulatory case write-ups.")
    from lawie import __version__
    ap.add_argument("--version", action="version", version=f"lawie {__version__}")
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("predict", help="extract entities, relations and events from texts")
    p.add_argument("paths", nargs="+", help=".txt files, directories, .jsonl files or - for stdin")
    p.add_argument("-o", "--output", help="output file (default: stdout)")
    p.add_argument("--model", help="model directory (default: the shipped model)")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"],
                   help="where the model runs (auto: cuda when present, else cpu; default cpu)")
    p.add_argument("--batch-size", type=_positive_int, default=8,
                   help="windows per forward pass (default 8)")
    p.add_argument("--format", default="jsonl",
                   choices=["jsonl", "json", "pretty", "html", "csv", "xlsx"],
                   help="jsonl (default), json (one array), pretty (terminal view), html (one "
                   "page with highlighted entities and timelines), csv (events; entities to "
                   "FILE.entities.csv beside -o FILE.csv), xlsx (sheets events and entities)")
    p.add_argument("--date", type=_iso_date, default=None,
                   help="reference date (YYYY-MM-DD) for texts whose record has none: year-less "
                   "dates are read in its year (default: the release's header timestamp if any)")
    p.add_argument("--no-text", action="store_true",
                   help="leave the text out of each output record")
    p.add_argument("--workers", type=_positive_int, default=1,
                   help="processes, each with the model loaded once and cores/N torch threads "
                   "(default 1); output order is kept")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--errors", default="skip", choices=["skip", "fail"],
                   help="an input that cannot be read or processed: skip it with one line on "
                   "stderr and go on (default), or fail: stop there, after writing what came "
                   "before; exit code 2 either way")
    p.add_argument("--max-chars", type=_positive_int, default=2_000_000,
                   help="refuse a document longer than this many characters (default 2000000)")
    _add_precision(p)
    _add_filters(p)
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("serve", help="serve the extractor over HTTP (POST /extract, GET /health)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_positive_int, default=8000, help="port (default 8000)")
    p.add_argument("--model", help="model directory (default: the shipped model)")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"],
                   help="where the model runs (auto: cuda when present; default cpu)")
    p.add_argument("--max-bytes", type=_positive_int, default=1_000_000,
                   help="largest request body accepted (default 1000000); larger ones get 413")
    p.add_argument("--max-docs", type=_positive_int, default=64,
                   help="most texts in one request (default 64)")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"],
                   help="server log level (default info)")
    _add_precision(p)
    _add_filters(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("validate", help="check annotated JSONL files against the spec")
    p.add_argument("files", nargs="+", help="annotated JSONL files")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("eval", help="score predictions against gold (strict spans, norms, relations)")
    p.add_argument("gold", help="gold JSONL (annotations)")
    p.add_argument("pred", help="predicted JSONL (lawie predict's output on the same texts)")
    p.add_argument("--json", help="also write the full result as JSON")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("convert", help="convert between JSONL, doccano, Label Studio and brat")
    p.add_argument("input", help="file (brat: a directory) to convert")
    p.add_argument("output", help="file (brat: a directory) to write")
    p.add_argument("--from", dest="from_fmt", required=True,
                   choices=["jsonl", "doccano", "labelstudio", "brat"], help="input format")
    p.add_argument("--to", dest="to_fmt", required=True,
                   choices=["jsonl", "doccano", "labelstudio", "brat"], help="output format")
    p.add_argument("--fill-norms", action="store_true",
                   help="compute the normalized value of every span without one (the project's "
                   "normalizers) and list the spans whose value could not be read")
    p.set_defaults(func=cmd_convert)

    p = sub.add_parser("train", help="train a model from a TOML config, or fine-tune a trained "
                       "one on your documents (--init-from MODEL --data my.jsonl)")
    from lawie.train.config import add_train_arguments
    add_train_arguments(p)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("init-config", help="write a complete, commented training config")
    p.add_argument("overrides", nargs="*", metavar="section.key=value")
    p.add_argument("--from", dest="from_model", metavar="MODEL_DIR",
                   help="fine-tune this trained model (default: the shipped recipe from the base "
                   "encoder)")
    p.add_argument("-o", "--output", help="the file to write (default: stdout)")
    p.set_defaults(func=cmd_init_config)

    p = sub.add_parser("export", help="write a model as a directory other tools load "
                       "(transformers: AutoModelForTokenClassification)")
    p.add_argument("output", help="the directory to write")
    p.add_argument("--format", required=True, choices=["transformers"])
    p.add_argument("--model", help="model directory (default: the shipped model)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("synth", help="generate the synthetic training corpus")
    p.add_argument("--config", required=True)
    p.add_argument("--output", required=True)
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("bench", help="measure speed and memory on a fixed set of documents")
    p.add_argument("--model", help="model directory (default: the shipped model)")
    p.add_argument("--docs", help="a .jsonl or .txt file or directory (default: bundled seeds)")
    p.add_argument("--repeat", type=_positive_int, default=3,
                   help="timed passes over the documents (default 3)")
    p.add_argument("--threads", type=_positive_int, default=None,
                   help="torch threads (default: torch's own choice)")
    p.add_argument("--json", help="also write the result to this file")
    p.add_argument("--quantize", action="store_true",
                   help="int8 on the CPU (smoothed by the model's calibration: `lawie quantize`)")
    _add_precision(p)
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("quantize", help="calibrate a model directory for int8 (--quantize): "
                       "activation maxima on calibration text, stored next to the weights")
    p.add_argument("--model", help="model directory (default: the shipped model); written to")
    p.add_argument("--calibration", required=True,
                   help="a .jsonl or .txt file or directory of texts like the model's training "
                   "data (never evaluation data)")
    p.add_argument("--max-docs", type=_positive_int, default=60,
                   help="documents read from it (default 60)")
    p.add_argument("--alpha", type=_alpha, default=0.85,
                   help="how much of the activation range moves into the weights (0..1; "
                   "default 0.85)")
    p.set_defaults(func=cmd_quantize)

    p = sub.add_parser("eval-suite", help="evaluate a model on the seed test cases per rendering "
                       "and on the real development set when present")
    p.add_argument("--model", help="model directory (default: the shipped model)")
    p.add_argument("--dev", default=None, help="real dev JSONL (default: ../shared/dev/real-dev.jsonl "
                   "when it exists)")
    p.add_argument("--output", default=None, help="write predictions and the report into this dir")
    p.add_argument("--quantize", action="store_true",
                   help="int8 on the CPU (smoothed by the model's calibration: `lawie quantize`)")
    p.add_argument("--ablate-rules", action="store_true",
                   help="print, per output rule, the F1 change on each set when it alone is off "
                   "(with --disable-rule: only those rules)")
    _add_precision(p)
    _add_filters(p)
    p.set_defaults(func=cmd_eval_suite)

    p = sub.add_parser("rules", help="list the output rules: stage, order, name, reason")
    p.add_argument("--stage", choices=["span", "spans", "outcomes", "document"],
                   help="only the rules of this stage")
    p.set_defaults(func=cmd_rules)
    return ap


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Past one machine: lawie on Ray Data (the optional extra `lawie[ray]`).

    import ray
    from lawie.infer.engine import extract_dataset
    ray.init()                                          # or ray.init(address="auto") on a cluster
    ds = ray.data.read_json("s3://bucket/cases/")       # rows with "text" (and "id", "date")
    out = extract_dataset(ds, concurrency=8)            # 8 actors, each holding one Extractor
    out.write_json("s3://bucket/lawie-out/")            # or write_parquet

Every row of the input needs a string `text`; `id` and `date` (ISO) are used when present. Each
output row is {"id", "document", "n_entities", "n_events"}, where `document` is the spec's JSON
document as one string, exactly the line `lawie predict` writes for it (labels/output.schema.json):
the nested, per-type `norm` values do not fit one columnar schema, so they travel as JSON, and a
reader parses that column (json.loads, DuckDB's json functions, Spark's from_json).

Why Ray Data rather than Spark: it installs from PyPI as one wheel with no JVM, runs the same code on
a laptop (`ray.init()`) and a cluster, and its actor pools are what the model needs: each actor
loads the Extractor once and keeps it for every batch it is given, with its own CPU budget
(`num_cpus` per actor, torch threads set to match), so N actors never oversubscribe a node.
"""
from __future__ import annotations

import json


class ExtractorActor:
    """A Ray Data map_batches callable class: one Extractor per actor, loaded in __init__."""

    def __init__(self, model=None, threads: int = 1, batch_size: int = 8, **load_kwargs):
        import os

        import torch
        os.environ["OMP_NUM_THREADS"] = str(threads)
        torch.set_num_threads(threads)
        from lawie.infer.api import Extractor
        self.ex = Extractor.load(model, **load_kwargs)
        self.batch_size = batch_size

    def __call__(self, batch: dict) -> dict:
        texts = list(batch["text"])
        n = len(texts)
        ids = list(batch["id"]) if "id" in batch else [None] * n
        dates = list(batch["date"]) if "date" in batch else [None] * n
        docs = []
        for i, (t, ident, date) in enumerate(zip(texts, ids, dates)):
            meta = {"date": str(date)} if isinstance(date, str) and date else {}
            docs.append({"id": str(ident) if ident is not None else f"row-{i}",
                         "text": t if isinstance(t, str) else str(t), "meta": meta})
        out = list(self.ex.extract_docs(docs, batch_size=self.batch_size, chunk=max(1, n)))
        return {"id": [d["id"] for d in out],
                "document": [json.dumps(d, ensure_ascii=False) for d in out],
                "n_entities": [len(d["entities"]) for d in out],
                "n_events": [len(d.get("events") or []) for d in out]}


def extract_dataset(ds, model=None, concurrency: int = 1, cpus_per_actor: int = 1,
                    rows_per_batch: int = 16, **load_kwargs):
    """`ds` (a ray.data.Dataset with a "text" column) -> a Dataset of output rows (see the module
    docstring). `concurrency` actors, each with `cpus_per_actor` CPUs and as many torch threads;
    `load_kwargs` go to Extractor.load (device, precision, threshold, whole_words, quantize)."""
    from lawie.infer.api import resolve_model_dir
    model = str(resolve_model_dir(model))        # a wrong path fails here, not in every actor
    return ds.map_batches(ExtractorActor, batch_size=rows_per_batch, batch_format="numpy",
                          concurrency=concurrency, num_cpus=cpus_per_actor,
                          fn_constructor_kwargs={"model": model, "threads": cpus_per_actor,
                                                 **load_kwargs})


def main(argv=None) -> int:
    """`python -m lawie.infer.engine FILE.jsonl [--actors N] [--cpus-per-actor C]`: documents/s of
    extract_dataset on a local Ray cluster (actor start and model load included, ray.init not)."""
    import argparse
    import time
    ap = argparse.ArgumentParser(prog="python -m lawie.infer.engine",
                                 description="documents/s of lawie on a local Ray cluster")
    ap.add_argument("jsonl", help="documents, one {\"text\"} per line")
    ap.add_argument("--actors", type=int, default=1, help="actors, one Extractor each (default 1)")
    ap.add_argument("--cpus-per-actor", type=int, default=1, help="CPUs and torch threads per actor")
    ap.add_argument("--model", help="model directory (default: the shipped model)")
    args = ap.parse_args(argv)
    import ray
    with open(args.jsonl, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    rows = [{"id": f"{r.get('id', 'doc')}-{i}", "text": r["text"]} for i, r in enumerate(rows)]
    ray.init(num_cpus=max(1, args.actors * args.cpus_per_actor), include_dashboard=False,
             log_to_driver=False, configure_logging=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    t = time.time()
    n = extract_dataset(ray.data.from_items(rows), model=args.model, concurrency=args.actors,
                        cpus_per_actor=args.cpus_per_actor, rows_per_batch=4).count()
    wall = time.time() - t
    print(json.dumps({"actors": args.actors, "cpus_per_actor": args.cpus_per_actor, "documents": n,
                      "wall_s": round(wall, 1), "docs_per_s": round(n / wall, 2)}))
    ray.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

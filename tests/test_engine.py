"""lawie on Ray Data (lawie.infer.engine, extra `lawie[ray]`) on a local cluster: each actor holds
one Extractor, and the rows come back with the documents one process gives. Skipped without ray."""
import json

import pytest

from conftest import validate_output

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")

from lawie.infer.api import Extractor, LawieError  # noqa: E402
from lawie.infer.engine import extract_dataset  # noqa: E402

TEXTS = ["2025年3月14日,徐水区院向区住建局制发检察建议。", "同年5月,某公司被罚款5万元。",
         "6月25日,某市人民检察院提起公益诉讼。"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             _temp_dir=str(tmp_path_factory.mktemp("ray")), configure_logging=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield
    ray.shutdown()


def test_ray_data_rows_match_one_process(cluster, tiny_model_dir):
    rows = [{"id": f"r{i}", "text": TEXTS[i % 3], "date": "2025-01-01" if i % 2 else None}
            for i in range(8)]
    ds = ray.data.from_items(rows)
    out = extract_dataset(ds, model=tiny_model_dir, concurrency=2, rows_per_batch=3).take_all()
    assert sorted(r["id"] for r in out) == sorted(r["id"] for r in rows)
    ex = Extractor.load(tiny_model_dir)
    by_id = {r["id"]: r for r in rows}
    for r in out:
        doc = json.loads(r["document"])
        validate_output(doc)
        src = by_id[r["id"]]
        want = ex.extract(src["text"], date=src["date"], id=src["id"])
        assert doc == want
        assert r["n_entities"] == len(doc["entities"]) and r["n_events"] == len(doc["events"])


def test_a_wrong_model_fails_before_the_cluster_runs(cluster, tmp_path):
    with pytest.raises(LawieError, match="no lawie model there"):
        extract_dataset(ray.data.from_items([{"text": "x"}]), model=tmp_path)

"""China's administrative divisions: ``labels/data/divisions.tsv`` (3,182 county-level rows derived
from jionlp's table by ``python -m lawie.train.synth.derive_divisions``), read by the generator's
cast (lawie.train.synth.world) and the organ-name gazetteer (lawie.infer.organs)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import NamedTuple


class Division(NamedTuple):
    province: str
    province_alias: str
    city: str
    city_alias: str
    county: str          # "" on a city-level row
    county_alias: str
    admin_code: str


@lru_cache(maxsize=1)
def division_rows() -> tuple[Division, ...]:
    text = resources.files("lawie.labels").joinpath("data/divisions.tsv").read_text("utf-8")
    return tuple(Division(*line.split("\t")) for line in text.splitlines()
                 if line and not line.startswith("#"))

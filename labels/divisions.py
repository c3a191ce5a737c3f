"""China's administrative divisions: ``labels/data/divisions.tsv`` (3,182 county-level rows derived
from jionlp's table by ``python -m lawie.train.synth.derive_divisions``), read by the generator's
cast (lawie.train.synth.world) and the organ-name gazetteer (lawie.infer.organs); the gazetteer also
reads ``labels/data/divisions_hk_mo_tw.tsv`` (Hong Kong's districts, Macau, Taiwan's cities and
counties: ``gazetteer_rows``)."""
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


def _rows(name: str) -> tuple[Division, ...]:
    text = resources.files("lawie.labels").joinpath("data", name).read_text("utf-8")
    return tuple(Division(*line.split("\t")) for line in text.splitlines()
                 if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def division_rows() -> tuple[Division, ...]:
    """The mainland's divisions (the generator's world)."""
    return _rows("divisions.tsv")


@lru_cache(maxsize=1)
def gazetteer_rows() -> tuple[Division, ...]:
    """The mainland's divisions and those of Hong Kong, Macau and Taiwan (the organ gazetteer)."""
    return division_rows() + regional_rows()


@lru_cache(maxsize=1)
def regional_rows() -> tuple[Division, ...]:
    """Hong Kong's districts, Macau, Taiwan's cities and counties (divisions_hk_mo_tw.tsv)."""
    return _rows("divisions_hk_mo_tw.tsv")

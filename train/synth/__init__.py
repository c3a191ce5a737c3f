"""Generator of annotated, noisy case write-ups (procuratorate typical cases, criminal judgments,
regulator penalty notices, news, overviews) in the spec's JSONL document format.

    from lawie.train.synth import generate, build_corpus
    for doc in generate(100, seed=1): ...
"""
import datetime as _dt
import random
from typing import Iterator

from . import render
from .doc import Doc
from .genres import GENRES, NATIVE_RENDERINGS

DEFAULT_GENRES = {"procuratorate": 0.30, "criminal": 0.24, "penalty": 0.20, "news": 0.12, "overview": 0.06,
                  "police_news": 0.08, "regional": 0.10, "court": 0.06, "notice": 0.04}
DEFAULT_RENDERINGS = {"traditional": 0.15, "pinyin": 0.05, "spun": 0.12, "nfkc": 0.25, "junk": 0.12,
                      "broken_lines": 0.08, "spaced": 0.06}
# renderings added after a corpus was fixed draw from a stream of their own, so that turning one on
# leaves every other document (and every other choice in a document) as it was
OWN_STREAM = ("spaced",)
DEFAULT_RENDERING_OPTIONS = render.OPTIONS


def _one(rng, genre, idx, seed):
    r = rng.random()
    pub = None
    if r < 0.75:
        pub_day = _dt.date(2018, 1, 1) + _dt.timedelta(days=rng.randint(0, 8 * 365 + 30))
    else:
        pub_day = None
    from .values import DateVal
    if pub_day:
        pub = DateVal(pub_day.year, pub_day.month, pub_day.day)
        start = pub_day - _dt.timedelta(days=rng.randint(150, 1100))
    else:
        start = _dt.date(rng.randint(2016, 2025), rng.randint(1, 12), rng.randint(1, 28))
    doc = Doc(rng, meta_date=pub, allow_relative=rng.random() < 0.9)
    doc.case_start = start
    GENRES[genre](rng, doc, pub)
    meta = {"date": pub_day.isoformat() if pub_day else None, "source": "synth", "genre": genre,
            "rendering": "clean"}
    return doc.finish(f"synth-{seed}-{idx}", meta)


def _choose_renderings(rng, shares, own_rng=None):
    names = [n for n in render.RENDERINGS if n not in OWN_STREAM and rng.random() < shares.get(n, 0.0)]
    if "pinyin" in names and "traditional" not in names:
        names.append("traditional")  # pinyin glosses come with traditional characters, as on the web
    if own_rng is not None:
        names += [n for n in OWN_STREAM if own_rng.random() < shares.get(n, 0.0)]
    return names


def generate(n: int, seed: int, renderings: dict | None = None, genres: dict | None = None,
             start: int = 0, options: dict | None = None) -> Iterator[dict]:
    """Yield n documents, deterministic for `seed`. renderings: {name: share of documents}
    (None: DEFAULT_RENDERINGS; {} for clean text only). genres: {genre: weight}. options: the
    rendering strengths (keys of DEFAULT_RENDERING_OPTIONS; missing keys take those values)."""
    shares = DEFAULT_RENDERINGS if renderings is None else renderings
    unknown = set(shares) - set(render.RENDERINGS)
    if unknown:
        raise ValueError(f"unknown rendering(s) {sorted(unknown)}; known: {', '.join(render.RENDERINGS)}")
    bad_opts = set(options or {}) - set(DEFAULT_RENDERING_OPTIONS)
    if bad_opts:
        raise ValueError(f"unknown rendering option(s) {sorted(bad_opts)}; known: "
                         f"{', '.join(DEFAULT_RENDERING_OPTIONS)}")
    opts = dict(DEFAULT_RENDERING_OPTIONS, **(options or {}))
    gw = genres or DEFAULT_GENRES
    bad = set(gw) - set(GENRES)
    if bad:
        raise ValueError(f"unknown genre(s) {sorted(bad)}; known: {', '.join(GENRES)}")
    names, weights = list(gw), [gw[g] for g in gw]
    for idx in range(start, start + n):
        rng = random.Random(f"{seed}:{idx}")
        genre = rng.choices(names, weights)[0]
        doc = _one(rng, genre, idx, seed)
        chosen = _choose_renderings(rng, shares, random.Random(f"{seed}:{idx}:own"))
        for name, share in NATIVE_RENDERINGS.get(genre, {}).items():
            if name not in chosen and rng.random() < share:
                chosen.append(name)
        if chosen:
            doc = render.apply(doc, chosen, rng, **opts)
        yield doc


def build_corpus(config: dict, output_dir) -> dict:
    from .build import build_corpus as _build
    return _build(config, output_dir)


__all__ = ["generate", "build_corpus", "DEFAULT_GENRES", "DEFAULT_RENDERINGS", "DEFAULT_RENDERING_OPTIONS"]

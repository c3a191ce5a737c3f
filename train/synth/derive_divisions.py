"""Derive labels/data/divisions.tsv from jionlp's table of China's administrative divisions.

Run once by hand (jionlp is a test/dev dependency, never needed by the generator at run time):

    python -m lawie.train.synth.derive_divisions

Output columns: province, province_alias, city, city_alias, county, county_alias, admin_code.
City-level rows have an empty county; province-level municipalities (北京市 ...) repeat the province
as the city. Development zones and other non-administrative units (开发区, 新区管委会 ...) are kept
out, so that every row is a real county-level division.
"""
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "labels" / "data" / "divisions.tsv"
SKIP_WORDS = ("开发区", "管委会", "新城", "园区", "示范区", "工业区", "管理区", "试验区", "合作区", "实验区",
              "产业", "农场", "林区", "港区", "高新区", "经济区")
EXCLUDE_PROVINCES = ("香港特别行政区", "澳门特别行政区", "台湾省")


def _alias(v):
    if isinstance(v, list):
        return v[0] if v else ""
    return v or ""


def derive():
    import jionlp  # noqa: only here

    table = jionlp.china_location_loader(detail=True)
    rows = []
    for prov, pdata in sorted(table.items(), key=lambda kv: kv[1].get("_admin_code", "")):
        if prov in EXCLUDE_PROVINCES or not isinstance(pdata, dict):
            continue
        palias = _alias(pdata.get("_alias"))
        for city, cdata in pdata.items():
            if city.startswith("_") or not isinstance(cdata, dict):
                continue
            if any(w in city for w in SKIP_WORDS):
                continue
            calias = _alias(cdata.get("_alias"))
            rows.append((prov, palias, city, calias, "", "", cdata.get("_admin_code", "")))
            for county, kdata in cdata.items():
                if county.startswith("_") or not isinstance(kdata, dict):
                    continue
                if any(w in county for w in SKIP_WORDS) or not county.endswith(("区", "县", "市", "旗")):
                    continue
                rows.append((prov, palias, city, calias, county, _alias(kdata.get("_alias")),
                             kdata.get("_admin_code", "")))
    return rows


def main():
    rows = derive()
    with OUT.open("w", encoding="utf-8") as f:
        f.write("# derived from jionlp.china_location_loader by train/synth/derive_divisions.py\n")
        f.write("#province\tprovince_alias\tcity\tcity_alias\tcounty\tcounty_alias\tadmin_code\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    provinces = {r[0] for r in rows}
    print(f"{OUT}: {len(rows)} rows, {len(provinces)} provinces", file=sys.stderr)


if __name__ == "__main__":
    main()

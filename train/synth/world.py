"""The cast of a generated document: real administrative divisions, the state organs built on them
(with their full names and the short forms texts use), anonymized parties and statutes."""
from functools import lru_cache
from importlib import resources

from lawie.labels.divisions import division_rows
from lawie.labels.lexicon import words

SURNAMES = "".join(words("surnames.tsv"))       # labels/data/lexicon/surnames.tsv
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰飞鹏辉波宁建国峰斌凯浩东亮林红晨晓阳"
BRAND = ("云启", "星联", "智汇", "瑞达", "恒信", "博远", "中科", "华盈", "天宇", "众联", "易达", "鼎新", "融通",
         "安信", "锦程", "新航", "卓越", "泰和", "优途", "数智", "海纳", "宏图", "同创", "领航", "聚源", "嘉禾")
COMPANY_KINDS = ("科技", "网络科技", "信息技术", "数据服务", "物业管理", "物业服务", "房地产开发", "置业",
                 "生活服务", "文化传媒", "教育咨询", "教育科技", "电子商务", "健康管理", "医疗器械",
                 "保险代理", "汽车销售", "旅行社", "商务咨询", "人力资源", "营销策划", "电子科技", "软件",
                 "通信技术", "贸易", "装饰工程", "停车管理", "家政服务")
SUFFIXES = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")
ORG_NOUNS = ("某医院", "某招聘网站", "某物业公司", "某保险公司", "某快递公司", "某银行", "某培训机构",
             "某房产中介公司", "某电商平台", "某App运营公司", "某网络平台", "某科技公司", "某公司",
             "某贷款公司", "某殡仪服务公司", "某月子中心", "某幼儿园", "某超市", "某酒店", "某汽车4S店",
             "某美容店", "某健身房", "某装修公司", "某婚介公司", "某数据公司", "某信息咨询公司")


@lru_cache(maxsize=1)
def divisions():
    """{province: {"alias": str, "cities": {city: {"alias": str, "counties": [(county, alias)]}}}}"""
    out = {}
    for prov, palias, city, calias, county, kalias, _code in division_rows():
        p = out.setdefault(prov, {"alias": palias, "cities": {}})
        c = p["cities"].setdefault(city, {"alias": calias or city[:-1], "counties": []})
        if county:
            c["counties"].append((county, kalias or county[:-1]))
    for p in out.values():  # drop cities without counties only when the province has others
        p["cities"] = {k: v for k, v in p["cities"].items() if v["counties"]} or p["cities"]
    return out


@lru_cache(maxsize=1)
def statutes():
    text = resources.files("lawie.train.synth").joinpath("data/statutes.tsv").read_text("utf-8")
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        title, prefix, arts, mx, group = line.split("\t")
        out.append({"title": title, "prefix": prefix == "1",
                    "articles": [int(a) for a in arts.split(",") if a], "max": int(mx), "group": group})
    return out


@lru_cache(maxsize=1)
def junk_lines():
    text = resources.files("lawie.train.synth").joinpath("data/junk.txt").read_text("utf-8")
    return [ln for ln in text.splitlines() if ln and not ln.startswith("#")]


MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


class Region:
    """A place at level P (province), C (city) or K (county), with the ways to write it."""

    def __init__(self, prov, city=None, county=None, rng=None):
        d = divisions()[prov]
        self.prov, self.palias = prov, d["alias"]
        self.city = city
        self.calias = d["cities"][city]["alias"] if city else None
        self.county = county[0] if county else None
        self.kalias = county[1] if county else None
        self.level = "K" if county else ("C" if city else "P")
        self.muni = prov in MUNICIPALITIES

    def full(self, rng, with_prov=None):
        """河北省保定市徐水区 / 保定市徐水区 / 北京市朝阳区."""
        if self.level == "P":
            return self.prov
        parts = []
        if with_prov is None:
            with_prov = rng.random() < 0.55
        if self.muni:
            parts.append(self.prov)
        else:
            if with_prov:
                parts.append(self.prov)
            parts.append(self.city)
        if self.level == "K":
            parts.append(self.county)
        return "".join(parts)

    def own(self):
        """The region's own name: 徐水区 / 保定市 / 河北省."""
        return {"K": self.county, "C": self.city, "P": self.prov}[self.level]

    def level_word(self):
        if self.level == "P":
            return "市" if self.muni else "省"
        if self.level == "C":
            return "市"
        return self.county[-1] if self.county[-1] in "区县市旗" else "区"


def random_region(rng, level=None, prov=None):
    divs = divisions()
    prov = prov or rng.choice(sorted(divs))
    level = level or rng.choice("PCCKKKK")
    if level == "P":
        return Region(prov)
    cities = sorted(divs[prov]["cities"])
    city = rng.choice(cities)
    if level == "C" and prov in MUNICIPALITIES:
        level = "K"
    if level == "C":
        return Region(prov, city)
    counties = divs[prov]["cities"][city]["counties"]
    if not counties:
        return Region(prov, city)
    return Region(prov, city, rng.choice(counties))


def sub_region(rng, region, level):
    """A region inside (or equal to) `region` at `level`."""
    if level == "P":
        return Region(region.prov)
    if level == "C":
        if region.muni:
            return Region(region.prov, region.city or rng.choice(sorted(divisions()[region.prov]["cities"])))
        return Region(region.prov, region.city or rng.choice(sorted(divisions()[region.prov]["cities"])))
    if region.level == "K":
        return region
    return random_region(rng, "K", region.prov) if region.level == "P" else \
        Region(region.prov, region.city, rng.choice(divisions()[region.prov]["cities"][region.city]["counties"])
               if divisions()[region.prov]["cities"][region.city]["counties"] else None)


class Organ:
    """A state organ: `full` name, `kind`, and `shorts` (forms texts use once the organ is known)."""

    def __init__(self, full, kind, shorts=(), definable=(), standalone=False):
        self.full, self.kind = full, kind
        self.shorts = [s for s in shorts if s and s != full]
        self.definable = [s for s in definable if s and s != full] or self.shorts
        self.alias = None          # short form defined with (以下简称X) in this document
        self.standalone = standalone  # a name that is never expanded (福田警方)

    def __repr__(self):
        return f"Organ({self.full})"


# (suffix at level P, at level C, at level K, short suffix, kind)
GOV_DEPTS = {
    "cac": ("互联网信息办公室", "互联网信息办公室", "互联网信息办公室", "网信办"),
    "samr": ("市场监督管理局", "市场监督管理局", "市场监督管理局", "市场监管局"),
    "housing": ("住房和城乡建设厅", "住房和城乡建设局", "住房和城乡建设局", "住建局"),
    "health": ("卫生健康委员会", "卫生健康委员会", "卫生健康委员会", "卫健委"),
    "edu": ("教育厅", "教育局", "教育局", "教育局"),
    "civil": ("民政厅", "民政局", "民政局", "民政局"),
    "tour": ("文化和旅游厅", "文化广电旅游局", "文化和旅游局", "文旅局"),
    "hr": ("人力资源和社会保障厅", "人力资源和社会保障局", "人力资源和社会保障局", "人社局"),
    "urban": (None, "城市管理综合行政执法局", "城市管理综合行政执法局", "执法局"),
    "transport": ("交通运输厅", "交通运输局", "交通运输局", "交通局"),
    "agri": ("农业农村厅", "农业农村局", "农业农村局", "农业农村局"),
}
DEPT_SHORT_EXTRA = {"samr": ("市监局",), "urban": ("城管执法局", "城管局"), "housing": ("住建委",)}

NATIONAL = {
    "spp": ("最高人民检察院", "procuratorate", ("最高检",)),
    "spc": ("最高人民法院", "court", ("最高法",)),
    "cac": ("国家互联网信息办公室", "government", ("国家网信办",)),
    "samr": ("国家市场监督管理总局", "government", ("市场监管总局",)),
    "miit": ("工业和信息化部", "government", ("工信部",)),
    "mps": ("公安部", "police", ()),
    "pbc": ("中国人民银行", "government", ("人民银行", "央行")),
    "nfra": ("国家金融监督管理总局", "government", ("金融监管总局",)),
    "moe": ("教育部", "government", ()),
    "nhc": ("国家卫生健康委员会", "government", ("国家卫健委",)),
}
INTERNET_COURTS = ("北京互联网法院", "杭州互联网法院", "广州互联网法院")


def national(key):
    full, kind, shorts = NATIONAL[key]
    return Organ(full, kind, shorts)


def procuratorate(rng, region):
    lvl, own = region.level, region.own()
    if lvl == "P":
        return Organ(region.prov + "人民检察院", "procuratorate", (region.prov + "检察院", "省院"),
                     definable=("省院", region.palias + "省院" if not region.muni else "市院"))
    full = region.full(rng) + "人民检察院"
    shorts = (own + "检察院", own + "院", own + "人民检察院")
    return Organ(full, "procuratorate", shorts, definable=(own + "院", own + "检察院"))


def court(rng, region, level=None):
    lvl = level or region.level
    if lvl == "P":
        return Organ(region.prov + "高级人民法院", "court", (region.palias + "高院", "省高院"))
    if lvl == "C" and not region.muni and region.city:
        full = (region.prov if rng.random() < 0.4 else "") + region.city + "中级人民法院"
        return Organ(full, "court", (region.calias + "中院", region.city + "中院", region.city + "中级法院"))
    if region.level != "K":
        return Organ(rng.choice(INTERNET_COURTS), "court", ())
    full = region.full(rng) + "人民法院"
    own = region.own()
    return Organ(full, "court", (own + "法院", own + "人民法院"), definable=(own + "法院",))


def police(rng, region, unit=False):
    if region.level == "P":
        full = region.prov + "公安厅"
        if unit:
            return Organ(full + "网络安全保卫总队", "police", ("省公安厅网安总队",))
        return Organ(full, "police", ("省公安厅",))
    if region.level == "C" or region.muni and region.level != "K":
        base = region.full(rng) + "公安局"
        if unit:
            return Organ(base + rng.choice(("网络安全保卫支队", "网安支队")), "police", ("市公安局网安支队",))
        return Organ(base, "police", (region.city + "公安局", "市公安局"))
    word = "公安分局" if region.county.endswith("区") else "公安局"
    base = region.full(rng) + word
    if unit:
        return Organ(base + rng.choice(("网安大队", "网络安全保卫大队")), "police", (region.county + word + "网安大队",))
    return Organ(base, "police", (region.county + word, region.kalias + word))


def police_generic(rng, region):
    """福田警方 / 安徽滁州公安机关: region + generic organ word, normalized as written."""
    name = (region.kalias if region.level == "K" else region.calias or region.palias) + rng.choice(("警方", "警方", "公安机关"))
    return Organ(name, "police", (), standalone=True)


def gov(rng, region, dept):
    p, c, k, short = GOV_DEPTS[dept]
    suffix = {"P": p, "C": c, "K": k}[region.level] or c
    if region.level == "P" and p is None:
        region = Region(region.prov, rng.choice(sorted(divisions()[region.prov]["cities"])))
    if dept == "housing" and region.level == "K" and rng.random() < 0.3:
        suffix, short = "住房和城乡建设委员会", "住建委"
    full = region.full(rng) + suffix
    lw = region.level_word()
    shorts = [lw + short, region.own() + short]
    if region.level == "P":
        short_p = {"housing": "住建厅", "edu": "教育厅", "civil": "民政厅", "tour": "文旅厅",
                   "hr": "人社厅", "transport": "交通运输厅", "agri": "农业农村厅"}.get(dept)
        if short_p:
            shorts = [lw + short_p, region.palias + "省" + short_p if not region.muni else region.prov + short_p]
    for extra in DEPT_SHORT_EXTRA.get(dept, ()):
        if region.level != "P":
            shorts.append(lw + extra)
    return Organ(full, "government", shorts, definable=shorts[:1] + shorts[2:] or shorts)


def telecom(rng, region):
    full = region.prov + "通信管理局"
    return Organ(full, "government", ("省通信管理局" if not region.muni else "市通信管理局",
                                      region.palias + "通信管理局"))


def pbc_branch(rng, region):
    if region.level == "P" or not region.city or region.muni:
        full = "中国人民银行" + region.prov + rng.choice(("分行", "分行", "营业管理部" if region.muni else "分行"))
        tail = full[len("中国人民银行"):]
        return Organ(full, "government", ("人民银行" + tail, "人行" + tail))
    word = rng.choice(("中心支行", "中心支行", "分行"))
    full = "中国人民银行" + region.city + word
    return Organ(full, "government", ("人民银行" + region.city + word, "人行" + region.calias + word,
                                      region.calias + "人行"))


def finance_regulator(rng, region):
    name = region.calias if region.level != "P" and region.city else region.palias
    word = "监管分局" if region.level != "P" else "监管局"
    full = "国家金融监督管理总局" + name + word
    return Organ(full, "government", (name + "金融监管" + word[2:],))


# ------------------------------------------------------------------ parties

class Party:
    def __init__(self, text, kind, shorts=()):
        self.full, self.kind = text, kind
        self.shorts = [s for s in shorts if s and s != text]
        self.definable = list(self.shorts)
        self.alias = None
        self.standalone = False

    def __repr__(self):
        return f"Party({self.full})"


class Cast:
    """Hands out distinct anonymized persons and organizations for one document."""

    def __init__(self, rng):
        self.rng = rng
        self.used = set()
        self.surname_count = {}

    def person(self, style=None):
        rng = self.rng
        for _ in range(50):
            s = rng.choice(SURNAMES)
            st = style or rng.choice(("m", "m", "m", "mm", "mm", "mg", "mx"))
            if st == "m":
                name = s + "某"
            elif st == "mm":
                name = s + "某某"
            elif st == "mg":
                name = s + "某" + rng.choice(GIVEN)
            else:
                name = s + "某" + rng.choice("甲乙")
                if name.endswith("乙") and s + "某甲" not in self.used:
                    name = s + "某甲"
            if name not in self.used:
                self.used.add(name)
                return Party(name, "person")
        return Party(s + "某" + str(len(self.used)), "person")

    def company(self, region=None):
        rng = self.rng
        for _ in range(50):
            place = ""
            if region is not None and rng.random() < 0.7:
                place = rng.choice([region.palias, region.calias or region.palias,
                                    region.own(), region.city or region.prov])
            style = rng.random()
            kind = rng.choice(COMPANY_KINDS)
            if style < 0.55:
                name = f"{place}某{kind}{rng.choice(SUFFIXES)}"
                short = ("该公司", "某" + kind + "公司")
            elif style < 0.8:
                name = f"{place}{rng.choice(BRAND)}{kind}{rng.choice(SUFFIXES)}"
                short = (name[len(place):len(place) + 2] + "公司",)
            else:
                name = (place if rng.random() < 0.5 else "") + rng.choice(ORG_NOUNS)
                short = ()
            if name not in self.used:
                self.used.add(name)
                return Party(name, "org", [s for s in short if s != "该公司"])
        return Party("某公司", "org")


# ------------------------------------------------------------------ banks (penalized parties)

BANKS = ("建设银行", "农业银行", "工商银行", "中国银行", "交通银行", "邮储银行", "招商银行", "某银行", "某银行",
         "某股份制银行", "某农村商业银行", "某城市商业银行")
BANK_SHORT = {"建设银行": "建行", "农业银行": "农行", "工商银行": "工行", "中国银行": "中行", "交通银行": "交行"}


def bank_party(cast, region=None):
    """An anonymized bank branch as a PARTY org: 建设银行某分行, 某银行保定分行, 农业银行吉林某支行."""
    rng = cast.rng
    for _ in range(30):
        bank = rng.choice(BANKS)
        place = ""
        if region is not None:
            place = rng.choice([p for p in (region.calias, region.kalias, region.palias) if p] or [""])
        r = rng.random()
        if bank.startswith("某"):
            name = bank + (place or "某") + rng.choice(("分行", "支行", "分行", "中心支行"))
        elif r < 0.35:
            name = bank + "某" + rng.choice(("分行", "支行"))
        elif r < 0.7 and place:
            name = bank + place + "某支行"
        elif r < 0.85 and place:
            name = bank + place + "分行"
        else:
            name = "中国" + bank + "股份有限公司某" + rng.choice(("分行", "支行")) if bank in ("建设银行", "农业银行", "工商银行") \
                else bank + "某分行"
        if name in cast.used:
            continue
        cast.used.add(name)
        short = BANK_SHORT.get(bank)
        shorts = [name.replace("中国" + bank + "股份有限公司", short).replace(bank, short)] if short else []
        return Party(name, "org", shorts)
    return Party("某银行某支行", "org")

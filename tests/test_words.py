"""Word boundaries (jieba's dictionary segmentation) and the fragment test on spans."""
import pytest

from lawie.infer.words import WordBounds, is_word


def _span(text, surface):
    i = text.index(surface)
    return i, i + len(surface)


@pytest.mark.parametrize("text, surface, fragment", [
    ("他们在该网站上开设店铺,累计出售信息。", "开设店", True),      # 店|铺 cut, 铺 left outside
    ("他们在该网站上开设店铺,累计出售信息。", "开设", False),
    ("私查客户信息,轻会被行政处罚。", "行政处", True),              # 罚 alone outside
    ("私查客户信息,轻会被行政处罚。", "行政处罚", False),
    ("法院对三人分别作出刑事判决。", "判决", False),                # 刑事判决 cut into two words
    ("法院对三人分别作出刑事判决。", "事判决", True),                # 刑 alone outside
    ("王某等人先后被抓获归案。", "抓获", False),                     # 抓获归案 → 抓获 | 归案
    ("检察机关向区住房和城乡建设委员会制发检察建议。", "区住房和城乡建设委员会", False),
    ("检察机关向区住房和城乡建设委员会制发检察建议。", "制发检察建议", False),
    ("来源：中国检察官杂志", "中国检", True),
    ("经调查对华盈公司作出责令改正", "华盈公司", False),            # after a preposition (对华)
    ("5月20日常州警方公布称", "常州警方", False),                    # after a date (日常)
    ("其中安徽佳创房地产开发有限公司未经同意", "中安徽佳创房地产开发有限公司", True),
])
def test_leaves_fragment(text, surface, fragment):
    s, e = _span(text, surface)
    assert WordBounds(text).leaves_fragment(s, e) is fragment


def test_bounds_cover_the_text_and_domain_words_are_words():
    text = "2025年3月14日,徐水区院向区住建局制发检察建议。\n  ABC"
    wb = WordBounds(text)
    assert wb.word_around(0) is None and wb.word_around(len(text)) is None
    assert wb.word_around(text.index("检察建议") + 1) is not None
    assert is_word("制发检察建议") and is_word("罚款") and not is_word("开设店")


def _words_in_subprocess(cache: str):
    import os
    import subprocess
    import sys
    env = dict(os.environ, LAWIE_CACHE=cache)
    code = "from lawie.infer.words import is_word; print(is_word('罚款'))"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_jieba_cache_lives_in_lawie_cache_and_failures_stay_quiet(tmp_path):
    r = _words_in_subprocess(str(tmp_path / "c"))
    assert r.returncode == 0 and r.stdout.strip() == "True" and r.stderr == ""
    assert (tmp_path / "c" / "jieba" / "jieba.cache").is_file()
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    r = _words_in_subprocess(str(blocker))            # the cache dir cannot be made
    assert r.returncode == 0 and r.stdout.strip() == "True" and r.stderr == ""

"""Tests for govreport.tokens (constructed sentences, plus backend agreement on the seeds)."""

from __future__ import annotations

from pathlib import Path

import pytest

import govreport
from govreport.tokens import Tokenizer, get_tokenizer, sentence_spans, tokens

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_lexicon_terms_are_one_token(backend):
    tok = get_tokenizer(backend)
    assert "新质生产力" in tok.tokenize("各地要培育新质生产力，壮大实体经济")
    assert "专精特新" in tok.tokenize("支持专精特新中小企业成长") or "专精特新中小企业" in tok.tokenize(
        "支持专精特新中小企业成长")
    assert tok.tokenize("营商环境持续改善")[0] == "营商环境"


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_numbers_whole(backend):
    toks = get_tokenizer(backend).tokenize("全年增长5.8%，收入达到1451.6亿元，下降0.5个百分点")
    assert "5.8%" in toks
    assert "1451.6" in toks and "亿元" in toks
    assert "0.5" in toks
    assert get_tokenizer(backend).tokenize("PM2.5浓度下降")[0] == "PM2.5"


def test_spans_are_offsets():
    text = "2026年，推进人工智能+行动， GDP增长5%。"
    spans = get_tokenizer().tokenize_spans(text)
    for w, s, e in spans:
        assert text[s:e] == w
    assert "人工智能+" in [w for w, _, _ in spans]
    assert all(not w.isspace() for w, _, _ in spans)


def test_nesting_rule_keeps_terms_whole():
    toks = get_tokenizer().tokenize("加强大气污染治理和生态环境保护")
    assert "污染" in toks and "大气污染" not in toks


def test_sentences():
    text = "一是稳增长。二是促消费！\n三是防风险"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["一是稳增长。", "二是促消费！", "三是防风险"]


def test_private_tokenizer_leaves_jieba_global_alone():
    import jieba

    jieba.dt.check_initialized()
    before_total = jieba.dt.total
    before_len = len(jieba.dt.FREQ)
    before_tags = dict(jieba.dt.user_word_tag_tab)
    before_cut = jieba.lcut("发展新质生产力，治理大气污染")
    t = Tokenizer("jieba", user_words=["某某新词语"])
    t.tokenize("发展新质生产力，治理大气污染，某某新词语")
    get_tokenizer("rjieba").tokenize("发展新质生产力")
    assert jieba.dt.total == before_total
    assert len(jieba.dt.FREQ) == before_len
    assert jieba.dt.user_word_tag_tab == before_tags
    assert jieba.lcut("发展新质生产力，治理大气污染") == before_cut
    assert jieba.dt.FREQ.get("大气污染", 0) > 0


def test_jieba_user_words_do_not_leak_into_ours():
    import jieba

    jieba.add_word("培育新质", 10**9)
    try:
        assert "培育新质" not in get_tokenizer("rjieba").tokenize("培育新质生产力")
    finally:
        jieba.dt.del_word("培育新质")


def test_tokens_table_shape_and_determinism():
    c = govreport.read_text("政府工作报告\n各位代表：\n一、2025年工作回顾\n全年增长5.8%。\n"
                            "二、2026年工作安排\n培育新质生产力。", "t.txt")
    a = tokens(c)
    b = tokens(c)
    assert list(a.columns) == ["source", "part", "section", "sentence", "position", "start", "token"]
    assert a.equals(b)
    assert a[a.token == "5.8%"].section.tolist() == ["review"]
    assert a[a.token == "新质生产力"].section.tolist() == ["tasks"]
    assert "。" not in set(a.token)
    assert "。" in set(tokens(c, drop_punct=False).token)
    assert "的" not in set(tokens(govreport.read_text("政府工作报告\n各位代表：\n我们的目标。"),
                                 drop_stopwords=True).token)


@pytest.fixture(scope="module")
def seeds():
    return govreport.read(RAW)


def test_backends_agree_on_seeds(seeds):
    a = tokens(seeds, backend="rjieba")
    b = tokens(seeds, backend="jieba")
    assert len(a) > 10000
    assert a.equals(b)


def test_parallel_identical(seeds):
    assert tokens(seeds, n_jobs=2).equals(tokens(seeds))


def test_function_not_shadowed_by_submodule():
    import importlib

    mod = importlib.import_module("govreport.tokens")

    c = govreport.read_text("政府工作报告\n各位代表：\n培育新质生产力。")
    assert govreport.tokens(c).equals(mod.tokens(c))


# --------------------------------------------------------------------------- one backend call


ODD = ("2026年，推进人工智能+行动， GDP增长5%。PM2.5浓度下降0.5‰，5G基站1,234个；C919试飞\n"
       "㐀龥鿕鿖豈\U00020000字　全角ＡＢＣ１２３——“引号”（括号）…… a-b_c#d&e\r\n\t末尾")


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_one_backend_call_cuts_as_one_call_per_run(backend, seeds):
    tok = get_tokenizer(backend)
    texts = [ODD, ODD * 3, "，。", "", " \n", "abc", "发展", "发展\x00推进"]
    # runs touching protected words, the text's ends and each other
    texts += ["，，5G，b，。发展", "（2026）发展，，", "发展，，", "a，中", "人工智能+行动，+1",
              "推进5G，，a发展C919，", "，" * 50 + "x" + "，" * 50 + "发展" + "。" * 30]
    texts += [d.text for d in seeds.documents[:6 if backend == "jieba" else None]]
    for text in texts:
        assert tok._columns(text) == tok._columns_per_run(text), text[:40]


@pytest.mark.parametrize("backend", ["rjieba", "jieba"])
def test_safe_characters_are_one_token_in_the_backend(backend):
    # a "safe" character goes into the one backend call as it is: the backend must cut it
    # (twice in a row, between Han runs) as a token of its own, and so must _PIECES
    from govreport.tokens import _PIECES, _safe_char

    cut = get_tokenizer(backend).load()._cut
    safe = [chr(c) for c in range(0x10000) if _safe_char(chr(c))]
    assert "，" in safe and "。" in safe and "5" not in safe and " " not in safe
    chunk = 200
    for k in range(0, len(safe), chunk):
        chars = safe[k : k + chunk]
        text = "发展" + "".join(c + c + "推进" for c in chars)
        assert cut(text) == ["发展"] + [t for c in chars for t in (c, c, "推进")]
    for c in safe:
        m = _PIECES.match(c + c)
        assert m.lastgroup == "other" and m.group() == c
    assert cut("发展\x00\x00推进") == ["发展", "\x00", "\x00", "推进"]  # the placeholder


def test_stored_nesting_words_are_up_to_date():
    # govreport/data/nesting_words.txt spares the tokenizer a scan of jieba's 350,000 words;
    # after changing a dictionary run scripts/nesting_words.py
    from importlib import resources

    from govreport.tokens import (
        NESTING_WORDS_FILE,
        _compute_nesting_words,
        _dictionary_terms,
        _nesting_words_file_text,
        _stored_nesting_words,
    )

    terms = _dictionary_terms()
    stored = resources.files("govreport").joinpath("data", NESTING_WORDS_FILE).read_text(encoding="utf-8")
    assert stored == _nesting_words_file_text(terms), "stale: run python scripts/nesting_words.py"
    assert _stored_nesting_words(terms) == _compute_nesting_words(terms)
    assert "大气污染" in _stored_nesting_words(terms)
    assert _stored_nesting_words((*terms, "某某新词")) is None  # other terms: computed instead


def _sentence_spans_by_loop(text):  # the former implementation: the reference
    import re

    spans, pos = [], 0
    for m in (*re.finditer(r"[。！？!?]+[”’」』）)\"']*|\n+", text), None):
        end = m.end() if m else len(text)
        s, e = pos, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        pos = end
    return spans


def test_sentence_spans_vectorised_as_the_loop(seeds):
    texts = ["", " ", "\n\n", "一是稳增长。", "。", " a。 \n\u3000b！”\r\n c", "末尾无标点 \u2003",
             "\x1c分\x1f隔\x85符\u2028号。", ODD, *(d.text for d in seeds.documents)]
    for text in texts:
        assert sentence_spans(text) == _sentence_spans_by_loop(text), text[:30]


def test_protected_words_pattern_matches_as_the_guard_before_it(seeds):
    """The protected-words pattern checks its ASCII guard after the first character (so the
    regex engine skips to where a word can start); it finds what the former form found, with
    the guard in front of the whole trie."""
    import random
    import re

    from govreport.patterns import ALNUM, trie_pattern

    tok = get_tokenizer().load()
    words = ["5G", "5G基站", "PM2.5", "PM10", "12345热线", "A级景区", "世界500强", "人工智能+", "绿色", "G7", ".net"]
    alphabet = ["5", "G", "P", "M", "2", ".", "1", "0", "A", "x", "级景区", "基站", "绿色", "人工智能+", "，", "\n", "世界500强"]
    rng = random.Random(7)
    texts = [ODD, *(d.text for d in seeds.documents)]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12))) for _ in range(3000)]
    for new in (tok._protect, re.compile(trie_pattern(words, ascii_guard=True))):
        body = new.pattern.replace(f"(?<![{ALNUM}.].)", "")
        old = re.compile(rf"(?:(?![{ALNUM}])|(?<![{ALNUM}.])){body}")
        for text in texts:
            assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)], text[:40]

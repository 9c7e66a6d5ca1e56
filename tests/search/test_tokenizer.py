"""The tokenizer: Chinese bigrams, Latin words, mixed text, folding, phones, e-mails."""
import pytest

from app.search.builder import tsquery_literal, vector_literal
from app.search.tokenizer import email_tokens, phone_tokens, query_tokens, tokens


@pytest.mark.parametrize("text, expected", [
    ("连天红家具", ["连天", "天红", "红家", "家具"]),
    ("連天紅", ["连天", "天红"]),                       # Traditional folds to Simplified
    ("红", ["红"]),                                      # a lone character stays whole
    ("Acme Trading Co., Ltd.", ["acme", "trading", "co", "ltd"]),
    ("ＡＢＣ１２３", ["abc123"]),                        # full-width folds to half-width
    ("上海Acme贸易公司", ["上海", "acme", "贸易", "易公", "公司"]),  # mixed scripts
    ("", []),
    (None, []),
    ("!!! ---", []),
])
def test_tokens(text, expected):
    assert tokens(text) == expected


def test_same_query_in_either_script_gives_the_same_tokens():
    assert query_tokens("連天紅") == query_tokens("连天红") == ["连天", "天红"]


@pytest.mark.parametrize("typed", ["138 0013 8000", "+86 138-0013-8000", "(138)00138000",
                                   "8613800138000"])
def test_a_phone_in_any_format_becomes_its_last_eight_digits(typed):
    assert query_tokens(typed) == ["00138000"]
    assert "00138000" in phone_tokens("+8613800138000")


def test_email_is_indexed_whole_and_by_its_words():
    assert email_tokens("Wang.Li@Acme.CN") == ["wang.li@acme.cn", "wang", "li", "acme", "cn"]
    assert query_tokens("wang.li@acme.cn") == ["wang.li@acme.cn"]


def test_vector_and_query_literals_quote_safely():
    assert vector_literal({"A": ["o'neil"], "B": ["a\\b"]}) == "'o''neil':1A 'a\\\\b':2B"
    assert tsquery_literal("acme trad") == "'acme' & 'trad':*"
    assert tsquery_literal("acme trad", any_token=True) == "'acme' | 'trad'"
    assert tsquery_literal("  ") is None

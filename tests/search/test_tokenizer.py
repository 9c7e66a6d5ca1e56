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


@pytest.mark.parametrize("text, expected", [
    ("a", ["a"]),                                        # one-character tokens are kept
    ("x y 1", ["x", "y", "1"]),
    ("A区", ["a", "区"]),
    ("ぁぃぅ", ["ぁぃ", "ぃぅ"]),                          # hiragana from its first letter
    ("ひらがな", ["ひら", "らが", "がな"]),
    ("トヨタ自動車", ["トヨ", "ヨタ", "タ自", "自动", "动车"]),  # katakana runs into kanji
    ("ヺヾヽ", ["ヺヾ", "ヾヽ"]),                          # to the end of the katakana block
    ("㐀㐁䶿", ["㐀㐁", "㐁䶿"]),                          # CJK Extension A, both ends
    ("一鿿", ["一鿿"]),                                    # the unified block's ends
    ("x" * 61, ["x" * 60]),                              # long words are cut, not dropped
])
def test_token_edges(text, expected):
    assert tokens(text) == expected


@pytest.mark.parametrize("typed, expected", [
    ("12345", ["12345"]),                # too short for a phone: a plain token
    ("123456", ["123456"]),              # six digits: a phone, all of it
    ("12345678", ["12345678"]),
    ("123456789", ["23456789"]),         # longer: the last eight digits
    ("12 34", ["12", "34"]),
    ("12-34-5", ["12", "34", "5"]),       # phone-like characters, too few digits
    ("order 1234567", ["order", "1234567"]),  # enough digits, but words too: not a phone
])
def test_short_numbers(typed, expected):
    assert query_tokens(typed) == expected


def test_phone_tokens_need_six_digits_and_add_the_last_eight():
    assert phone_tokens("+86123") == [] and phone_tokens("+8612345") == ["8612345"]
    assert phone_tokens("12345") == [] and phone_tokens("123456") == ["123456"]
    assert phone_tokens("+8612345678") == ["8612345678", "12345678"]
    assert phone_tokens("12345678") == ["12345678"]


@pytest.mark.parametrize("typed, expected", [
    ("wang@acme.cn", ["wang@acme.cn"]),
    ("  Wang@Acme.CN ", ["wang@acme.cn"]),         # spaces around: still one address
    ("wang @acme.cn", ["wang", "acme", "cn"]),     # a space inside: words
    ("ｗａｎｇ@acme.cn", ["wang@acme.cn"]),          # full-width folds too
])
def test_email_queries(typed, expected):
    assert query_tokens(typed) == expected


def test_an_address_is_stripped_before_it_is_folded():
    assert email_tokens("\u3000 Wang@Acme.CN\n") == ["wang@acme.cn", "wang", "acme", "cn"]
    assert email_tokens(None) == [] and email_tokens("") == []

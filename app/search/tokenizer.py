"""Turning text into search tokens without PostgreSQL extensions.

PostgreSQL's parser does not segment Chinese, so a plain to_tsvector finds
nothing for a Chinese query. Like Lucene's CJK analyzer we index CJK text as
overlapping bigrams ("连天红" → "连天", "天红"), Latin text as lower-cased
words, and fold Traditional to Simplified Chinese (OpenCC) and full-width to
half-width (NFKC) on both sides, so "連天紅" finds "连天红". The same code
tokenizes documents and queries, so they always agree.
"""
import re
import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s.json")
# Han ideographs (with extensions A and compatibility), kana and Hangul: scripts without spaces.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_RUNS = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+", re.UNICODE)
_PHONE_CHARS = re.compile(r"^[\d\s()+\-.]{6,}$")
MAX_TOKEN = 60


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """NFKC, lower case, Traditional → Simplified."""
    if text.isascii():  # codes, e-mails, Latin names: NFKC and OpenCC would change nothing
        return text.lower()
    return _T2S.convert(unicodedata.normalize("NFKC", text).lower())


def _is_cjk(run: str) -> bool:
    return bool(re.match(rf"[{_CJK}]", run))


def tokens(text: str | None) -> list[str]:
    """Search tokens of a text, in order, duplicates kept."""
    if not text:
        return []
    result = []
    for run in _RUNS.findall(fold(text)):
        if _is_cjk(run):
            result.extend(run if len(run) == 1 else (run[i:i + 2] for i in range(len(run) - 1)))
        else:
            result.append(run[:MAX_TOKEN])
    return result


def email_tokens(address: str | None) -> list[str]:
    """The whole address plus its words, so both "wang@acme.cn" and "acme" find it."""
    if not address:
        return []
    address = fold(address.strip())
    return [address[:MAX_TOKEN], *tokens(address)]


def digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def phone_tokens(e164: str | None) -> list[str]:
    """Digits of an E.164 number, and its last 8 digits (how people type local numbers)."""
    number = digits(e164)
    if len(number) < 6:
        return []
    return [number, number[-8:]] if len(number) > 8 else [number]


def looks_like_phone(query: str) -> bool:
    return bool(_PHONE_CHARS.match(query.strip())) and len(digits(query)) >= 6


def query_tokens(query: str) -> list[str]:
    """Tokens of what a user typed; a phone in any format becomes its digits."""
    if looks_like_phone(query):
        number = digits(query)
        return [number[-8:]] if len(number) > 8 else [number]
    if "@" in query and " " not in query.strip():
        return email_tokens(query)[:1]
    return list(dict.fromkeys(tokens(query)))

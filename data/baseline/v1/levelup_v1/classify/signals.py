"""Surface signals of a work statement: a measured effect, a personal action, vagueness, a why.

Pure regular-expression rules, written from the labelling guide in data/labelled/README.md.
"""

from __future__ import annotations

import re

_NUM = r"[$€£]?\d[\d,.]*\s*(?:k|m|ms|s|%|x)?"
_UNITS = (
    r"ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|hours?|hrs?|h|days?|weeks?|months?|"
    r"years?|fps|kb|mb|gb|tb|points?|pp|rps|qps"
)
_EFFECT_PATTERNS = (
    r"\d[\d,.]*\s*(?:%|percent\b)(?!\s*(?:done|complete|finished|through))",
    r"[$€£]\s?\d",
    r"\b\d[\d,.]*\s*k?\s*(?:dollars|euros|pounds|usd|eur|gbp)\b",
    rf"\bfrom\s+(?:about\s+|around\s+|~)?{_NUM}[^;,.]{{0,30}}?\s+(?:to|down to|up to)\s+"
    rf"(?:{_NUM}|zero|none)",
    rf"\b{_NUM}\s*(?:{_UNITS})?\s+(?:instead of|rather than|versus|vs\.?|compared to)\s+",
    rf"(?<![:\d])\b\d[\d,.]*[\s-]*(?:{_UNITS})\b(?!\s+ago)",
    r"\b\d[\d,.]*\s*k?\s+(?:new\s+|more\s+|fewer\s+)?(?:sign-?ups|customers|users|installs|"
    r"downloads|orders|subscribers|merchants|partners)\b",
    r"\b\d[\d,.]*\s*x\b|\b\d+\s+times\s+(?:faster|cheaper|more|less|fewer)",
    r"\b(?:halved|doubled|tripled|by half|by a third|a third)\b",
    r"\b(?:to|at|averag\w*|went to|fell to|dropped to)\s+(?:zero|none)\b|\bzero\s+\w+",
    r"\b\d[\d,.]*\s+in\s+\d[\d,.]*\b",
)
# Matched against lower-cased text, case-sensitively, behind a look-ahead for the characters
# and words an effect can start with: three to five times faster than IGNORECASE alone, with
# the same answers on every labelled statement.
_EFFECT_START = (
    r"[\d$€£]|from|halved|doubled|tripled|by\s|a third|to\s|at\s|averag|went\s|fell\s|"
    r"dropped\s|zero"
)
_EFFECT = re.compile(
    f"(?={_EFFECT_START})(?:" + "|".join(f"(?:{p})" for p in _EFFECT_PATTERNS) + ")"
)
# Numbers that are versions or schedules, not effects.
_NOT_EFFECT = re.compile(
    r"\b(?:upgrad\w*|version|ported|python|react|java|node|android|ios)\s+(?:\w+\s+){0,3}?"
    r"from\s+\d[\d.]*\s+to\s+\d[\d.]*|\bevery\s+\d+\s+\w+",
    re.IGNORECASE,
)
ACTIVITY_COUNT = re.compile(
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens? of)\s+"
    r"(?:\w+\s+)?(?:bugs?|tickets?|issues?|prs?|pull requests?|tests?|commits?|meetings?|"
    r"stories|story points|tasks?|interviews?|reviews?|alerts?|cards?|features?)\b",
    re.IGNORECASE,
)

_PREFIX = re.compile(r"^\s*[A-Za-z][\w /&-]{0,24}:\s+")
_GENERIC = re.compile(
    r"^(?:i\s+)?(?:worked|work|working)\s+(?:on\b|with\b(?!.*\bto\s+\w+))|"
    r"^(?:i\s+)?helped\s+(?:with|out|juniors|people|others|the team)\b|"
    r"^(?:i\s+)?(?:was\s+)?involved\b|^(?:i\s+)?(?:supported|synced|talked|attended|thought|"
    r"had ideas|kept things|communicated|influenced|looked after|took ownership of|"
    r"handled (?:a bunch|some|stuff|things)|did (?:stuff|things|a few|various)|"
    r"improved (?:the |some )?(?:code|things|stuff)|"
    r"gave input|lots|busy|various|misc|almost)\b",
    re.IGNORECASE,
)
_VAGUE_WORDS = re.compile(
    r"\b(?:stuff|things|various|misc|a bunch|a few things|lots of|some (?:tickets|decisions|"
    r"refactoring|mentoring|cleanup|fixes)|did some|worked on|helped with|helped juniors|"
    r"supported|involved in|was involved|synced with|busy|improvements?$|tech debt$|bug fixes$)\b|"
    r"\b(?:into|on|with|for) (?:the|a|some) (?:bug|issue|problem|thing|project)s?$",
    re.IGNORECASE,
)
_PASSIVE_OR_GROUP = re.compile(
    r"^(?:the|our|we|we've|team|squad|it|this|that|there|project|migration|release|"
    r"feature|sales|search|performance|page|api)\b|^\w+(?:\s+\w+)?\s+(?:is|are|was|were|went)\b",
    re.IGNORECASE,
)
_IRREGULAR = frozenset(
    "built wrote led ran made found got gave took set cut kept taught spent sent brought drove "
    "began moved shut stood rewrote broke caught chose drew fought held hid hung knew laid lent "
    "met paid put quit read rode rang rose sold shook shot sang slid spoke stuck struck swept "
    "swung told thought threw understood upheld won withdrew overhauled sped split spun rebuilt "
    "reran reset redid oversaw undid had".split()
)
_CLAUSES = re.compile(r"[;:]\s+")
_ADVERBS = frozenset(
    "pair also then finally quietly proactively personally single-handedly".split()
)
_FIRST_PERSON_VERB = re.compile(r"\bi\s+(?:\w+ly\s+)?(\w+)", re.IGNORECASE)


def body(text: str) -> str:
    """The statement without a leading tag such as 'EM:' or 'Invisible work:'."""
    return _PREFIX.sub("", text.strip(), count=1)


def has_metric(text: str) -> bool:
    """True when the statement quantifies an effect (not a version number or a task count)."""
    cleaned = _NOT_EFFECT.sub(" ", text)
    return _EFFECT.search(cleaned.lower()) is not None


def activity_count(text: str) -> str | None:
    """The 'fixed 3 bugs' kind of number: a count of activity, returned for the suggestion."""
    match = ACTIVITY_COUNT.search(text)
    return match.group(0) if match else None


def _is_verb(word: str) -> bool:
    low = word.lower()
    return low in _IRREGULAR or (low.endswith("ed") and len(low) > 3) or low in {"did", "do"}


def has_action(text: str) -> bool:
    """True when the author says what they personally did, as 'I did X' or 'Did X'."""
    stripped = body(text)
    if not stripped or _GENERIC.search(stripped):
        return False
    if any(_starts_with_verb(clause) for clause in _CLAUSES.split(stripped)):
        return True
    return any(_is_verb(m.group(1)) for m in _FIRST_PERSON_VERB.finditer(stripped))


def _starts_with_verb(clause: str) -> bool:
    words = clause.split()
    if not words or _PASSIVE_OR_GROUP.search(clause):
        return False
    if words[0].lower() in _ADVERBS and len(words) > 1:
        words = words[1:]
    return _is_verb(words[0].strip(",")) or clause.lower().startswith("was on call")


def is_vague(text: str) -> bool:
    """True when a reader cannot tell what exactly was done or changed."""
    stripped = body(text)
    if has_metric(stripped):
        return False
    if _VAGUE_WORDS.search(stripped) or _GENERIC.search(stripped):
        return True
    return len(stripped.split()) <= 2


_WHY = re.compile(
    r"\b(?:so that|so (?:we|the|they|our|any|it|new|no|every|he|she|people|customers|users|"
    r"support|sales|finance|merchants|campaigns|quieter|remote|product)|which|unblock\w*|"
    r"saving|for (?:customers|users|the team|everyone)|to (?:stop|prevent|avoid|protect)|"
    r"before (?:customers|users|the|anyone|launch|release|it|messages)|without (?:asking|"
    r"escalating|paging|leaving|downtime|missing)|instead of|no longer|"
    r"can no longer|cannot|preventing|avoiding|blocking|required for|after (?:the|a|realising)|"
    r"now (?:the|part|know|make|run|open|take)|restor\w+|keeping|until (?:she|he|they)|"
    r"customers?|users?|merchants|partners|new hires?|new joiners)\b",
    re.IGNORECASE,
)


def has_why(text: str) -> bool:
    """True when the statement says why the work mattered, or measures what it changed."""
    return has_metric(text) or _WHY.search(body(text)) is not None

"""One Arabic normalisation for the tagger and for search. Plain Python, no Django.

Everyday Arabic spells the same name several ways: إدلب and ادلب, حماة and حماه,
القامشلي and القامشلى, with or without diacritics and the decorative tatweel. Both sides of
every comparison (gazetteer names and article text in the tagger; stored articles and the
reader's query in search) go through the same folding:

- the hamza forms of alef (أ إ آ ٱ) become bare alef ا; ؤ becomes و and ئ becomes ي;
- ta marbuta ة becomes ha ه, and alef maqsura ى becomes ya ي;
- tatweel and every diacritic (harakat, shadda, sukun, superscript alef) are removed.

Folding is one character to at most one character, so the tagger keeps each word's offsets
in the original text. The same table is written into PostgreSQL as ``translate()`` over
``LETTER_FOLDS`` and a ``regexp_replace()`` of ``MARKS_PATTERN`` (both immutable, so a
generated search column can use them): that is why the table lives here rather than in a
library call, and why it must stay a character map.

``strip_article`` removes the article ال and the conjunctions and prepositions attached in
front of it (و ف ب ك ل): والرقة, بالرقة and للرقة are all الرقة's key رقه.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# Letters folded to another letter (one for one, so offsets survive).
LETTER_FOLDS = {
    "\u0623": "\u0627",  # أ alef with hamza above
    "\u0625": "\u0627",  # إ alef with hamza below
    "\u0622": "\u0627",  # آ alef with madda
    "\u0671": "\u0627",  # ٱ alef wasla
    "\u0624": "\u0648",  # ؤ waw with hamza
    "\u0626": "\u064a",  # ئ ya with hamza
    "\u0629": "\u0647",  # ة ta marbuta -> ha
    "\u0649": "\u064a",  # ى alef maqsura -> ya
    "\u06cc": "\u064a",  # ی Persian/Urdu ya, common in copied text
    "\u06a9": "\u0643",  # ک keheh -> kaf
}
TATWEEL = "\u0640"
# Marks removed: tatweel, harakat and shadda/sukun (U+064B-U+065F), superscript alef.
MARKS_PATTERN = "[\u0640\u064b-\u065f\u0670\u06d6-\u06ed]"
_MARKS = re.compile(MARKS_PATTERN)
_TABLE = str.maketrans(LETTER_FOLDS)

ARABIC_LETTERS = re.compile("[\u0621-\u064a\u066e-\u06d3]")
ARTICLE = "\u0627\u0644"  # ال
# Attached in front of the article: و ف (and, so), then ب ك ل (in/with, like, for).
_CONJUNCTIONS = "\u0648\u0641"
_PREPOSITIONS = "\u0628\u0643\u0644"
_LAM = "\u0644"
# What must be left after the article for it to be an article: الرقة, not ال or اله.
MIN_STEM = 2


def is_arabic(text: str) -> bool:
    """True when the text has any Arabic letter."""
    return ARABIC_LETTERS.search(text) is not None


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """One character folded: '' for a mark or tatweel, else one character."""
    if _MARKS.fullmatch(char):
        return ""
    return char.translate(_TABLE)


def fold(text: str) -> str:
    """Fold every Arabic letter variant and drop marks; other scripts pass unchanged.

    Presentation forms (ﻻ, ﺍ) are NFKC-composed first, as copied PDF text often has them.
    """
    if not is_arabic(text) and not any("\ufb50" <= c <= "\ufeff" for c in text):
        return text
    text = unicodedata.normalize("NFKC", text)
    return _MARKS.sub("", text).translate(_TABLE)


def strip_article(word: str) -> str:
    """The folded word without the article and what is attached before it.

    والرقة -> رقه, بالرقة -> رقه, للرقة -> رقه (ل + ال, written لل), الرقة -> رقه;
    a word too short to hold an article after its first letters is returned folded.
    """
    word = fold(word)
    rest = word
    if rest[:1] in _CONJUNCTIONS and rest[1:3] in (ARTICLE, _LAM * 2):
        rest = rest[1:]
    if rest[:1] in _PREPOSITIONS and rest[1:3] == ARTICLE:
        rest = rest[1:]
    if rest.startswith(ARTICLE) and len(rest) - 2 >= MIN_STEM:
        return rest[2:]
    if rest.startswith(_LAM * 2) and len(rest) - 2 >= MIN_STEM:
        return rest[2:]  # للرقة: the preposition ل with the article's alef dropped
    return word


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Place names that are also everyday words: جديدة is "new" before it is Judaydat Yabus.
# The tagger takes them as places only after a cue (``tag._reads_as_a_word``); with the
# measured list (FREQUENT_NAME_KEYS below), these are the ones a list of names misses.
EVERYDAY_WORDS = _word_set(
    """
    جديدة جديد الجديدة الجديد قديمة القديمة القديم كبير الكبير الكبيرة صغير الصغير الصغيرة
    السلام النصر الحرية الثورة الشيخ العين البلد السوق المركز الجسر المحطة القرية البيت
    الكرامة الوحدة التحرير الشهداء الأمل النور الخير العرب الحمراء البيضاء الخضراء المزرعة
    المعمل المطار القلعة الجامع الدير التل البئر النهر الوادي الجبل السهل الحدود الحاجز
    الساحة الطريق الصناعة الزراعة الإسلام العمر الأمين الرشيد المنطقة المدينة الأول الثاني
    الثالث الحرب المعارضة الجيش الشعب الدولة الوطن الأمن الشرقي الغربي الشمالي الجنوبي
    الشرقية الغربية الشمالية الجنوبية الوسطى المحافظة الريف الحي الفرقان الإيمان الفتح
    الهدى الرحمة السعادة الأمان الزهور الورود الربيع الصفا المروة الفيحاء العزة الفداء
    """
)
# Words that put a place right after them: in, near, towards; town, village, city...
# Not إلى: it brings verbal nouns as often as places (دعا إلى وقف, تسعى إلى كسب).
LOCATIVE_CUES = _word_set(
    """
    في قرب بالقرب نحو باتجاه داخل محيط أطراف بلدة بلدات قرية قرى مدينة مدن ريف حي ناحية
    منطقة مخيم شرق غرب شمال جنوب شرقي غربي شمالي جنوبي بلدتي قريتي
    """
)


def everyday_key(word: str) -> str:
    """The comparable form of a word for the lists above (folded, article stripped)."""
    return strip_article(word)


def _cue_keys(word: str) -> tuple[str, ...]:
    """The word as a cue, with و ف and then ب ل attached in front allowed: وبلدة, وفي."""
    key = everyday_key(word)
    keys = [key]
    if key[:1] in _CONJUNCTIONS:
        keys.append(key[1:])
    for stem in list(keys):
        if stem[:1] in _PREPOSITIONS:
            keys.append(stem[1:])
    return tuple(keys)


def is_locative_cue(word: str) -> bool:
    """في, قرب, بلدة, ريف... (with و ف ب attached): a place name may follow."""
    return any(key in _LOCATIVE_CUE_KEYS for key in _cue_keys(word))


def is_settlement_cue(word: str) -> bool:
    """قرية, بلدة, مزرعة... (with و ف ب attached): the settlement's own name follows."""
    return any(key in _SETTLEMENT_CUE_KEYS for key in _cue_keys(word))


def describes(previous: str, word: str) -> bool:
    """قرية جديدة: an indefinite everyday adjective after a settlement noun describes it."""
    return (
        is_settlement_cue(previous)
        and not has_article(word)
        and everyday_key(word) in _ADJECTIVE_KEYS
    )


def state_after(previous: str) -> str | None:
    """'border' after الحدود, 'territory' after الأراضي, الأجواء...: a state's adjective
    there names its ground (see BORDER_NOUNS), else None."""
    key = everyday_key(previous)
    if key in _BORDER_KEYS:
        return "border"
    if key in _TERRITORY_KEYS:
        return "territory"
    return None


def has_locative_prefix(word: str) -> bool:
    """بالقصير, وبالقصير: "in" attached to a name with its article."""
    folded = fold(word)
    if folded[:1] in _CONJUNCTIONS:
        folded = folded[1:]
    return folded.startswith("\u0628" + ARTICLE) and len(folded) - 3 >= MIN_STEM


def has_article(word: str) -> bool:
    """True when the word carries the article, after any و ف ب ك ل: الرقة, والرقة, للرقة."""
    return strip_article(word) != fold(word)


# Nouns after which a cue is a settlement's own name: قرية X, بلدة X. A village whose name
# is an everyday word is named this way in reporting; after في or قرب it is the word.
SETTLEMENT_CUES = _word_set(
    """
    قرية قرى قريتي بلدة بلدات بلدتي مزرعة مزارع ناحية مخيم تجمع حي
    """
)
# Everyday words that, indefinite after a settlement noun, describe it: قرية جديدة is "a
# new village", never Judaydat Yabus; a name after قرية is written with its article.
ADJECTIVES = _word_set(
    """
    جديدة جديد قديمة قديم كبيرة كبير صغيرة صغير واسعة واسع بعيدة بعيد قريبة قريب
    مجاورة مجاور أخرى آخر ثانية ثالثة شرقية غربية شمالية جنوبية حدودية زراعية نائية
    """
)
# A state's adjective after these is whose ground it is, not who acts: الحدود التركية,
# الأراضي التركية, الأجواء الروسية. After a border the state is neither actor nor place (a
# border is where two countries meet); after its territory, airspace or waters it is the
# place, as "in Turkey" is.
BORDER_NOUNS = _word_set("الحدود حدود الحدودي")
TERRITORY_NOUNS = _word_set("الأراضي أراضي الأجواء أجواء المياه مياه الداخل العمق")

_BUNDLED_WORDS = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "arabic_words.csv"


def _read_bundled_words(path: Path = _BUNDLED_WORDS) -> tuple[frozenset[str], frozenset[str]]:
    """(place names that are everyday words, words that only look like a proclitic plus a
    name), as folded keys; see ``build_arabic_words.py`` beside the file."""
    names: set[str] = set()
    whole: set[str] = set()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["use"] == "name":
                names.add(everyday_key(row["word"]))
            elif row["use"] == "whole":
                whole.add(fold(row["word"]))
    return frozenset(names), frozenset(whole)


_LOCATIVE_CUE_KEYS = frozenset(everyday_key(w) for w in LOCATIVE_CUES)
_SETTLEMENT_CUE_KEYS = frozenset(everyday_key(w) for w in SETTLEMENT_CUES)
_ADJECTIVE_KEYS = frozenset(everyday_key(w) for w in ADJECTIVES)
_BORDER_KEYS = frozenset(everyday_key(w) for w in BORDER_NOUNS)
_TERRITORY_KEYS = frozenset(everyday_key(w) for w in TERRITORY_NOUNS)

# Measured, not listed by hand: village names met as words (واسعة, مطلع, حول) and the
# words وزارة, بواسطة that are not و + زارة, ب + واسطة.
FREQUENT_NAME_KEYS, WHOLE_WORDS = _read_bundled_words()


# --- datelines and dates ----------------------------------------------------------------

_WORD = "[\u0621-\u064a\u0640\u064b-\u065f\u0670\u0671-\u06d3]+"
# "إدلب - ...", "دمشق – سانا", "ريف حلب (عنب بلدي) - ...": one to three words, then a dash
# with a space after it (a colon would also take "قال مصدر: ...").
DATELINE = rf"(?P<place_ar>{_WORD}(?: {_WORD}){{0,2}})(?:\s*\([^)\n]{{2,40}}\))?\s*[-\u2013\u2014]"
# The same on a line of its own, with the agency after the dash: "دمشق – سانا".
LONE_DATELINE = rf"{DATELINE}(?:\s*{_WORD}(?: {_WORD}){{0,3}})?"
DATELINE_AT_START = re.compile(rf"^\s*{DATELINE}(?:\s*{_WORD}(?: {_WORD}){{0,3}}\s*[\u2014])?\s")

# Syrian and Levantine month names, then the Egyptian/Gulf ones, as written; matching
# folds both sides, so آذار and اذار, أيلول and ايلول are one month.
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("كانون الثاني", "يناير"),
            ("شباط", "فبراير"),
            ("آذار", "مارس"),
            ("نيسان", "أبريل", "ابريل"),
            ("أيار", "مايو"),
            ("حزيران", "يونيو", "يونيه"),
            ("تموز", "يوليو", "يوليه"),
            ("آب", "أغسطس"),
            ("أيلول", "سبتمبر"),
            ("تشرين الأول", "أكتوبر"),
            ("تشرين الثاني", "نوفمبر"),
            ("كانون الأول", "ديسمبر"),
        ),
        start=1,
    )
    for name in names
}
FOLDED_MONTHS = {fold(name): number for name, number in MONTHS.items()}
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def western_digits(text: str) -> str:
    """Arabic-Indic (٠-٩) and Persian (۰-۹) digits as 0-9, one for one."""
    return text.translate(_DIGITS)


def month_name(number: int) -> str:
    """The month as Syrian reporting names it (آذار, not مارس): the first name in MONTHS."""
    return next(name for name, month in MONTHS.items() if month == number)

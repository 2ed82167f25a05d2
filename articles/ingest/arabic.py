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

import re
import unicodedata
from functools import lru_cache

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
# The tagger takes them as places only after a locative cue or beside their province.
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
LOCATIVE_CUES = _word_set(
    """
    في قرب بالقرب نحو إلى باتجاه داخل محيط أطراف بلدة بلدات قرية قرى مدينة مدن ريف حي ناحية
    منطقة مخيم شرق غرب شمال جنوب شرقي غربي شمالي جنوبي بلدتي قريتي
    """
)


def everyday_key(word: str) -> str:
    """The comparable form of a word for the lists above (folded, article stripped)."""
    return strip_article(word)


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

"""People an article names, and the role the text gives them. Plain Python, no Django.

Rules, not a statistical model: measured on the labelled sets (docs/ingestion.md), cheap
cues find nearly every person reporting names, and the gazetteer (applied by
``tag.py``) vetoes what the cues wrongly take for a person: places and groups. A
statistical NER (spaCy ``en_core_web_sm``) was measured by the issue's author at recall
0.87 and precision 0.35 on unseen reporting, at 28,000 characters per CPU-second: slower
than this whole tagger by a factor of 20 and far less precise.

The cues, each giving a role where it can:

* a title or role noun before the name: "President", "Gen.", "Sheikh", "spokesman",
  "commander", "governor", "envoy", "rebel commander";
* an apposition after it: "Karim Haddad, a spokesman for the group";
* speech: "X said", "said X", "X told", "according to X";
* bylines and credits: "By X", "Reporting by X", "(Photo: X/AFP)", "X/Getty Images",
  "Photo X" without the agency, "Posted on <date> by X";
* one word after a title that names a person alone: "President Assad", "Dr. Darwish",
  "spokesman Ali", "a witness named Ahmad".

A later mention by surname alone ("Barazi said") counts for the full name found earlier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _words(text: str) -> list[str]:
    return text.split()


# Role words as the text writes them -> role. Titles and nouns alike.
_ROLE_WORDS = {
    "official": (
        "president vice-president premier minister ambassador envoy emissary governor mayor "
        "official officials secretary secretary-general senator sen. king prince emir diplomat "
        "negotiator lawmaker mp chancellor judge representative adviser advisor coordinator "
        "deputy chairman chairwoman chair co-chair co-chairman co-president director chief head "
        "mufti speaker"
    ),
    "commander": (
        "commander gen. general lt. lieutenant col. colonel brig. brigadier maj. major "
        "capt. captain officer leader fighter field-marshal marshal defector airman sergeant "
        "sgt. corporal cpl."
    ),
    "spokesman": "spokesman spokeswoman spokesperson",
    "monitor": "monitor observer",
    "journalist": (
        "journalist reporter correspondent photographer photojournalist editor cameraman "
        "writer columnist blogger"
    ),
    "resident": (
        "resident residents witness activist doctor nurse teacher farmer survivor refugee "
        "father mother mr. mrs. ms. sheikh imam dr. volunteer rescuer paramedic medic surgeon "
        "pharmacist lawyer engineer student shopkeeper"
    ),
    "analyst": "analyst researcher expert scholar professor fellow",
}
ROLE_OF_WORD = {word: role for role, words in _ROLE_WORDS.items() for word in _words(words)}
# Nouns that say a person is meant but not which role: "X, a member of the council".
_PERSON_NOUNS = frozenset(
    _words(
        "member man woman son daughter brother sister husband wife terrorist militant jihadist "
        "bomber attacker gunman"
    )
)

_PARTICLE = r"(?:al|el|ad|ash|as|ar|az|bin|ibn|bint|abu|abd|de|van|von|der|di|da|du|la|le)"
# One word of a name: capitalised, inner apostrophes and hyphens ("Abdel-Azim", "O'Brien").
_NAME_WORD = (
    r"[A-Z][a-z\u00e0-\u00ff]+(?:[A-Z][a-z]+)?(?:['\u2019](?!s\b)[A-Za-z]+)?"
    r"(?:-[A-Za-z][a-z\u00e0-\u00ff]+)*"
)
_NAME_PART = rf"(?:{_PARTICLE}[- ])?{_NAME_WORD}"
# Two to four parts; the lowercase particles only inside ("Staffan de Mistura").
_NAME = rf"{_NAME_WORD}(?:[ ]+{_NAME_PART}|-{_PARTICLE}-{_NAME_WORD}){{1,3}}"
# A run of capitalised words a name may be (for matching known names spelt otherwise).
PROPER_NAME = rf"{_NAME_WORD}(?:[ ]+{_NAME_PART}|-{_PARTICLE}-{_NAME_WORD}){{1,5}}"
_ONE_NAME = rf"{_NAME_WORD}(?:-{_PARTICLE}-{_NAME_WORD})?"
_ANY_NAME = rf"(?:{_NAME}|{_ONE_NAME})"

_SPEECH_VERBS = frozenset(
    _words(
        "said says told tells added adds stated noted warned explained wrote writes tweeted "
        "posted insisted claimed confirmed denied announced stressed urged argued recalled "
        "asked replied declared quoted revealed affirmed indicated commented "
        "acknowledged admitted alleged vowed reiterated emphasised emphasized cautioned "
        "predicted estimated"
    )
)

# Verbs that cue a name only after them: '..." reported X' names a reporter, while
# "X reported" is mostly an outlet.
_SPEECH_BEFORE = frozenset(_words("reported reports"))

# Every run of capitalised words a name may be; the cues around each run are then looked
# up in sets, which costs far less than one pattern per cue over the whole text.
# Long enough for a list of names written without commas, which ``_split_list`` cuts up.
# Never from inside a word: "UNs Commission", "al-Foua Mehdi", "pic.twitter.com/xBWg Joyce".
_RUN = re.compile(
    rf"(?<![\w'\u2019-]){_NAME_WORD}(?:[ ]+{_NAME_PART}|-{_PARTICLE}-{_NAME_WORD}){{0,31}}"
)
# A wire story signed at its end, after the last sentence: "... properties. Hazem Sabbagh"
_SIGNED = re.compile(rf"[.!?\"\u201d]\s+({_NAME})\s*$")
# SANA's signatures of two or three writers, with initials and given names alone: "...
# properties. M. Haddad/H. Nasr", "Rima Saleh/ Dima", "R.J/ Ghossoun". Initials alone
# ("R.J") name no one.
_INITIALS = r"(?:[A-Z]\.\s?){1,2}"
_SIGNER = rf"(?:{_INITIALS}(?:{_PARTICLE}-)?{_NAME_WORD}|{_NAME}|{_NAME_WORD}|[A-Z]\.?[A-Z]\.?)"
_SIGNATURE = re.compile(rf"[.!?\"\u201d]\s+({_SIGNER}(?:\s?/\s?{_SIGNER}){{1,2}})\s*$")
_SIGNER_PART = re.compile(_SIGNER)
_ACCORDING = re.compile(r"\baccording\s+to\s+$", re.IGNORECASE)
# Between two names of one list: "X and Y", "X, Y", "X, and Y".
_COORDINATED = re.compile(r",?\s+and\s+|,\s+")
_SPEECH_AFTER = re.compile(r",?\s+(?:has\s+|had\s+|also\s+)?([a-z]+)\b")
# "Rami Abdulrahman, who heads the Syrian Observatory": the head of a monitor monitors.
_HEADS_A_MONITOR = re.compile(
    r",?\s+(?:who\s+(?:heads|runs|directs|founded)|(?:the\s+)?(?:head|director|founder|chief)"
    r"\s+of)\s+(?:the\s+|a\s+)?[^,.;]{0,60}?(?:Observatory|[Mm]onitor|Network for Human Rights"
    r"|Documentation Cent)"
)
# "Karim Haddad, a spokesman for the group", "Lena Marsh, 34, a resident of Douma", and
# where punctuation was stripped "Ayman Hallaq a member of the command", "X - a commander",
# "Wael Farha head of the press office at ...".
_APPOSITION = re.compile(
    r"(?:,\s+(?:\d+,\s+)?|\s+[-\u2013\u2014]\s+(?=[a-z])|\s+(?=(?:a|an|the)\s)"
    r"|\s+(?=(?:head|chief|director|spokesman|spokeswoman|commander|leader|judge|member)"
    r"\s+(?:of|for|at|in)\s))"
    r"((?:[\w'\u2019.-]+[ ]+){0,3}[\w'\u2019.-]+)"
)
# "Osama Nasser, who runs a clinic", "Hamza Bayram, 45,", "X was killed": only people
# are written so (a place is shelled, not killed).
_WHO_OR_AGE = re.compile(
    r",\s+(?:who\b|\d{1,2},)|,?\s+(?:was|had\s+been|has\s+been)\s+(?:killed|wounded|injured"
    r"|arrested|detained|executed|kidnapped|abducted|assassinated|shot|appointed|elected"
    r"|sentenced)\b"
)
# "Nadim Houry of Human Rights Watch said", "Fadi Amin from the Tahrir Brigade told":
# speech after the body a person speaks for.
_SPEECH_AFTER_BODY = re.compile(
    r",?\s+(?:of|from|with|at)\s+(?:the\s+)?(?:[A-Z][\w'\u2019-]*\s+(?:(?:of|for|al|and)\s+)?)"
    r"{0,5}[A-Z][\w'\u2019-]*,?\s+(?:has\s+|had\s+|also\s+)?([a-z]+)\b"
)
# Words before a list of names: "Among the dead were X Y", "including X and Y", "named as".
_LIST_WORDS = frozenset(_words("including namely named"))
_LIST_VERBS = frozenset(_words("were was are included include"))
_LISTED = frozenset(
    _words(
        "killed dead wounded injured victims martyrs arrested detained executed militants "
        "terrorists fighters soldiers members leaders commanders civilians people"
    )
)


def _lists_names(words: list[str]) -> bool:
    last = words[-1].rstrip(":").lower()
    previous = words[-2].lower() if len(words) > 1 else ""
    return (
        last in _LIST_WORDS
        or (last == "as" and previous in ("named", "identified"))
        or (last == "them" and previous == "among")
        or (last in _LIST_VERBS and previous in _LISTED)
    )


# Spelt out word by word rather than "[Rr]eporting" or "(?<=\n)By": a pattern that opens
# with literal words lets the regex engine skip to them, at a third of the cost. "By"
# counts only at the start of a line, after ";" or "(" (``_is_byline``).
_BYLINE = re.compile(
    r"(?:(?:Reporting|reporting|Writing|writing|Editing|editing|Written|written|Reported"
    r"|reported|Photos|photos|Photo|photo)\s+by|By"
    # A page's dateline and byline run into the text: "Posted on April 2 2017 by X"
    r"|Posted\s+on\s+[A-Z][a-z]+\s+\d{1,2},?\s+\d{4}\s+by)"
    rf"\s+({_NAME})(?:\s*(?:,|and|&)\s+({_NAME}))?"
)


def _is_byline(text: str, match: re.Match[str]) -> bool:
    start = match.start()
    return not match.group().startswith("By") or start == 0 or text[start - 1] in "\n;("


# A caption's credit without the agency or its slash: "... underway. Photo Igor Bubin
# Damascus Airport Attack ..." (the name runs into the next headline, ``_credited_name``).
_PHOTO_CREDIT = re.compile(rf"(?:Photo|Photograph|Picture):?\s+({_NAME})")
# A photo credit, the name before the slash: "(Photo: X/AFP)", "X / Getty Images",
# "Photograph: X/Reuters", SANA's signature "X/Y".
_CREDIT = re.compile(rf"(?<![\w'\u2019-])({_NAME})\s?$")
_SLASH = re.compile(r"\s?/\s?(?=[A-Z])")
# The name after the agency: "(REUTERS/X)", "AFP PHOTO / X", "(EPA-EFE/X IN CAPITALS)",
# "\u00a9 Sputnik/ X", and where the slash was stripped "REUTERS X".
_CAPITALS_NAME = r"[A-Z][A-Z'\u2019-]+(?:[ ]+[A-Z][A-Z'\u2019-]+){1,3}\b"
_AGENCY_CREDIT = re.compile(
    r"\b(?:AFP|AP|REUTERS|Reuters|EPA(?:-EFE)?|SANA|Sputnik|SPUTNIK|ANADOLU|Anadolu(?: Agency)?"
    r"|Getty Images|AA|DPA|dpa|Xinhua|XINHUA|ANHA)(?:\s+(?:PHOTO|Photo|Images))?"
    rf"\s?/\s?({_NAME}|{_CAPITALS_NAME})"
    rf"|\b(?:REUTERS|AFP|EPA|SPUTNIK|Sputnik)[ ]({_NAME})"
)
# A tweet quoted with its author: "\u2014 X (@handle) March 3, 2018", "X (handle) July 27 2016",
# and with the month in the page's own language: "X (handle) 1 <month> 2015".
_TWEET_HANDLE = re.compile(
    r"\s*\((?:@\w+|\w+\)\s+(?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December)\b|\w+\)\s+\d{1,2}\s+\S+\s+(?:19|20)\d\d\b)"
)
# The desk after a reporter's name, where punctuation was stripped: "X Amman newsroom".
_DESK = re.compile(r"\s+(?:newsroom|bureau|desk)\b")


def _ends_in_to(before: str) -> bool:
    # Most runs have no "according to" before them: a look at the last letters spares
    # a search of the 60 characters before each.
    return before[-1:].isspace() and before.rstrip()[-2:].lower() == "to"


# A head is the kind of what they head: "Observatory head Rami Abdel Rahman" and "the
# director of the monitoring group" are monitors, "chief of the so-called al-Saeqa Brigade"
# a commander, the head of a press or media office a spokesman; the head of a ministry or a
# council stays an official.
_HEADS = frozenset(_words("head chief director founder leader"))
_MONITOR_WORDS = frozenset(_words("observatory observatorys monitor monitoring sohr snhr"))
_PRESS_WORDS = frozenset(_words("press media information"))
_UNIT_WORDS = frozenset(
    _words("brigade brigades battalion battalions division regiment legion militia faction")
)


def _head_of_what(noun: str, complement: list[str]) -> str | None:
    """The role of ``noun`` (a role word) given the words naming what it heads."""
    if noun not in _HEADS:
        return None
    words = {word.lower().strip(".,;:'\"") for word in complement}
    if words & _MONITOR_WORDS:
        return "monitor"
    if words & _PRESS_WORDS and "office" in words:
        return "spokesman"  # "head of the press office", "director of its media office"
    if words & _UNIT_WORDS:
        return "commander"
    return None


# Words that put a place next: "the rebel stronghold of Urum al-Joz reported", "in Tal Rifaat".
_LOCATIVES = frozenset(_words("in near at into outside towards around"))
_PLACE_OF = frozenset(
    _words(
        "town towns village villages city cities stronghold outskirts district districts "
        "neighbourhood neighborhood province provinces camp suburb suburbs countryside area "
        "region"
    )
)


def _place_before(words: list[str]) -> bool:
    last = words[-1].lower()
    return last in _LOCATIVES or (
        last == "of" and len(words) > 1 and words[-2].lower() in _PLACE_OF
    )


def _cue_role(text: str, start: int, end: int) -> str | None:
    """The role the words around a run give it, "" for a cue without a role (speech),
    None when nothing around it says a person is named. A role beats a bare cue:
    "said Omar Saeed, a spokesman" is a spokesman."""
    before = text[max(0, start - 60) : start]
    cue = False
    words = before.split()
    after_space = bool(words) and before[-1:].isspace()
    if after_space and _place_before(words):
        return None
    if after_space:
        last = words[-1]
        comma = last.endswith(",")
        lowered = last.rstrip(",").lower()
        if lowered in ROLE_OF_WORD and lowered not in ("residents", "officials"):
            return _head_of_what(lowered, words[-4:-1]) or ROLE_OF_WORD[lowered]
        if lowered[-1:] == "s" and lowered[:-1] in ROLE_OF_WORD and lowered != "officials":
            return ROLE_OF_WORD[lowered[:-1]]  # a list: "senior commanders X Y and Z"
        cue = (lowered in _SPEECH_VERBS or lowered in _SPEECH_BEFORE) and not comma
        # The role noun a few words back: "The UN special envoy for Syria, Staffan de
        # Mistura", "Governor of Daraa Marwan Sharbak", and where punctuation was stripped
        # "the permanent representative of Malaysia to the UN Ramlan Ibrahim".
        between: list[str] = []
        for earlier in reversed(words[-9:-1]):
            if earlier.endswith((".", ";", ":")) or earlier.lower() in _SPEECH_VERBS:
                break
            role = ROLE_OF_WORD.get(earlier.lower())
            if role and earlier.lower() not in ("residents", "officials"):
                # Only across the noun's own complement: "envoy for Syria", "governor of".
                if comma or {"of", "for", "to"} & set(between):
                    return _head_of_what(earlier.lower(), [lowered, *between]) or role
                break
            between.append(earlier.lower())
    if _HEADS_A_MONITOR.match(text, end):
        return "monitor"
    apposition = _APPOSITION.match(text, end)
    if apposition is not None:
        nouns = apposition.group(1).lower().split()
        for number, noun in enumerate(nouns):
            noun = noun.rstrip(".,")
            role = ROLE_OF_WORD.get(noun)
            if role:
                # "X, the head of SOHR", "X - chief of the so-called Saeqa Brigade"
                complement = text[apposition.end(1) : apposition.end(1) + 50].split()
                return _head_of_what(noun, nouns[number + 1 :] + complement) or role
            cue = cue or noun in _PERSON_NOUNS
    if cue or (_ends_in_to(before) and _ACCORDING.search(before)):
        return ""
    if _WHO_OR_AGE.match(text, end) or (after_space and _lists_names(words)):
        return ""
    for speech in (_SPEECH_AFTER.match(text, end), _SPEECH_AFTER_BODY.match(text, end)):
        if speech is not None and speech.group(1) in _SPEECH_VERBS:
            return ""
    return None


# Capitalised words that begin sentences or name things, never part of a person's name.
_NOT_NAMES = frozenset(
    _words(
        "The A An In On At By For From Last This That These Those His Her Their Its And But "
        "After Before During Among While When Where Why How What Who Which He She They It We "
        "I You Our My Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February "
        "March April May June July August September October November December Mr Mrs Ms Dr "
        "Today Yesterday Syrian Syrians Russian Turkish Iranian Kurdish Arab American British "
        "French Israeli Iraqi Lebanese Jordanian Saudi Qatari Islamic State Army Forces "
        "Government Regime Rebels Opposition Ministry Council Committee Observatory News "
        "Agency Press Reuters Some Many Most Several Both Each Every Other Another Such "
        "Meanwhile However Also Later Earlier Still Yet Now Then There Here If As So Since "
        "Although Though Once Until Because North South East West Northern Southern Eastern "
        "Western Central Rural Christmas God Allah Facebook Twitter Telegram "
        "YouTube Instagram WhatsApp Photo Picture Image Editing Reporting Writing "
        "Syria Syrias Assads Russias Irans Turkeys Senior English Arabic"
    )
)


_ARTICLES = frozenset(_words("The A An"))
# Words that begin a title after a name where punctuation was stripped: "Kevin Kennedy
# Regional Humanitarian Coordinator", "X Special Envoy", "X Acting Director".
_TITLE_OPENERS = frozenset(
    _words(
        "regional humanitarian special acting assistant executive former permanent "
        "foreign interior prime supreme resident"
    )
)


# A last word that makes the name a place, a group or an outlet ("Saadallah al-Jabiri
# Square", "Hama Brigade", "Levant Wire").
_NOT_LAST = frozenset(
    _words(
        "square street road hospital camp school university mosque church bridge airport "
        "base prison roundabout district quarter neighbourhood neighborhood village town "
        "city province brigade brigades battalion division front army forces force council "
        "committee command room party movement union coalition group organisation "
        "organization network channel wire daily news times post agency tv television "
        "radio press herald gazette monitor observer journal tribune review media online "
        "today weekly magazine centre center institute foundation ministry office department "
        "defense defence interior foreign health standards directorate bulletin rights watch "
        "commission mission "
        "images photos pictures "
        "islamists jihadists militants rebels fighters loyalists kurds alawites sunnis shiites "
        "christians arabs civilians"
    )
)
# A first word that makes the name a group's ("Fawj Shuhada Shahba", "Alwiyat al-Nasr").
_NOT_FIRST = frozenset(
    _words(
        "jaish jaysh jeish liwa liwaa kataib katibat katiba harakat jabhat firqat fawj "
        "alwiyat saraya tajammu tajamu faylaq failaq rabitat majlis quwat hizb tanzim "
        "kafr tal tell deir dayr khirbet khirbat ain ayn jabal jebel qasr beit bayt wadi"
    )
)
_TITLE_LOWER = (
    frozenset(ROLE_OF_WORD)
    | {"secretary-general", "sheikh", "sayyed", "sayyid"}
    | frozenset(_words("archimandrite archbishop bishop patriarch cardinal pope"))
)
# The last word of a body's name, which where punctuation was stripped runs into the name
# of the person who heads it: "the OPCW-UN Joint Mission Sigrid Kaag", "the UN High
# Commissioner for Human Rights Navi Pillay", "President of the Syrian Coalition Anas Alabdah".
_BODY_END = _NOT_LAST | frozenset(_words("mission rights assembly forum"))


@dataclass(frozen=True, slots=True)
class PersonFound:
    name: str  # as written, without a title ("Talal Barazi")
    field: str
    start: int
    end: int
    role: str  # a key of PERSON_ROLES, or "" when the text gives none


_DESCRIBING = frozenset(_words("based led backed run born held controlled allied linked"))


def _is_description(word: str) -> bool:
    """ "Idlib-based", "Kurdish-led": a description before a name, not part of it."""
    head, _, tail = word.rpartition("-")
    return bool(head) and tail in _DESCRIBING


def _cut_after_last(
    words: list[str], vocabulary: frozenset[str], *, keep: int
) -> tuple[str, int, list[str]]:
    """``(the word cut at, characters cut, the words after it)`` for the last word of
    ``vocabulary`` (lowercased) with at least ``keep`` words after it; ``("", 0, words)``
    when there is none."""
    for index in range(len(words) - 1 - keep, -1, -1):
        if words[index].lower() in vocabulary:
            return words[index], sum(len(w) + 1 for w in words[: index + 1]), words[index + 1 :]
    return "", 0, words


def _clean(name: str, start: int) -> tuple[str, int, str] | None:
    """The name without what cannot be part of it, its start, and the title cut off.

    "Interior Minister Suleyman Soylu" is Suleyman Soylu, an official; "Levant Wire" and
    "Hama Brigade" are no one.
    """
    words = name.split(" ")
    offset = start
    # Everything up to the last title word goes ("Homs Governor", "Major General"), then
    # up to the last word ending a body's name, leaving two words at least.
    title, cut, words = _cut_after_last(words, _TITLE_LOWER, keep=1)
    offset += cut
    _, cut, words = _cut_after_last(words, _BODY_END, keep=2)
    offset += cut
    while words and (words[0] in _NOT_NAMES or _is_description(words[0])):
        offset += len(words[0]) + 1
        words.pop(0)
    # Where punctuation is missing ("Sergey Rudskoy Chief of the…", "Kasolowsky Our
    # Standards") the name ends at the first title or non-name word after two words.
    for index in range(1, len(words)):
        if words[index] in _ARTICLES or (
            index >= 2
            and (
                words[index] in _NOT_NAMES
                or words[index].lower() in _TITLE_LOWER
                or words[index].lower() in _TITLE_OPENERS
            )
        ):
            words = words[:index]  # no name goes on past "The" ("Chechen The Pentagon")
            break
    while words and words[-1] in _NOT_NAMES:
        words.pop()
    if not words or words[-1].lower() in _NOT_LAST or words[0].lower() in _NOT_FIRST:
        return None
    return " ".join(words), offset, title


# Given names common in Syria reporting, where a list of names without commas ("Walid
# Khaled al-Jalakh Walid al-Hosni Hassan Ahmad Steif") is cut: a new name begins at one of
# these after a family name with its article or after three words, and "Abu"/"Umm" begin
# a name after three words.
_GIVEN_NAMES = frozenset(
    _words(
        "mohammad mohammed muhammad mohamed mohamad ahmad ahmed ali alaa hassan hasan hussein "
        "husein hussain khaled khalid omar umar othman uthman walid issa isa mahmoud mahmud "
        "mustafa moustafa ibrahim youssef yusuf yousef abdullah abdallah abdul abdel abd samir "
        "sami anas fadi bilal hamza tarek tariq jamal nabil rami maher imad ayman osama usama "
        "hadi firas ziad ziyad riad riyad fares faris nour salim saleh salih said saeed adnan "
        "bassam hisham hesham ammar yasser yasir yassin yasin karim kareem qasim jihad mazen "
        "marwan munir nasser nizar rafiq rashid salah talal wael wassim zaher zuhair jawad "
        "haytham hashem hisham abbas adel yahya suleiman sulaiman salman faisal fahd hamid "
        "hamed majid majed mansour nasr radwan ghassan louay muhannad mohannad muhanad "
        "fatima fatma aisha maryam mariam zainab zeinab hala huda rania rasha lina layla "
        "leila noor nur samar reem amal abdelsalam abdulsalam abdelkader abdulqader abdelaziz "
        "abdulaziz abdelkarim abdulkarim abdelrahman abdulrahman abdelhamid abdulhamid"
    )
)
# A given name alone with the age the text gives and speech: "Ahmed, 24, said", and where
# commas were stripped "Ahmed 24 said".
_GIVEN_WITH_AGE = re.compile(
    r"(?<![\w'\u2019-])([A-Z][a-z]+),?\s+\d{1,2},?\s+(?:also\s+)?([a-z]+)\b"
)

# Titles that name a person by one word after them ("President Assad", "Dr. Darwish",
# "spokesman Ali", "a witness named Ahmad"). Only titles that are no everyday adjective
# ("Major Offensive", "General Command" name no one) nor the head of place names ("the
# Sheikh Saeed district", "the village of Sheikh Mustafa").
_ONE_NAME_TITLES = frozenset(
    _words("president dr dr. doctor mr mr. mrs mrs. ms ms. spokesman spokeswoman named")
)


def _one_name_after_title(text: str, start: int, name: str, title: str) -> str | None:
    """The title word before a one-word name that such a title names alone, or None."""
    if " " in name or name in _NOT_NAMES or name.isupper() or name.lower() in _TITLE_LOWER:
        return None
    word = title.lower()
    if not word and text[start - 1 : start].isspace():
        before = text[max(0, start - 20) : start].split()
        word = before[-1].lower() if before else ""
    if word not in _ONE_NAME_TITLES or name.lower() in _NOT_LAST:
        return None  # "Dr. Hospital" is a place
    return None if _in_headlines(text, start, start + len(name)) else word  # "President Vows"


# What a person's name owns when a site stripped the apostrophe: "Saddam Husseins forces",
# "Maher al-Assads men" (the name is the run less its "s").
_OWNED = re.compile(
    r"\s+(?:forces|regime|government|troops|army|men|fighters|loyalists|supporters|militias?"
    r"|rule|family)\b"
)


# Words that only link the parts of a name: "Omar Haj Kadour", "Mohammed bin Abdullah".
_INNER_PARTS = frozenset(_words("haj hajj abu abdel abdul abd el al bin ibn de"))
_KUNYA = frozenset(_words("abu abo bo umm um"))


def _split_list(words: list[str]) -> list[tuple[int, int]]:
    """(first, last + 1) word indexes of each name in a run that lists several."""
    names: list[tuple[int, int]] = []
    first = 0
    for index in range(1, len(words)):
        size = index - first
        lowered = words[index].lower()
        previous = words[index - 1].lower()
        # "Hisham Zako Marwan Zahira": a given name after a family name begins the next
        # name; "Hassan Ahmad Steif" (a father's given name second) stays one.
        after_family = previous.startswith(("al-", "el-")) or (
            previous not in _GIVEN_NAMES and previous not in _INNER_PARTS
        )
        if (lowered in _GIVEN_NAMES and (size >= 3 or (size >= 2 and after_family))) or (
            lowered in _KUNYA and size >= 3
        ):
            names.append((first, index))
            first = index
    names.append((first, len(words)))
    return names


def _size(words: list[str]) -> int:
    """A name's words less those that only link its parts ("Alaa Al Din Al Hadidi": 3)."""
    return sum(1 for word in words if word.lower() not in _INNER_PARTS)


def _name_before(text: str, end: int) -> re.Match[str] | None:
    """The name that ends at ``end`` (a credit's slash or a tweet's handle)."""
    window = max(0, end - 60)
    return _CREDIT.search(text, window, end)


def _credited_name(run: str) -> str:
    """The photographer's name in "REUTERS Rodi Said Battle for Raqqa ...", where the slash
    was stripped and a headline follows: two words, three when the second only links."""
    words = run.split(" ")
    while len(words) > 2 and (words[0] in _NOT_NAMES or words[0].lower() in _TITLE_LOWER):
        words.pop(0)  # "REUTERS Senior Airman Matthew Bruch"
    size = (
        3
        if len(words) > 2
        and (words[1].lower() in _INNER_PARTS or words[2].lower().startswith(("al-", "el-")))
        else 2
    )
    return " ".join(words[:size])


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _in_headlines(text: str, start: int, end: int) -> bool:
    """Whether the words around ``start:end`` are set in title case: a list of related
    headlines, a headline run into the text."""
    before = _LONG_WORD.findall(text, max(0, start - 60), start)
    after = _LONG_WORD.findall(text, end, end + 60)
    words = before[-4:] + after[:4]
    return len(words) >= 5 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _starts_word(text: str, start: int) -> bool:
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")


def _role_of(word: str) -> str:
    return ROLE_OF_WORD.get(word.lower(), "")


def find_people(fields: dict[str, str]) -> list[PersonFound]:
    """Every person the cues find, with a role where the text gives one.

    Several cues may find the same words; each (field, start) is kept once, with the
    first role found. Names of one word are kept only when a longer name found in the
    article ends with them ("Barazi" after "Talal Barazi").
    """
    found: dict[tuple[str, int], PersonFound] = {}
    singles: list[PersonFound] = []

    def add(field_name: str, name: str, start: int, role: str, *, alone: bool = False) -> None:
        """``alone``: a one-word name is a person on its own (a signature, "Ahmed, 24,")."""
        cleaned = _clean(name, start)
        if cleaned is None:
            return
        name, start, title = cleaned
        # A title in the name says more than an apposition: "Major General X, head of...".
        role = _role_of(title) or role
        person = PersonFound(name, field_name, start, start + len(name), role)
        if not alone and " " not in name and "-" not in name.strip("-"):
            singles.append(person)
            return
        previous = found.get((field_name, start))
        if previous is None or (not previous.role and role):
            found[(field_name, start)] = person

    for field_name, text in fields.items():
        if not text:
            continue
        listed_until = -1  # the end of the last run found, where "and X" / ", X" may follow
        for match in _RUN.finditer(text):
            if match.group() in _NOT_NAMES:
                continue  # "The", "In", "Monday": most one-word runs
            role = _cue_role(text, match.start(), match.end())
            between = text[listed_until : match.start()] if listed_until >= 0 else ""
            if role is None and _COORDINATED.fullmatch(between):
                role = ""  # "Anas Badawi and Maher Suleiman, a teacher": one cue for both
            run = match.group()
            owner = role is None and " " in run and run[-1] == "s" and run[-2:-1] not in "s'"
            if owner and _OWNED.match(text, match.end()):
                add(field_name, run[:-1], match.start(), "")
                continue
            cleaned = _clean(match.group(), match.start())
            if (
                cleaned is not None
                and field_name != "title"
                and (title_word := _one_name_after_title(text, cleaned[1], *cleaned[::2]))
            ):
                add(field_name, cleaned[0], cleaned[1], role or _role_of(title_word), alone=True)
                continue
            if role is None and (
                cleaned is None
                or not cleaned[2]
                or cleaned[0].count(" ") > 4
                or _in_headlines(text, match.start(), match.end())
            ):
                # No cue around the run, and no title inside it; or a title before six
                # words and more, or among headlines ("... Airman Matthew Bruch Coalition
                # Denies", "Related Pope Francis Prays for Peace ...", "as Major Offensive
                # Takes Shape"): a title in a headline names no one by itself.
                continue
            if cleaned is None:
                continue
            name, start, title = cleaned
            words = name.split(" ")
            pieces = _split_list(words) if len(words) > 3 else [(0, len(words))]
            if any(_size(words[first:last]) > 4 for first, last in pieces):
                pieces = [(0, len(words))]  # no list of names: a place list, a headline
            if len(words) >= 2 and words[0][:1].isupper():
                listed_until = match.end()
            if len(pieces) == 1:
                add(field_name, match.group(), match.start(), role or "")
                continue
            offsets = [start]
            for word in words:
                offsets.append(offsets[-1] + len(word) + 1)
            for number, (first, last) in enumerate(pieces):
                piece = " ".join(words[first:last])
                piece_role = (role or _role_of(title)) if number == 0 else ""
                add(field_name, piece, offsets[first], piece_role)
        for match in _BYLINE.finditer(text):
            if not _is_byline(text, match):
                continue
            for group in (1, 2):
                name = match.group(group)
                if name and _DESK.match(text, match.end(group)) and name.count(" ") >= 2:
                    name = name.rsplit(" ", 1)[0]  # "Khaled Yacoub Oweis Amman newsroom"
                elif name and match.group().startswith("Posted"):
                    name = _credited_name(name)  # the page's headline follows the byline
                if name:
                    add(field_name, name, match.start(group), "journalist")
        # Credits are found from their slash or bracket back to the name before it: a
        # search for the name first would try every capitalised word of the text.
        for mark in _SLASH.finditer(text):
            credit = _name_before(text, mark.start())
            if credit is not None:
                add(field_name, credit.group(1), credit.start(1), "journalist")
        for match in _AGENCY_CREDIT.finditer(text):
            if match.group(1):
                add(field_name, match.group(1), match.start(1), "journalist")
            else:
                name = _credited_name(match.group(2))
                add(field_name, name, match.start(2), "journalist")
        for match in _PHOTO_CREDIT.finditer(text):
            if _starts_word(text, match.start()):
                add(field_name, _credited_name(match.group(1)), match.start(1), "journalist")
        for mark in _TWEET_HANDLE.finditer(text):
            credit = _name_before(text, mark.start())
            if credit is not None:
                add(field_name, credit.group(1), credit.start(1), "")
        for match in _GIVEN_WITH_AGE.finditer(text):
            if match.group(1).lower() in _GIVEN_NAMES and match.group(2) in _SPEECH_VERBS:
                add(field_name, match.group(1), match.start(1), "", alone=True)
        tail_start = max(0, len(text) - 80)
        if field_name == "body" and (signed := _SIGNATURE.search(text, tail_start)):
            for part in _SIGNER_PART.finditer(text, signed.start(1), signed.end(1)):
                if any(c.islower() for c in part.group()):  # "R.J" is initials only
                    add(field_name, part.group(), part.start(), "journalist", alone=True)
        elif field_name == "body" and (signed := _SIGNED.search(text, tail_start)):
            add(field_name, signed.group(1), signed.start(1), "journalist")

    people = _drop_inner(list(found.values()))
    surnames: dict[str, PersonFound] = {}
    tails: dict[str, str] = {}  # "Abdel Rahman" -> "Rami Abdel Rahman"
    for person in people:
        words = person.name.split()
        surnames.setdefault(words[-1], person)
        for size in range(2, len(words)):
            tails.setdefault(" ".join(words[-size:]), person.name)
    people = [
        PersonFound(tails[p.name], p.field, p.start, p.end, p.role) if p.name in tails else p
        for p in people
    ]
    for single in singles:
        full = surnames.get(single.name)
        if full is not None and not any(
            p.field == single.field and p.start <= single.start < p.end for p in people
        ):
            people.append(
                PersonFound(full.name, single.field, single.start, single.end, single.role)
            )
    return sorted(people, key=lambda p: (p.field, p.start))


def _drop_inner(people: list[PersonFound]) -> list[PersonFound]:
    """Where two finds overlap, the longer name is the person."""
    people.sort(key=lambda p: (p.field, p.start, -(p.end - p.start)))
    kept: list[PersonFound] = []
    for person in people:
        if kept and kept[-1].field == person.field and person.start < kept[-1].end:
            if not kept[-1].role and person.role:
                kept[-1] = PersonFound(
                    kept[-1].name, kept[-1].field, kept[-1].start, kept[-1].end, person.role
                )
            continue
        kept.append(person)
    return kept

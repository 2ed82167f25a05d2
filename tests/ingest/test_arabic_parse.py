"""Arabic reports parse like English ones: dates in either month names and either digits,
and the dateline ("إدلب - عنب بلدي") opens the body rather than passing for a standfirst."""

import datetime

import pytest

from articles.ingest.parse import parse_date, parse_text


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("١٨ نيسان ٢٠١٦", datetime.date(2016, 4, 18)),
        ("3 تشرين الأول 2015", datetime.date(2015, 10, 3)),
        ("الثلاثاء 5 كانون الثاني، 2021", datetime.date(2021, 1, 5)),
        ("12 مارس/آذار 2019", datetime.date(2019, 3, 12)),
        ("نُشر في 2 ايار 2020", datetime.date(2020, 5, 2)),
        ("20 أغسطس 2013", datetime.date(2013, 8, 20)),
        ("٢٠١٩-٠٥-٢٠", datetime.date(2019, 5, 20)),
    ],
)
def test_arabic_dates_are_read_with_either_month_names_and_either_digits(written, day):
    assert parse_date(written) == day


REPORT = """قصف مدفعي على ريف حلب الشمالي

نُشر في ١٤ شباط ٢٠٢٠

حلب - عنب بلدي

قُتل طفلان وأصيب خمسة مدنيين بقصف مدفعي استهدف مدينة مارع في ريف حلب الشمالي، بحسب الدفاع المدني.

وطالبت منظمات إنسانية بوقف استهداف المدنيين في شمال سوريا، وقالت إن القصف تكرر خلال الأسبوع.
"""


def test_an_arabic_report_has_its_dateline_at_the_head_of_the_body_and_its_date():
    article = parse_text(REPORT)

    assert article.title == "قصف مدفعي على ريف حلب الشمالي"
    assert article.standfirst == ""
    assert article.body.startswith("حلب - عنب بلدي — قُتل طفلان")
    assert article.published == datetime.date(2020, 2, 14)
    assert article.language == "ar"


def test_a_sentence_with_a_colon_is_not_an_arabic_dateline():
    article = parse_text(REPORT.replace("حلب - عنب بلدي", "قال مصدر: الوضع هادئ"))
    assert not article.body.startswith("قال مصدر: الوضع هادئ —")

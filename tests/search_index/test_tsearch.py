"""PostgreSQL's text forms of vectors and queries, read without a database."""

import pytest

from articles.tsearch import (
    And,
    FollowedBy,
    Lexeme,
    Not,
    Or,
    QuerySyntaxError,
    parse_query,
    parse_vector,
    phrase_terms,
)


def test_a_vector_gives_each_lexeme_its_positions_without_weights():
    vector = parse_vector("'akrad':5 'al':4,12A 'al-akrad':3B 'o''brien':2 'back\\\\slash':7 'x'")
    assert vector == {
        "akrad": [5],
        "al": [4, 12],
        "al-akrad": [3],
        "o'brien": [2],
        "back\\slash": [7],
        "x": [],
    }


def test_an_empty_vector_and_an_empty_query():
    assert parse_vector("") == {}
    assert parse_query("") is None


def test_and_binds_tighter_than_or_and_not_tightest():
    assert parse_query("'a' & !'b' | 'c' & 'd'") == Or(
        And(Lexeme("a"), Not(Lexeme("b"))), And(Lexeme("c"), Lexeme("d"))
    )


def test_parentheses_and_phrases():
    assert parse_query("'x' <-> ( 'y' | 'z' ) & !'w'") == And(
        FollowedBy(Lexeme("x"), Or(Lexeme("y"), Lexeme("z"))), Not(Lexeme("w"))
    )
    assert parse_query("'citi' <2> 'aleppo'") == FollowedBy(Lexeme("citi"), Lexeme("aleppo"), 2)


def test_prefix_and_weights_are_kept():
    assert parse_query("'sham':*AB") == Lexeme("sham", prefix=True, weights="AB")
    assert parse_query("'sham':C") == Lexeme("sham", weights="C")


def test_a_phrase_places_each_word_after_the_end_of_what_precedes_it():
    node = parse_query("'al-nusra' <-> 'al' <-> 'nusra' <-> 'front'")
    assert phrase_terms(node) == ([(0, "al-nusra"), (1, "al"), (2, "nusra"), (3, "front")], 3)
    node = parse_query("( 'citi' <2> 'aleppo' ) <-> 'road'")
    assert phrase_terms(node) == ([(0, "citi"), (2, "aleppo"), (3, "road")], 3)


def test_a_phrase_holding_a_choice_is_not_a_plain_sequence():
    assert phrase_terms(parse_query("'x' <-> ( 'y' | 'z' )")) is None
    assert phrase_terms(parse_query("'x' <-> 'y':*")) is None
    assert phrase_terms(parse_query("'x' <0> 'y'")) is None


def test_unreadable_text_is_an_error():
    with pytest.raises(QuerySyntaxError):
        parse_query("'a' &")
    with pytest.raises(QuerySyntaxError):
        parse_query("( 'a'")

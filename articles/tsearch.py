"""PostgreSQL's text forms of full-text search values, read in plain Python.

``search_vector::text`` and ``(tsquery)::text`` are how the search index (``search_index``)
borrows PostgreSQL's own lexemes, positions and query trees, so that it matches exactly what
PostgreSQL matches: the stemming, the stop words and the Arabic folding stay PostgreSQL's.

- A tsvector reads ``'lexeme':1,5A 'x':3``: each lexeme quoted (a quote doubled, a
  backslash escaped), then its positions, each with an optional weight letter (A-C; D is
  written as nothing). A vector stripped of positions lists bare lexemes.
- A tsquery reads ``'a' & ( 'b' | 'c' ) & !'d' & 'e' <-> 'f'``: operands are quoted lexemes
  with an optional ``:`` then ``*`` (prefix) and weight letters; operators bind ``!``
  tightest, then ``<->``/``<N>`` (followed by), then ``&``, then ``|``, all to the left.
  The empty query (only stop words) is the empty string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VECTOR_ENTRY = re.compile(r"'((?:[^'\\]|''|\\.)*)'(?::([0-9A-D,]+))?")
_UNESCAPE = re.compile(r"''|\\(.)")
_QUERY_TOKEN = re.compile(
    r"\s*(?:'(?P<lexeme>(?:[^'\\]|''|\\.)*)'(?::(?P<flags>[*A-D]+))?"
    r"|<(?P<distance>-|\d+)>|(?P<op>[&|!()]))"
)


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(lambda m: "'" if m.group(0) == "''" else m.group(1), text)


def parse_vector(text: str) -> dict[str, list[int]]:
    """``{lexeme: [position, ...]}`` from a tsvector's text (weights dropped: matching by
    position does not use them). A lexeme without positions maps to ``[]``."""
    vector: dict[str, list[int]] = {}
    for match in _VECTOR_ENTRY.finditer(text):
        lexeme, positions = match.groups()
        if "'" in lexeme or "\\" in lexeme:
            lexeme = _unescape(lexeme)
        vector[lexeme] = [int(p.rstrip("ABCD")) for p in positions.split(",")] if positions else []
    return vector


@dataclass(frozen=True)
class Lexeme:
    text: str
    prefix: bool = False
    weights: str = ""  # the weight letters the lexeme must have, "" for any


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    left: Node
    right: Node


@dataclass(frozen=True)
class Or:
    left: Node
    right: Node


@dataclass(frozen=True)
class FollowedBy:
    """``left <distance> right``: right begins ``distance`` positions after left ends."""

    left: Node
    right: Node
    distance: int = 1


Node = Lexeme | Not | And | Or | FollowedBy


class QuerySyntaxError(ValueError):
    pass


def parse_query(text: str) -> Node | None:
    """The tree of a tsquery's text; None for the empty query (which matches nothing)."""
    tokens = _tokens(text)
    if not tokens:
        return None
    parser = _Parser(tokens)
    node = parser.or_()
    if parser.at < len(tokens):
        raise QuerySyntaxError(f"unexpected {tokens[parser.at]!r} in {text!r}")
    return node


def _tokens(text: str) -> list[tuple[str, object]]:
    tokens, at = [], 0
    text = text.rstrip()
    while at < len(text):
        match = _QUERY_TOKEN.match(text, at)
        if not match:
            raise QuerySyntaxError(f"cannot read {text[at:]!r}")
        at = match.end()
        if match.group("lexeme") is not None:
            flags = match.group("flags") or ""
            tokens.append(
                (
                    "lexeme",
                    Lexeme(
                        _unescape(match.group("lexeme")),
                        prefix="*" in flags,
                        weights="".join(sorted(set(flags) - {"*"})),
                    ),
                )
            )
        elif (distance := match.group("distance")) is not None:
            tokens.append(("followed", 1 if distance == "-" else int(distance)))
        else:
            tokens.append((match.group("op"), None))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, object]]) -> None:
        self.tokens = tokens
        self.at = 0

    def _peek(self) -> str | None:
        return self.tokens[self.at][0] if self.at < len(self.tokens) else None

    def or_(self) -> Node:
        node = self.and_()
        while self._peek() == "|":
            self.at += 1
            node = Or(node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.followed()
        while self._peek() == "&":
            self.at += 1
            node = And(node, self.followed())
        return node

    def followed(self) -> Node:
        node = self.unary()
        while self._peek() == "followed":
            distance = self.tokens[self.at][1]
            self.at += 1
            node = FollowedBy(node, self.unary(), distance)
        return node

    def unary(self) -> Node:
        kind = self._peek()
        if kind == "!":
            self.at += 1
            return Not(self.unary())
        if kind == "(":
            self.at += 1
            node = self.or_()
            if self._peek() != ")":
                raise QuerySyntaxError("unclosed parenthesis")
            self.at += 1
            return node
        if kind == "lexeme":
            node = self.tokens[self.at][1]
            self.at += 1
            return node
        raise QuerySyntaxError(f"expected an operand, found {kind!r}")


def phrase_terms(node: FollowedBy) -> tuple[list[tuple[int, str]], int] | None:
    """A phrase as ``([(offset, lexeme), ...], width)``: each lexeme at its offset from the
    first, as PostgreSQL places ``a <N> b`` (b starts N positions after a ends). None when
    the phrase holds something other than plain lexemes (an OR, a NOT, a prefix or a
    weight), or two lexemes at one offset: PostgreSQL's phrase semantics for those are not
    a plain sequence of words."""
    return _linear(node)


def _linear(node: Node) -> tuple[list[tuple[int, str]], int] | None:
    if isinstance(node, Lexeme):
        if node.prefix or node.weights:
            return None
        return [(0, node.text)], 0
    if not isinstance(node, FollowedBy):
        return None
    left, right = _linear(node.left), _linear(node.right)
    if left is None or right is None:
        return None
    (left_terms, left_width), (right_terms, right_width) = left, right
    shift = left_width + node.distance
    terms = left_terms + [(offset + shift, lexeme) for offset, lexeme in right_terms]
    if len({offset for offset, _ in terms}) < len(terms):
        return None
    return terms, shift + right_width

"""Checks that a rendered page carries no markup an article could have smuggled in."""

from __future__ import annotations

from bs4 import BeautifulSoup

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster"}
ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
# Elements no page of ours renders from data; the admin's own icons are <img src="/static/...">.
FORBIDDEN_ELEMENTS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}


def active_markup(html: str) -> list[str]:
    """Every element or attribute in ``html`` that could run script, as readable strings."""
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                problems.append(f"<{tag.name} {name}={text!r}>")
            compact = "".join(text.split()).lower()
            if name.lower() in URL_ATTRIBUTES and compact.startswith(ACTIVE_SCHEMES):
                problems.append(f"<{tag.name} {name}={text!r}>")
        if tag.name in FORBIDDEN_ELEMENTS:
            problems.append(f"<{tag.name}>")
        if tag.name == "script":
            # Our own scripts are same-origin files (/static/, the admin's /admin/jsi18n/),
            # or JSON data the admin reads.
            src = tag.get("src") or ""
            is_file = (
                src.startswith("/") and not src.startswith("//") and not (tag.string or "").strip()
            )
            is_data = tag.get("type") == "application/json"
            if not (is_file or is_data):
                problems.append(f"<script>{(tag.string or '')[:60]}</script>")
        if tag.name == "img" and not (tag.get("src") or "").startswith("/static/"):
            problems.append(f"<img src={tag.get('src')!r}>")
        if tag.name == "meta" and (tag.get("http-equiv") or "").lower() == "refresh":
            problems.append("<meta http-equiv=refresh>")
    return problems


def snippet_markup(html: str) -> list[str]:
    """The tags inside search snippets other than a bare <mark>."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for snippet in soup.select(".result__snippet"):
        for tag in snippet.find_all(True):
            if tag.name != "mark" or tag.attrs:
                found.append(str(tag)[:80])
    return found


def marks(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [mark.get_text() for mark in soup.select(".result__snippet mark")]


def visible_text(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text(" ")

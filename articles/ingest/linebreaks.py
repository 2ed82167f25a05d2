"""One line-break convention for every stored text: LF.

Browsers submit textareas with CRLF, Windows files have CRLF and old Mac files CR. Mention
offsets count characters, so a body whose breaks change under them shifts every highlight
after the first break; every input path (parse, the admin forms) stores LF only, and the
database refuses a CR in an article's text.
"""


def normalise_line_breaks(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")

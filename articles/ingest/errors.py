class IngestError(Exception):
    """An input that cannot become an article; the message is one line for the user."""


class FetchError(IngestError):
    pass


class ParseError(IngestError):
    pass

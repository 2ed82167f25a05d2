"""Ingestion: ``fetch -> parse -> tag -> save``.

Every stage but ``save`` is plain Python with no Django import, and hands the next
stage a dataclass: ``FetchedDocument`` -> ``ParsedArticle`` -> ``TaggedArticle``.
"""

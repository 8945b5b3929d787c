"""Clean stage: boilerplate out, text normalised, sentences found, stable id given."""

from borderwatch.clean.document import make_document, read_documents

__all__ = ["make_document", "read_documents"]

"""Readers for web pages, PDF and Word files; importing this package registers them.

Each submodule registers its reader with :func:`govreport.read.register_reader`:

- :mod:`.html` — ``.html``, ``.htm``, ``.xhtml``, ``.shtml`` (and HTML saved as ``.txt``)
- :mod:`.pdf` — ``.pdf``
- :mod:`.docx` — ``.docx`` (``.doc`` is refused with a hint)
- :mod:`.jsonl` — ``.jsonl``, ``.ndjson`` and ``.json`` (report records)

Reading never writes anything: readers get the file's bytes and return text.
"""

from . import docx, html, jsonl, pdf  # noqa: F401

__all__ = ["docx", "html", "jsonl", "pdf"]

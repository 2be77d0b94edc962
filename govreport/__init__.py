"""govreport: Chinese government work reports (政府工作报告) as tidy pandas tables.

The pipeline, one module per step::

    read → normalize → split → metadata → sections → indicators → panel / text measures → plot / export

>>> import govreport
>>> corpus = govreport.read("data/raw")          # doctest: +SKIP
>>> corpus.reports, corpus.indicators            # doctest: +SKIP
"""

from __future__ import annotations

import sys as _sys
from importlib import import_module as _import_module
from types import ModuleType as _ModuleType

# Functions named like their module are bound eagerly: importing the submodule later must not
# replace ``govreport.panel`` (the function) with ``govreport.panel`` (the module).
from .attention import attention
from .corpus import Corpus, Document, read, read_text
from .export import export
from .normalize import normalize, normalize_text
from .panel import panel
from .tokens import tokens

__version__ = "0.1.0"

# Public names that live in modules imported on first use (keeps `import govreport` fast).
_LAZY = {
    "extract_indicators": "indicators",
    "standardize_units": "indicators",
    "indicator_lexicon": "lexicon",
    "add_indicators": "lexicon",
    "compare": "panel",
    "region_history": "panel",
    "term_frequency": "attention",
    "distinctive_terms": "attention",
    "sectors": "attention",
    "load_dictionaries": "attention",
    "build": "build",
    "kwic": "textdata",
    "dtm": "textdata",
    "columns": "datadict",
    "open": "store",
    "read_frame": "records",
    "show": "evidence",
}

__all__ = ["Corpus", "Document", "read", "read_text", "normalize", "normalize_text", "tokens",
           "attention", "panel", "export", "plot", *_LAZY]


def __getattr__(name: str):
    if name == "plot":
        return _import_module(".plot", __name__)
    if name in _LAZY:
        obj = getattr(_import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = obj  # later lookups find the function, not a submodule of that name
        return obj
    raise AttributeError(f"module 'govreport' has no attribute {name!r}")


class _Package(_ModuleType):
    """The package: importing a submodule named like a public function (``govreport.build``)
    must not replace the function with the module."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, _ModuleType) and _LAZY.get(name) == name and callable(getattr(value, name, None)):
            value = getattr(value, name)
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package


def __dir__() -> list[str]:
    """The public names only (tab completion shows these, not imports or submodules)."""
    return sorted([*__all__, "__version__"])

"""Discovery (issue 14, item 9): tab completion shows the public API, help() documents it."""

from __future__ import annotations

import inspect
import subprocess
import sys

import govreport

PUBLIC_FUNCTIONS = [
    "read", "read_text", "normalize", "normalize_text", "tokens", "attention", "panel", "export",
    "extract_indicators", "standardize_units", "indicator_lexicon", "add_indicators", "compare",
    "region_history", "term_frequency", "distinctive_terms", "sectors", "load_dictionaries",
    "build", "open", "kwic", "dtm", "columns",
]
PLOT_FUNCTIONS = ["targets_vs_outcomes", "targets_by_region", "indicator_over_time", "attention_heatmap", "save"]


def test_dir_shows_the_api_and_hides_internals():
    names = dir(govreport)
    for name in ("compare", "region_history", "standardize_units", "load_dictionaries",
                 "add_indicators", "plot", "kwic", "dtm", "columns", "read", "panel"):
        assert name in names, name
    for hidden in ("Any", "annotations", "import_module", "_import_module", "atomic", "corpus",
                   "normalize_text_", "enrich"):
        assert hidden not in names, hidden
    assert set(govreport.__all__) <= set(names)
    # every name listed is really there
    for name in govreport.__all__:
        assert getattr(govreport, name) is not None


def test_dir_hides_submodules_even_after_they_are_imported():
    code = ("import govreport, govreport.atomic, govreport.enrich, govreport.corpus; "
            "d = dir(govreport); assert 'atomic' not in d and 'enrich' not in d, d; "
            "assert 'compare' in d")
    subprocess.run([sys.executable, "-c", code], check=True)


def _documented(func) -> list[str]:
    """What a function's help() lacks: parameters it does not name, an example."""
    doc = inspect.getdoc(func) or ""
    missing = []
    for p in inspect.signature(func).parameters.values():
        if p.name in ("self", "args", "kwargs") or p.kind is p.VAR_POSITIONAL:
            continue
        name = p.name if p.kind is not p.VAR_KEYWORD else "**" + p.name
        if p.name not in doc:
            missing.append(f"parameter {name}")
    if ">>>" not in doc and "Example" not in doc:
        missing.append("an example")
    if len(doc.splitlines()) < 4:
        missing.append("more than a line or two")
    return missing


def test_every_public_function_documents_its_parameters_and_an_example():
    import govreport.plot as plot

    lacking = {}
    for name in PUBLIC_FUNCTIONS:
        miss = _documented(getattr(govreport, name))
        if miss:
            lacking[name] = miss
    for name in PLOT_FUNCTIONS:
        miss = _documented(getattr(plot, name))
        if miss:
            lacking[f"plot.{name}"] = miss
    assert not lacking, lacking


def test_help_of_read_describes_formats_and_errors():
    doc = inspect.getdoc(govreport.read)
    for word in ("PDF", ".docx", "CSV", "GB18030", "errors", "FileNotFoundError", "jobs", "max_bytes"):
        assert word in doc, word


def test_a_submodule_import_leaves_the_function_in_place():
    code = ("import sys, govreport.build, govreport.datadict, govreport; b = sys.modules['govreport.build']; "
            "assert callable(govreport.build) and govreport.build is b.build, govreport.build; "
            "assert callable(govreport.columns)")
    subprocess.run([sys.executable, "-c", code], check=True)

"""Versions of govreport's dependencies, for the build manifest (reproducing a build later)."""

from __future__ import annotations

import re
from importlib import metadata

__all__ = ["dependency_versions"]


def dependency_versions() -> dict[str, str]:
    """Installed version of every requirement of the installed govreport distribution.

    >>> v = dependency_versions()
    >>> {"pandas", "numpy", "scipy"} <= set(v) and all(v.values())
    True
    """
    try:
        requires = metadata.requires("govreport") or []
    except metadata.PackageNotFoundError:
        return {}
    out: dict[str, str] = {}
    for req in requires:
        if "extra ==" in req:
            continue
        name = re.split(r"[\s<>=!~;\[]", req, maxsplit=1)[0]
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = ""
    return dict(sorted(out.items()))

"""Set-up files stay in step: environment.yml lists every dependency of pyproject.toml."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _names(specs):
    return {re.split(r"[<>=!~\[ ]", s, maxsplit=1)[0].lower().replace("_", "-") for s in specs}


def test_environment_yml_has_every_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = _names(project["dependencies"]) | _names(project["optional-dependencies"]["test"])
    wanted |= _names(project["optional-dependencies"]["notebooks"])
    env = (ROOT / "environment.yml").read_text(encoding="utf-8")
    listed = {m.lower() for m in re.findall(r"^\s*-\s*([A-Za-z0-9_.-]+)", env, flags=re.M)}
    missing = wanted - listed
    assert not missing, f"environment.yml lacks {sorted(missing)}"


def test_raw_seeds_are_byte_identical_to_shared():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.exists():
        import pytest

        pytest.skip("../shared/seeds is not beside the repository")
    for f in shared.iterdir():
        assert (ROOT / "data" / "raw" / f.name).read_bytes() == f.read_bytes(), f.name


def test_jupyterlab_is_not_in_what_ci_installs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "jupyterlab" not in _names(project["dependencies"]) | _names(project["optional-dependencies"]["test"])

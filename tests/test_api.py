"""The public API: functions stay functions even when their submodule is imported by name."""

import importlib
import subprocess
import sys


def test_names_shared_with_submodules_stay_callable():
    import govreport
    import govreport.attention
    import govreport.export
    import govreport.panel
    import govreport.tokens  # noqa: F401

    for name in ("panel", "export", "tokens", "attention"):
        assert callable(getattr(govreport, name)), name
        assert getattr(govreport, name) is getattr(importlib.import_module(f"govreport.{name}"), name)


def test_import_in_a_fresh_interpreter_and_submodule_first():
    code = ("import govreport.panel, govreport.export; import govreport; "
            "assert callable(govreport.panel) and callable(govreport.export); "
            "import govreport.plot as p; assert callable(p.targets_by_region)")
    subprocess.run([sys.executable, "-c", code], check=True)

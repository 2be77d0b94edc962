"""Regenerate the README's column tables from govreport/data/columns.csv.

    python scripts/columns_table.py          # rewrites README.md between the markers
    python scripts/columns_table.py --check  # exit 1 if README.md is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

from govreport.datadict import columns, markdown_table

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- columns:start -->", "<!-- columns:end -->"


def block() -> str:
    parts = [START, "", "Generated from `govreport.columns()` (`govreport/data/columns.csv`); "
             "do not edit by hand: run `python scripts/columns_table.py`.", ""]
    for table in dict.fromkeys(columns()["table"]):
        parts += ["<details><summary><b>" + table + "</b></summary>", "", markdown_table(table), "",
                  "</details>", ""]
    parts.append(END)
    return "\n".join(parts)


def updated(text: str) -> str:
    if START not in text or END not in text:
        raise SystemExit(f"{README}: markers {START} … {END} not found")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + block() + tail


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    new = updated(text)
    if "--check" in argv:
        if new != text:
            print("README.md column tables are out of date: run python scripts/columns_table.py")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Write govreport/data/nesting_words.txt: the words of jieba's dictionary that contain a term
of the packaged attention dictionaries without being one (the nesting rule of
govreport/tokens.py), so a tokenizer need not scan the 350,000 words at start-up.

Run after changing a dictionary or jieba: ``python scripts/nesting_words.py``.
tests/test_tokens.py fails while the file is stale; a stale file is never used (the tokenizer
then computes the list itself).
"""

from __future__ import annotations

import sys
from pathlib import Path

from govreport.tokens import NESTING_WORDS_FILE, _dictionary_terms, _nesting_words_file_text


def main() -> int:
    out = Path(__file__).resolve().parents[1] / "govreport" / "data" / NESTING_WORDS_FILE
    text = _nesting_words_file_text(_dictionary_terms())
    if out.exists() and out.read_text(encoding="utf-8") == text:
        print(f"{out} is up to date")
        return 0
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({text.count(chr(10)) } lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Re-verify govreport's policy lexicon, stopword list and policy-area dictionaries.

Checks
------
* ``govreport/data/policy_lexicon.txt``: header comments present, every data line is
  ``term<TAB>freq<TAB>tag``, terms sorted and unique, at least ``MIN_TERMS`` terms, and
  how many terms jieba's *default* dictionary splits (``jieba.lcut(term, HMM=False)``).
* ``govreport/data/stopwords.txt``: header present, no duplicates, no overlap with the lexicon.
* ``govreport/data/dictionaries/*.txt``: header keys (area, label_zh, label_en, source,
  version), ``area`` equals the file name, 40-150 unique terms, cross-area duplicates,
  the 15 core environment terms of Chen & Chen (2018), and whether each multi-character
  term survives tokenisation once the lexicon is loaded.

Usage::

    python scripts/check_lexicon.py            # exit status 1 if any check fails
    python scripts/check_lexicon.py --verbose  # also list the terms jieba keeps whole
"""

from __future__ import annotations

import argparse
import collections
import logging
import sys
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "govreport" / "data"
LEXICON = DATA / "policy_lexicon.txt"
STOPWORDS = DATA / "stopwords.txt"
DICT_DIR = DATA / "dictionaries"

MIN_TERMS = 500
AREA_MIN, AREA_MAX = 40, 150
REQUIRED_KEYS = ("area", "label_zh", "label_en", "source", "version")
LEXICON_HEADER_WORDS = ("source", "version", "date", "licence")
# 陈诗一、陈登科 (2018), 《经济研究》: the environment word list used in the literature.
CHEN_CHEN_2018 = [
    "环境保护",
    "环保",
    "污染",
    "能耗",
    "减排",
    "排污",
    "生态",
    "绿色",
    "低碳",
    "空气",
    "化学需氧量",
    "二氧化硫",
    "二氧化碳",
    "PM10",
    "PM2.5",
]


class Report:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def fail(self, msg: str) -> None:
        self.failures.append(msg)
        print(f"  FAIL: {msg}")

    def ok(self, msg: str) -> None:
        print(f"  ok:   {msg}")


def read_lines(path: Path) -> tuple[list[str], list[str]]:
    """Return (comment lines, non-empty data lines) of a UTF-8 text file."""
    comments, data = [], []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        (comments if line.startswith("#") else data).append(line)
    return comments, data


def check_lexicon(rep: Report, verbose: bool) -> list[str]:
    print(f"\n[lexicon] {LEXICON.relative_to(ROOT)}")
    comments, data = read_lines(LEXICON)
    header = " ".join(comments).lower()
    for word in LEXICON_HEADER_WORDS:
        if f"{word}:" not in header:
            rep.fail(f"header has no '{word}:' line")
    terms = []
    for n, line in enumerate(data, 1):
        parts = line.split("\t")
        if len(parts) != 3 or not parts[1].isdigit() or parts[2] != "n" or not parts[0]:
            rep.fail(f"data line {n} is not term<TAB>freq<TAB>n: {line!r}")
            continue
        terms.append(parts[0])
    if len(terms) != len(set(terms)):
        dups = [t for t, c in collections.Counter(terms).items() if c > 1]
        rep.fail(f"{len(dups)} duplicated terms, e.g. {dups[:5]}")
    if terms != sorted(terms):
        rep.fail("terms are not sorted")
    if len(terms) < MIN_TERMS:
        rep.fail(f"only {len(terms)} terms (< {MIN_TERMS})")
    else:
        rep.ok(f"{len(terms)} terms (>= {MIN_TERMS}), sorted, unique, well-formed")

    # Verification against jieba's default dictionary (no user dictionary loaded here).
    whole = [t for t in terms if len(jieba.lcut(t, HMM=False)) == 1]
    n_split = len(terms) - len(whole)
    print(
        f"  jieba {jieba.__version__} default dictionary splits {n_split} of {len(terms)} terms; "
        f"keeps {len(whole)} whole (canonical terms kept deliberately): {'、'.join(whole)}"
    )
    if verbose:
        for t in terms[:20]:
            print(f"    {t}: {jieba.lcut(t, HMM=False)}")
    return terms


def check_stopwords(rep: Report, lexicon: list[str]) -> None:
    print(f"\n[stopwords] {STOPWORDS.relative_to(ROOT)}")
    comments, words = read_lines(STOPWORDS)
    header = " ".join(comments).lower()
    for word in ("source", "version", "licence"):
        if f"{word}:" not in header:
            rep.fail(f"header has no '{word}:' line")
    if len(words) != len(set(words)):
        rep.fail("duplicated stopwords")
    clash = sorted(set(words) & set(lexicon))
    if clash:
        rep.fail(f"stopwords that are lexicon terms: {clash}")
    rep.ok(f"{len(words)} stopwords, no overlap with the lexicon")


def parse_dictionary(path: Path) -> tuple[dict[str, str], list[str], list[str]]:
    """Return (header fields, all terms, core terms before '# extended:')."""
    fields: dict[str, str] = {}
    terms: list[str] = []
    core: list[str] = []
    extended = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            body = line.lstrip("#").strip()
            key, sep, value = body.partition(":")
            if sep and key.strip() in REQUIRED_KEYS and key.strip() not in fields:
                fields[key.strip()] = value.strip()
            if body.startswith("extended:"):
                extended = True
            continue
        terms.append(line)
        if not extended:
            core.append(line)
    return fields, terms, core


def check_dictionaries(rep: Report, lexicon: list[str]) -> None:
    print(f"\n[dictionaries] {DICT_DIR.relative_to(ROOT)}")
    tok = jieba.Tokenizer()
    for t in lexicon:
        tok.add_word(t, 100000, "n")
    owners: dict[str, list[str]] = collections.defaultdict(list)
    rows = []
    for path in sorted(DICT_DIR.glob("*.txt")):
        fields, terms, core = parse_dictionary(path)
        missing = [k for k in REQUIRED_KEYS if k not in fields]
        if missing:
            rep.fail(f"{path.name}: header lacks {missing}")
        if fields.get("area") != path.stem:
            rep.fail(f"{path.name}: '# area: {fields.get('area')}' does not match the file name")
        if len(terms) != len(set(terms)):
            rep.fail(f"{path.name}: duplicated terms")
        if not AREA_MIN <= len(set(terms)) <= AREA_MAX:
            rep.fail(f"{path.name}: {len(set(terms))} terms, expected {AREA_MIN}-{AREA_MAX}")
        if path.stem == "environment" and core != CHEN_CHEN_2018:
            rep.fail("environment.txt: core block differs from Chen & Chen (2018)")
        for t in set(terms):
            owners[t].append(path.stem)
        broken = [t for t in terms if len(tok.lcut(t, HMM=False)) > 1]
        rows.append((path.stem, fields.get("label_zh", "?"), len(terms), broken))
    print(f"  {'area':<24}{'terms':>6}  {'split*':>6}  label_zh")
    for key, label, n, broken in rows:
        print(f"  {key:<24}{n:>6}  {len(broken):>6}  {label}  {'、'.join(broken)}")
    print("  * terms still split by jieba after the lexicon is loaded (should be 0)")
    print(f"  total {sum(r[2] for r in rows)} terms in {len(rows)} areas")
    shared = {t: a for t, a in owners.items() if len(a) > 1}
    if shared:
        print(f"  note: {len(shared)} terms in more than one area: {shared}")
    else:
        rep.ok("no term appears in more than one area")
    if not rows:
        rep.fail("no dictionary files found")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="show sample segmentations")
    args = parser.parse_args(argv)
    jieba.setLogLevel(logging.WARNING)
    rep = Report()
    lexicon = check_lexicon(rep, args.verbose)
    check_stopwords(rep, lexicon)
    check_dictionaries(rep, lexicon)
    print()
    if rep.failures:
        print(f"{len(rep.failures)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

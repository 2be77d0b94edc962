"""Command line: ``govreport build [PATH ...] [--out DIR] [--jobs N] [--engine local|dask] …``,
and ``govreport evidence OUT [SOURCE ...]`` (the evidence pages of a finished build).

Exit codes (also in ``govreport build --help``):

- 0 — every input file gave at least one report;
- 1 — nothing could be read: no report at all (``errors.csv`` says why);
- 2 — usage: a bad option, a path that does not exist, no paths outside a project (a directory
  with ``data/raw``), an output that cannot be written;
- 3 — some files could not be read: the tables hold the others, ``errors.csv`` names the failures.
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_OK, EXIT_NOTHING_READ, EXIT_USAGE, EXIT_SOME_FAILED = 0, 1, 2, 3
_EPILOG = ("exit codes: 0 every file read; 1 nothing could be read; 2 usage error (bad option, "
           "missing path, no data/raw here, output not writable); 3 some files could not be read "
           "(see OUT/errors.csv)")
#: Stages whose error rows mean a file gave no report (later stages only lose a table).
_READ_STAGES = ("read", "normalize", "split", "timeout")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="govreport", description="Chinese government work reports as tidy tables.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="read raw reports and write tables and charts", epilog=_EPILOG)
    b.add_argument("paths", nargs="*", default=None,
                   help="files or directories, or fsspec URLs (default: data/raw, in a project that has it)")
    b.add_argument("--out", default="data/processed", help="output directory or fsspec URL (default: data/processed)")
    b.add_argument("--quiet", action="store_true", help="no progress bar or log")
    b.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores; 1: this process)")
    b.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local processes, or a dask.distributed cluster (default: local)")
    b.add_argument("--scheduler", default=None,
                   help="with --engine dask: the scheduler's address (default: a LocalCluster of --jobs workers)")
    b.add_argument("--no-cache", action="store_true", help="process every file again (ignore the per-file cache)")
    b.add_argument("--no-figures", action="store_true", help="tables only")
    b.add_argument("--time-limit", type=float, default=None,
                   help="seconds one file may take before it is recorded as an error (default: 300; 0: no limit)")
    b.add_argument("--docs-figures", default=None, help="also copy the README charts to this directory")
    pages = b.add_mutually_exclusive_group()
    pages.add_argument("--evidence", dest="evidence", action="store_const", const=True, default=None,
                       help="write the evidence pages (OUT/evidence) whatever the corpus's size (default: "
                            "when it has at most 1000 reports; `govreport evidence OUT` writes them later)")
    pages.add_argument("--no-evidence", dest="evidence", action="store_const", const=False,
                       help="no evidence pages (OUT/evidence)")
    b.add_argument("--csv", choices=["auto", "plain", "gz", "none"], default="auto",
                   help="CSV copies of the tables: NAME.csv (plain), NAME.csv.gz (gz) or none (Parquet "
                        "only); default auto: plain for at most 1000 input files, else gz")
    e = sub.add_parser("evidence", help="write the evidence pages of a finished build (all, or some reports)")
    e.add_argument("out", help="the build's output directory")
    e.add_argument("sources", nargs="*", help="the reports' source names (default: every report)")
    e.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    b.add_argument("--corrections", default="auto",
                   help="corrections.csv to apply (default: the one beside the raw data, if any)")
    args, extra = parser.parse_known_args(argv)
    if args.command == "evidence":
        return _evidence(e, args, extra)
    if args.command == "build":
        if extra:  # the sub-command's usage, not the top-level one
            _usage_error(b, f"unrecognized arguments: {' '.join(extra)}")
            return EXIT_USAGE
        if args.scheduler and args.engine != "dask":
            _usage_error(b, "--scheduler needs --engine dask")
            return EXIT_USAGE
        if not args.paths:
            if not os.path.isdir("data/raw"):
                _usage_error(b, "no paths given and no data/raw here: pass the files or directories "
                                "to read, or run it in a project that has data/raw")
                return EXIT_USAGE
            args.paths = ["data/raw"]
        from .build import build
        from .guard import OutputError

        try:
            built = build(args.paths, args.out, jobs=args.jobs, quiet=args.quiet, figures=not args.no_figures,
                          docs_figures=args.docs_figures, engine=args.engine, scheduler=args.scheduler,
                          cache=not args.no_cache, evidence=args.evidence,
                          corrections=args.corrections, csv=args.csv,
                          **({"time_limit": args.time_limit or None} if args.time_limit is not None else {}))
        except FileNotFoundError as err:
            _usage_error(b, str(err))
            return EXIT_USAGE
        except OutputError as err:  # refused before anything was read or written
            print(f"govreport: {err}", file=sys.stderr)
            return 2
        except OSError as err:
            print(f"govreport: cannot write to {args.out}: {err}", file=sys.stderr)
            return 2
        except RuntimeError as err:
            print(f"govreport: {err}", file=sys.stderr)
            return 2
        if len(built) == 0:
            print("govreport: no report could be read; errors written to "
                  f"{_errors_file(built, args.out)}", file=sys.stderr)
            return EXIT_NOTHING_READ
        failed = _failed_files(built)
        if failed:
            listed = ", ".join(failed[:5]) + (f" and {len(failed) - 5} more" if len(failed) > 5 else "")
            print(f"govreport: {len(failed)} file(s) could not be read ({listed}); the tables hold the "
                  f"others; see {_errors_file(built, args.out)}", file=sys.stderr)
            return EXIT_SOME_FAILED
    return EXIT_OK


def run() -> None:
    """The ``govreport`` command: :func:`main`, then exit without Python's teardown.

    Everything is written and closed when :func:`main` returns; tearing down pandas,
    pyarrow and matplotlib would take the command another 0.1–0.3 s for nothing. An
    exception (argparse's ``--help`` and usage errors among them) exits the usual way.
    """
    code = main()
    if "logging" in sys.modules:
        import logging

        logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more to say
            pass
    os._exit(code)


def _evidence(parser: argparse.ArgumentParser, args: argparse.Namespace, extra: list[str]) -> int:
    """``govreport evidence OUT [SOURCE ...]``: pages of a finished build."""
    if extra:
        _usage_error(parser, f"unrecognized arguments: {' '.join(extra)}")
        return EXIT_USAGE
    from .evidence import write_built

    try:
        paths, errors = write_built(args.out, args.sources, jobs=args.jobs or os.cpu_count() or 1,
                                    log=lambda m: print(m, file=sys.stderr))
    except FileNotFoundError as err:
        _usage_error(parser, str(err))
        return EXIT_USAGE
    except KeyError as err:
        _usage_error(parser, str(err.args[0]))
        return EXIT_USAGE
    print(f"{len(paths) - 1} evidence pages and the index -> {os.path.join(args.out, 'evidence')}", file=sys.stderr)
    return EXIT_SOME_FAILED if errors else EXIT_OK


def _errors_file(built, out: str) -> str:
    """Where a build's error rows are for people: ``errors.csv``, ``errors.csv.gz`` or ``errors/``."""
    from .store import readable_copy

    return readable_copy(out, "errors", built.manifest.get("parameters", {}).get("csv"))


def _usage_error(parser: argparse.ArgumentParser, message: str) -> None:
    """The sub-command's usage line and the message, on stderr (argparse's style)."""
    parser.print_usage(sys.stderr)
    print(f"{parser.prog}: error: {message}", file=sys.stderr)


def _failed_files(built) -> list[str]:
    """Inputs that gave no report: sources of read-stage error rows without a report."""
    try:
        errors = built["errors"]
    except Exception:  # noqa: BLE001 - an unreadable table is not a read failure
        return []
    if errors is None or len(errors) == 0:
        return []
    errors = errors[errors["stage"].isin(_READ_STAGES)]
    errors = errors[~errors["message"].astype(str).str.contains(": warning:", regex=False)]
    if not len(errors):  # the usual case: no need to read the reports
        return []
    try:
        reports = built.table("reports", columns=["source"])
    except Exception:  # noqa: BLE001 - an unreadable table is not a read failure
        return []
    read = set(reports["source"]) if reports is not None else set()
    return sorted({str(s) for s in errors["source"] if str(s) not in read})


if __name__ == "__main__":
    run()

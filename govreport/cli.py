"""Command line: ``govreport build [PATH ...] [--out DIR] [--jobs N] [--engine local|dask] …``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="govreport", description="Chinese government work reports as tidy tables.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="read raw reports and write tables and charts")
    b.add_argument("paths", nargs="*", default=["data/raw"], help="files or directories, or fsspec URLs (default: data/raw)")
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
    b.add_argument("--no-evidence", action="store_true", help="no evidence pages (OUT/evidence)")
    b.add_argument("--corrections", default="auto",
                   help="corrections.csv to apply (default: the one beside the raw data, if any)")
    args = parser.parse_args(argv)
    if args.command == "build":
        from .build import build
        from .guard import OutputError

        if args.scheduler and args.engine != "dask":
            parser.error("--scheduler needs --engine dask")
        try:
            built = build(args.paths, args.out, jobs=args.jobs, quiet=args.quiet, figures=not args.no_figures,
                          docs_figures=args.docs_figures, engine=args.engine, scheduler=args.scheduler,
                          cache=not args.no_cache, evidence=not args.no_evidence,
                          corrections=args.corrections,
                          **({"time_limit": args.time_limit or None} if args.time_limit is not None else {}))
        except FileNotFoundError as err:
            print(f"govreport: {err}", file=sys.stderr)
            return 2
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
                  f"{args.out}/errors.csv", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

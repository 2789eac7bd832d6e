"""Command line: ``python -m coursetools release [--root DIR] [LESSON ...]``."""

import argparse
import sys
from pathlib import Path

from . import pipeline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursetools", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="regenerate notebooks/ from solutions/ with nbgrader")
    rel.add_argument("lessons", nargs="*", help="lesson folders (default: all)")
    rel.add_argument("--root", type=Path, default=pipeline.REPO_ROOT, help="course directory")
    args = parser.parse_args(argv)
    if args.command == "release":
        unknown = sorted(set(args.lessons) - set(pipeline.lessons(args.root)))
        if unknown:
            print(
                f"no such lesson folder in {args.root / 'solutions'}: {', '.join(unknown)}", file=sys.stderr
            )
            return 2
        try:
            done = pipeline.release(args.root, args.lessons or None)
        except pipeline.PipelineError as error:
            print(error, file=sys.stderr)
            return 1
        for name in done:
            print(f"generated notebooks/{name}/ from solutions/{name}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())

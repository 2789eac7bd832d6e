"""Command line: ``python -m coursetools release [LESSON ...]``."""

import argparse
import sys

from . import pipeline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursetools", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="regenerate notebooks/ from solutions/ with nbgrader")
    rel.add_argument("lessons", nargs="*", help="lesson folders (default: all)")
    args = parser.parse_args(argv)
    if args.command == "release":
        try:
            done = pipeline.release(pipeline.REPO_ROOT, args.lessons or None)
        except pipeline.PipelineError as error:
            print(error, file=sys.stderr)
            return 1
        for name in done:
            print(f"generated notebooks/{name}/ from solutions/{name}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line of the course's instructor tools.

``python -m coursetools release [--root DIR] [LESSON ...]``: regenerate notebooks/ from solutions/.
``python -m coursetools grade LESSON [--root DIR] [--zip FILE] [--workers N | --scheduler ADDRESS]
...``: grade a class in sandboxes, in parallel, on this machine or a Dask cluster (see the README's
"Grading a class" and "Grading on a cluster").
"""

import argparse
import sys
from pathlib import Path

from . import pipeline
from .grading import limits


def _default_root() -> Path:
    """The course directory: the current folder when it is one (the hub's instructor works in a
    copy of the course), else this repository."""
    here = Path.cwd()
    is_course = (here / "nbgrader_config.py").is_file() and (here / "solutions").is_dir()
    return here if is_course else pipeline.REPO_ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coursetools", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="regenerate notebooks/ from solutions/ with nbgrader")
    rel.add_argument("lessons", nargs="*", help="lesson folders (default: all)")
    rel.add_argument("--root", type=Path, default=_default_root(), help="course directory (default: here)")
    gra = sub.add_parser("grade", help="grade every submission of a lesson (sandboxed, parallel)")
    gra.add_argument("lesson", help="lesson folder, e.g. 01_pixels")
    gra.add_argument("--root", type=Path, default=_default_root(), help="course directory (default: here)")
    gra.add_argument("--zip", type=Path, help="an LMS download: collect its notebooks into submitted/ first")
    gra.add_argument("--workers", type=int, default=None, help="students graded at once (default: cores)")
    gra.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="grade on the workers of this Dask scheduler instead of this machine's cores "
        "(README: 'Grading on a cluster')",
    )
    gra.add_argument("--student", action="append", help="grade only this student (repeatable)")
    gra.add_argument("--no-sandbox", action="store_true", help="skip bwrap (rlimits only); prints a warning")
    gra.add_argument("--quiet", action="store_true", help="no progress bar")
    gra.add_argument(
        "--regrade",
        action="store_true",
        help="grade every submission again, also those unchanged since the last run (after a fix in cnnlib)",
    )
    limits.add_arguments(gra)
    args = parser.parse_args(argv)
    if args.command == "grade":
        return _grade(args)
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


def _grade(args) -> int:
    from .grading import command

    if args.lesson not in pipeline.lessons(args.root):
        print(f"no such lesson folder in {args.root / 'solutions'}: {args.lesson}", file=sys.stderr)
        return 2
    if args.zip:
        found = command.collect_zip(args.root, args.lesson, args.zip)
        print(f"collected {len(found)} submission(s) from {args.zip}")
    try:
        summary = command.grade(
            args.root,
            args.lesson,
            workers=args.workers,
            limits=limits.from_arguments(args),
            use_bwrap=False if args.no_sandbox else None,
            students=args.student,
            progress=not args.quiet,
            regrade=args.regrade,
            scheduler=args.scheduler,
        )
    except command.ClusterRefused as refused:
        print(f"not graded: {refused}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "\ninterrupted: what was graded is kept (gradebook, feedback, reports); run the same "
            "command again to grade the rest",
            file=sys.stderr,
        )
        return 130
    if not summary.confined:
        print(command.UNCONFINED_WARNING, file=sys.stderr)
    print(summary.text())
    if summary.stopped:
        return 1
    return 0 if summary.graded or not summary.failed else 1


if __name__ == "__main__":
    sys.exit(main())

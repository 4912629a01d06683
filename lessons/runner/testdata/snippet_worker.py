"""Runs the lessons' aws CLI lines and boto3 snippets for the runner's tests.

One Python process runs every snippet of a test, one at a time, so boto3 and
the aws CLI are imported once instead of once per snippet (each new `aws`
process costs a second or more on a busy machine). Requests and answers are
JSON lines on stdin and stdout:

    {"kind": "cli" | "python", "code": "..."}  ->  {"rc": 0, "out": "..."}

An aws CLI line runs through awscli's own entry point (the `aws` command is
a wrapper of create_clidriver().main), after the shell's word splitting; a
line with other shell syntax (pipes, substitutions, redirections) runs in
bash. A boto3 snippet runs as a script: fresh globals, boto3's default
session dropped, SystemExit and exceptions turned into an exit code. The
environment is put back as it was after every snippet.
"""
import contextlib
import io
import json
import os
import shlex
import subprocess
import sys
import traceback

import boto3

# internal/awscli's worker: importing it makes every session share a loader
# per data path (each service model parsed once per test, not once per
# snippet), and its run is the aws script's entry point.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "internal", "awscli"))
import worker as awscli_worker  # noqa: E402

BASE_ENV = dict(os.environ)
SHELL_SYNTAX = set("|&;<>()$`")


def exit_code(e):
    if e.code is None:
        return 0
    return e.code if isinstance(e.code, int) else 1


def run_python(code):
    boto3.DEFAULT_SESSION = None
    try:
        exec(compile(code, "<snippet>", "exec"), {"__name__": "__main__"})
        return 0
    except SystemExit as e:
        return exit_code(e)
    except BaseException:  # the snippet's own failure is its answer
        traceback.print_exc(file=sys.stdout)
        return 1


def words(line):
    """The words bash would pass, or None when the line needs bash itself."""
    lexer = shlex.shlex(line.replace("\\\n", " "), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    argv = list(lexer)
    if any(set(w) <= SHELL_SYNTAX for w in argv):
        return None
    return argv


def run_cli(line):
    argv = words(line)
    if argv is None:
        p = subprocess.run(["bash", "-c", line], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        sys.stdout.write(p.stdout)
        return p.returncode
    while argv and "=" in argv[0] and not argv[0].startswith("-"):
        name, _, value = argv.pop(0).partition("=")
        os.environ[name] = value
    if not argv or argv[0] != "aws":
        print("not an aws command: " + line)
        return 2
    before = awscli_worker.logging_state()
    try:
        return awscli_worker.run(argv[1:])
    finally:
        awscli_worker.restore_logging(before)


def main():
    sys.argv[0] = "aws"  # the name the CLI's usage messages give
    for request in sys.stdin:
        req = json.loads(request)
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                rc = (run_cli if req["kind"] == "cli" else run_python)(req["code"])
            finally:
                os.environ.clear()
                os.environ.update(BASE_ENV)
        sys.stdout.write(json.dumps({"rc": rc, "out": out.getvalue()}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

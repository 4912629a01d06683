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
import botocore.session
from awscli.clidriver import create_clidriver
from botocore.loaders import create_loader
LOADERS = {}


def shared_data_loader(session):
    """The sessions here (one per snippet) share a loader per data path,
    as one session's clients share its loader, so each service model is
    parsed once per test instead of once per snippet."""
    def loader():
        path = session.get_config_variable("data_path")
        if path not in LOADERS:
            LOADERS[path] = create_loader(path)
        return LOADERS[path]
    session._components.lazy_register_component("data_loader", loader)


botocore.session.Session._register_data_loader = shared_data_loader

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
    try:
        return create_clidriver().main(argv[1:])
    except SystemExit as e:
        return exit_code(e)


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

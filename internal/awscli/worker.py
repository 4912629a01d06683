"""Runs aws CLI v1 commands for internal/awscli, one after another, in this
one process: each through awscli's own entry point (what the `aws` script
calls) with a new session, in exactly the environment it is given.

Requests and answers are JSON lines on stdin and stdout:

    {"args": ["sts", ...], "env": {"NAME": "value", ...}}
        ->  {"code": 0, "stdout": "...", "stderr": "..."}

The first line out is {"ready": true}, once awscli is imported.
"""
import contextlib
import io
import json
import logging
import os
import sys
import traceback

import awscli
import botocore.session
from awscli.clidriver import create_clidriver
from botocore.loaders import create_loader

LOADERS = {}
# What importing awscli adds to AWS_DATA_PATH (a process imports it once
# with its environment; here each command brings its own).
AWSCLI_DATA = os.path.join(os.path.dirname(os.path.abspath(awscli.__file__)), "data")


def shared_data_loader(session):
    """The sessions here (one per command) share a loader per data path, as
    one session's clients share its loader, so each service model is parsed
    once per process instead of once per command."""
    def loader():
        path = session.get_config_variable("data_path")
        if path not in LOADERS:
            LOADERS[path] = create_loader(path)
        return LOADERS[path]
    session._components.lazy_register_component("data_loader", loader)


botocore.session.Session._register_data_loader = shared_data_loader


def loggers():
    named = logging.root.manager.loggerDict.values()
    return [logging.root] + [l for l in named if isinstance(l, logging.Logger)]


def logging_state():
    return {l: (l.level, list(l.handlers)) for l in loggers()}


def restore_logging(before):
    """Undoes what a command did to logging (--debug adds a handler on the
    stderr of that command and lowers levels), so the next one starts as a
    new process would."""
    for l in loggers():
        level, handlers = before.get(l, (logging.NOTSET, []))
        l.setLevel(level)
        l.handlers[:] = handlers


def set_environment(env):
    os.environ.clear()
    os.environ.update(env)
    paths = [os.path.expandvars(os.path.expanduser(p)) for p in env.get("AWS_DATA_PATH", "").split(os.pathsep) if p]
    os.environ["AWS_DATA_PATH"] = os.pathsep.join(paths + [AWSCLI_DATA])


def exit_code(e):
    if e.code is None:
        return 0
    return e.code if isinstance(e.code, int) else 1


def run(args):
    try:
        return create_clidriver().main(args)
    except SystemExit as e:
        return exit_code(e)
    except BaseException:  # what the aws script would print before dying
        traceback.print_exc()
        return 255


def main():
    sys.argv[0] = "aws"  # the name the CLI's usage messages give
    answers = sys.stdout
    answers.write(json.dumps({"ready": True}) + "\n")
    answers.flush()
    for line in sys.stdin:
        req = json.loads(line)
        set_environment(req["env"])
        out, err = io.StringIO(), io.StringIO()
        before = logging_state()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(req["args"])
        restore_logging(before)
        answers.write(json.dumps({"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}) + "\n")
        answers.flush()


if __name__ == "__main__":
    main()

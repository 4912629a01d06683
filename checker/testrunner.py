# The secretlings checker's runner for a Python test of provided code
# (catch-the-bugs): it runs the learner's unittest tests against one
# version of the code under test, the correct one or a broken copy, and
# reports what happened. The checker starts it as
#
#     python3 -c RUNNER MODULE TESTS REPORT_FD COVER
#
# with the code under test on stdin. MODULE is the module's name (dbconfig),
# TESTS the learner's test file, REPORT_FD a pipe for JSON lines (a test
# that ran, one that failed, a refused look at the code, the lines that ran
# when COVER is 1), and the exit code says whether every test passed.
#
# A test is graded by what the code does, so it must not tell the versions
# apart by how they are written. The code is loaded from memory (there is
# no file to open, stat or hash), and an audit hook (PEP 578) refuses, and
# reports, what would read it: its code objects (__code__, f_code), its
# frames (tb_frame; sys._getframe while it runs), tracers, the garbage
# collector's lists, ctypes, other programs, and /proc. Exceptions leave
# it without its frames. The broken copies change no line numbers, names,
# docstrings or module attributes.

import json
import os
import sys
import threading
import types
import unittest


def main():
    module_name, tests_path, report_fd, cover = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
    source = sys.stdin.buffer.read()
    sys.stdin = open(os.devnull)

    def report(**record):
        try:
            os.write(report_fd, (json.dumps(record) + "\n").encode())
        except OSError:
            pass

    module = load(module_name, source)
    del source
    namespace = module.__dict__
    hide_frames(module)
    lines = trace_lines(namespace) if cover else None
    import logging  # its caller lookup is allowed (see guard)

    guard(namespace, module_name + ".py", report, logging.Logger.findCaller)
    ok = run_tests(tests_path, report)
    if lines is not None:
        report(cover=sorted(lines))
    sys.stdout.flush()
    os._exit(0 if ok else 1)


def load(name, source):
    """The module from source, in sys.modules before its code runs (as an
    import does: dataclasses look it up there)."""
    module = types.ModuleType(name)
    # A name, no file: reading it (as inspect.getsource does) is refused.
    module.__file__ = name + ".py"
    sys.modules[name] = module
    exec(compile(source, name + ".py", "exec", dont_inherit=True), module.__dict__)
    return module


def hide_frames(module):
    """Wraps the module's functions, and its classes' methods, so an
    exception leaves them without their frames, and its chain without
    theirs."""
    for key, value in list(vars(module).items()):
        if isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
            setattr(module, key, without_frames(value))
        elif isinstance(value, type) and value.__module__ == module.__name__:
            for attr, method in list(vars(value).items()):
                if isinstance(method, types.FunctionType):
                    setattr(value, attr, without_frames(method))


def without_frames(fn):
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except BaseException as e:
            err = e
        strip(err, set())
        raise err

    for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
        setattr(call, attr, getattr(fn, attr))
    return call


def strip(err, seen):
    """Drops the tracebacks of err and of every exception chained to it."""
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        err.__traceback__ = None
        strip(err.__cause__, seen)
        err = err.__context__


def trace_lines(namespace):
    """Records the lines of the module's code that run, in every thread."""
    lines = set()

    def local(frame, event, arg):
        if event == "line":
            lines.add(frame.f_lineno)
        return local

    def tracer(frame, event, arg):
        if frame.f_globals is namespace:
            lines.add(frame.f_lineno)
            return local
        return None

    sys.settrace(tracer)
    threading.settrace(tracer)
    return lines


REFUSED_ALWAYS = {
    "sys.settrace": "a tracer (sys.settrace)",
    "sys.setprofile": "a profiler (sys.setprofile)",
    "sys._current_frames": "every thread's frames (sys._current_frames)",
    "sys.addaudithook": "an audit hook (sys.addaudithook)",
    "gc.get_objects": "the garbage collector's objects (gc.get_objects)",
    "gc.get_referrers": "the garbage collector's referrers (gc.get_referrers)",
    "gc.get_referents": "the garbage collector's referents (gc.get_referents)",
}

PROCESS_EVENTS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "pty.spawn", "os.startfile")

FRAME_ATTRS = ("tb_frame", "gi_frame", "cr_frame", "ag_frame")
CODE_ATTRS = ("__code__", "f_code", "gi_code", "cr_code", "ag_code")


def guard(namespace, filename, report, find_caller):
    """Installs the audit hook that refuses a test every way to read the
    code under test (namespace) but running it."""
    busy = threading.local()
    trace_hook = getattr(threading, "_trace_hook", None)

    def ours(frame):
        return frame is not None and frame.f_globals is namespace

    def running():
        frame = sys._getframe()
        while frame is not None:
            if ours(frame):
                return True
            frame = frame.f_back
        return False

    def refuse(what):
        report(refused=what)
        raise PermissionError("secretlings checker: a test judges the code by what it does; it may not " + what)

    def check(event, args):
        if event in REFUSED_ALWAYS:
            if event == "sys.settrace" and trace_hook is not None and threading._trace_hook is trace_hook and sys.gettrace() is None:
                return  # a new thread taking the runner's own line tracer
            refuse("use " + REFUSED_ALWAYS[event])
        if event.startswith(PROCESS_EVENTS):
            refuse("start another program (" + event + ")")
        if event.startswith("ctypes."):
            refuse("read memory through ctypes")
        if event == "open":
            path = args[0]
            if isinstance(path, bytes):
                path = os.fsdecode(path)
            if isinstance(path, str):
                real = os.path.realpath(path)
                if real == "/proc" or real.startswith(("/proc/", "/dev/mem", "/dev/kmem")):
                    refuse("open " + real)
                if os.path.basename(real).startswith(filename[:-3]):
                    refuse("open " + path + ": the code under test is loaded from no file")
        elif event == "sys._getframe":
            frame = args[0]
            if frame.f_code is not find_caller.__code__ and running():
                refuse("look at the stack while " + filename[:-3] + " runs (sys._getframe, inspect.stack, traceback.extract_stack)")
        elif event == "object.__getattr__":
            obj, attr = args[0], args[1]
            if attr in CODE_ATTRS:
                globs = getattr(obj, "f_globals", None) if attr == "f_code" else getattr(obj, "__globals__", None)
                if globs is namespace or (attr.endswith("_code") and attr != "f_code" and getattr(getattr(obj, attr, None), "co_filename", "") == filename):
                    refuse("read its code (" + attr + ")")
            elif attr in FRAME_ATTRS:
                if ours(getattr(obj, attr, None)) or (attr != "tb_frame" and running()):
                    refuse("read its frames (" + attr + ")")
        elif event == "socket.connect":
            address = args[1]
            host = address[0] if isinstance(address, tuple) else address
            if isinstance(host, str) and not loopback(host):
                report(network=host)
                refuse("reach beyond this machine (" + host + ")")

    def hook(event, args):
        if getattr(busy, "on", False):
            return
        busy.on = True
        try:
            check(event, args)
        finally:
            busy.on = False

    sys.addaudithook(hook)


def loopback(host):
    """Whether a socket address stays on this machine (a Unix socket's is a path)."""
    return host in ("localhost", "::1") or host.startswith(("127.", "/"))


class Recorder(unittest.TextTestResult):
    """unittest's verbose result, reporting each test that runs and fails."""

    report = None

    def startTest(self, test):
        super().startTest(test)
        self.report(ran=test.id())

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.report(failed=test.id(), message=first_line(err[1]))

    def addError(self, test, err):
        super().addError(test, err)
        self.report(failed=test.id(), message=first_line(err[1]))

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        self.report(ran=subtest.id())
        if err is not None:
            self.report(failed=subtest.id(), message=first_line(err[1]))

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.report(failed=test.id(), message="passed, but is marked expectedFailure")


def first_line(exc):
    text = "%s: %s" % (type(exc).__name__, exc)
    return text.strip().splitlines()[0][:500] if text.strip() else type(exc).__name__


def run_tests(path, report):
    """Runs the unittest tests of the file at path, and plain test_
    functions (as pytest would find them); reports whether all passed."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
    tests = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = tests
    try:
        spec.loader.exec_module(tests)
    except BaseException as e:  # noqa: B036 - even SystemExit: the file must import
        report(failed=os.path.basename(path), message="importing it failed: " + first_line(e))
        import traceback

        traceback.print_exc()
        return False
    suite = unittest.defaultTestLoader.loadTestsFromModule(tests)
    for key, value in vars(tests).items():
        if key.startswith("test") and isinstance(value, types.FunctionType) and value.__code__.co_argcount == 0:
            suite.addTest(unittest.FunctionTestCase(value, description=key))
    Recorder.report = staticmethod(report)
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2, resultclass=Recorder).run(suite)
    return result.wasSuccessful()


main()

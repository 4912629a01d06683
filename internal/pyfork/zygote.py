# secretlings' Python fork server: an interpreter that has imported boto3
# once, and forks a child for every program the checker runs, so a run
# starts in milliseconds instead of importing boto3 again (about 0.3 s).
#
# The checker starts it as `python3 -c ZYGOTE NAME...` with a Unix stream
# socket as file descriptor 3 and an environment holding only what Python
# reads at startup (the NAMEs). On that socket it receives, per program:
#
#     b"R" with the program's stdin, stdout, stderr and extra files
#          (SCM_RIGHTS), then a 4-byte big-endian length and JSON:
#          {"id": N, "argv": [...], "env": {...}, "cwd": "..."}
#     b"K" then a 4-byte length and JSON {"pid": P}: kill P's group
#
# and it answers with JSON lines: {"ready": PID} once, {"id": N, "pid": P}
# (or {"id": N, "error": "..."}) per program, and {"exit": P, "code": C}
# when P ends (C is negative for a signal). When the socket closes it
# kills every child it still has and ends.
#
# A child becomes the program as `python3 SCRIPT ARGS` or `python3 -c CODE
# ARGS` would start it: its own process group, file descriptors, working
# directory, environment and argv, and __main__ emptied of the zygote's
# names; it ends as the interpreter would (see _run). The zygote never
# reads a program's input: nothing one program is given reaches another
# through it.

import json
import os
import selectors
import signal
import socket
import struct
import sys

for _name in (
    "boto3",
    "botocore.exceptions",
    "botocore.stub",
    "encodings.idna",
    "base64",
    "binascii",
    "dataclasses",
    "hashlib",
    "logging",
    "re",
    "secrets",
    "tempfile",
    "threading",
    "traceback",
    "unittest",
    "unittest.mock",
    "urllib.request",
    "uuid",
):
    try:
        __import__(_name)
    except Exception:
        pass  # a program that needs it will say so itself
del _name


def _preparse_botocore():
    """Does once what every program's first Secrets Manager client does
    again: parse the JSON files it loads (endpoints, partitions, the
    service model and its rules) and list the services in botocore's data
    directories (a walk of some 900 directories), together 100 ms of each
    program's start. Each parsed file is handed to the first load of that
    file in a child, which uses it as its own: no process ever saw it, so
    no process changed it; a later load reads the file, as it always does.
    A listing serves every loader that searches the same directories; one
    that searches others (~/.aws/models, AWS_DATA_PATH) lists them itself."""
    try:
        import boto3.session
        from botocore import loaders
        original_load = loaders.JSONFileLoader.load_file
        original_list = loaders.Loader.list_available_services
        loaders.Loader._potential_locations
    except (ImportError, AttributeError):
        return
    parsed, listed = {}, {}

    def record_load(self, file_path):
        # A second parse to keep: the client made here may change its own.
        if file_path not in parsed:
            parsed[file_path] = original_load(self, file_path)
        return original_load(self, file_path)

    def record_list(self, type_name):
        found = original_list(self, type_name)
        listed[tuple(self._potential_locations()), type_name] = tuple(found)
        return found

    loaders.JSONFileLoader.load_file = record_load
    loaders.Loader.list_available_services = record_list
    try:
        boto3.session.Session().client(
            "secretsmanager", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
        )
    except Exception:
        parsed.clear()
        listed.clear()
    finally:
        loaders.JSONFileLoader.load_file = original_load
        loaders.Loader.list_available_services = original_list

    def load_file(self, file_path):
        data = parsed.pop(file_path, None)
        return data if data is not None else original_load(self, file_path)

    def list_available_services(self, type_name):
        found = listed.get((tuple(self._potential_locations()), type_name))
        return list(found) if found is not None else original_list(self, type_name)

    if parsed:
        load_file.__doc__, load_file.__wrapped__ = original_load.__doc__, original_load
        loaders.JSONFileLoader.load_file = load_file
    if listed:
        list_available_services.__doc__ = original_list.__doc__
        list_available_services.__wrapped__ = original_list
        loaders.Loader.list_available_services = list_available_services


_preparse_botocore()

_sock = socket.socket(fileno=3)
_children = set()
# What the interpreter added to the environment it was given (the names
# of which are its arguments) as it started, such as LC_CTYPE when it
# coerces the C locale: a program started as a process of its own would
# have it too.
_added = {k: v for k, v in os.environ.items() if k not in sys.argv[1:]}


def _send(**msg):
    _sock.sendall((json.dumps(msg) + "\n").encode())


def _read_exactly(n):
    buf = b""
    while len(buf) < n:
        chunk = _sock.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def _receive():
    """The next message: its kind, its fds and its JSON body."""
    kind, fds, _, _ = socket.recv_fds(_sock, 1, 64)
    if not kind:
        raise EOFError
    (size,) = struct.unpack(">I", _read_exactly(4))
    return kind, fds, json.loads(_read_exactly(size))


def _reap():
    while _children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _children.discard(pid)
        _send(exit=pid, code=os.waitstatus_to_exitcode(status))


def _kill(pid):
    if pid in _children:  # not reaped yet, so the group is still P's
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass


def _serve():
    """Answers requests until one needs a child; returns in that child
    only, with its request and file descriptors."""
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    sel = selectors.DefaultSelector()
    sel.register(_sock, selectors.EVENT_READ)
    sel.register(wake_r, selectors.EVENT_READ)
    # The modules it holds, which a program's own file of the same name
    # would not shadow as in a process of its own: the checker runs such a
    # program as one.
    import gc

    gc.freeze()  # what is here now is never collected: the GC leaves its pages shared
    _send(ready=os.getpid(), modules=sorted({m.partition(".")[0] for m in sys.modules}))
    while True:
        for key, _ in sel.select():
            if key.fileobj == wake_r:
                try:
                    while os.read(wake_r, 512):
                        pass
                except BlockingIOError:
                    pass
                _reap()
                continue
            try:
                kind, fds, req = _receive()
            except EOFError:
                for pid in list(_children):
                    _kill(pid)
                os._exit(0)
            if kind == b"K":
                _kill(req["pid"])
                continue
            try:
                pid = os.fork()
            except OSError as e:
                for fd in fds:
                    os.close(fd)
                _send(id=req["id"], error="fork: %s" % e)
                continue
            if pid == 0:
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                sel.close()
                os.close(wake_r)
                os.close(wake_w)
                return req, fds
            try:
                os.setpgid(pid, pid)  # the child does too: whoever is first
            except OSError:
                pass
            for fd in fds:
                os.close(fd)
            _children.add(pid)
            _send(id=req["id"], pid=pid)
            del req, fds


def _close_from(low):
    """Closes every file descriptor from low up: those open, as the
    system lists them, else up to a bound (SC_OPEN_MAX can be huge)."""
    for d in ("/proc/self/fd", "/dev/fd"):
        try:
            open_fds = [int(n) for n in os.listdir(d)]
        except (OSError, ValueError):
            continue
        for fd in open_fds:
            if fd >= low:
                try:
                    os.close(fd)
                except OSError:
                    pass  # the listing's own
        return
    os.closerange(low, min(max(os.sysconf("SC_OPEN_MAX"), 1024), 65536))


def _become(req, fds):
    """Turns this child into the program req describes, and returns the
    function that runs it. Everything that function uses is bound here:
    the zygote's globals are __main__'s, which the program gets empty."""
    import atexit
    import fcntl
    import importlib.machinery
    import os
    import signal
    import sys
    import tempfile
    import threading
    import traceback

    os.setpgid(0, 0)
    _sock.close()
    # Above every target first, so no dup2 closes one not yet moved.
    high = [fcntl.fcntl(fd, fcntl.F_DUPFD, len(fds)) for fd in fds]
    for target, fd in enumerate(high):
        os.dup2(fd, target)
    _close_from(len(high))
    os.chdir(req["cwd"])
    os.environ.clear()
    os.environ.update(_added)
    os.environ.update(req["env"])
    tempfile.tempdir = None  # from TMPDIR again, when first asked
    argv = req["argv"]
    fresh = {
        "__name__": "__main__",
        "__doc__": None,
        "__package__": None,
        "__spec__": None,
        "__annotations__": {},
        "__builtins__": sys.modules["builtins"],
    }
    if argv[0] == "-c":
        source, filename = argv[1].encode(), "<string>"
        sys.argv = ["-c"] + argv[2:]
        fresh["__loader__"] = importlib.machinery.BuiltinImporter
    else:
        filename = argv[0]
        try:
            with open(filename, "rb") as f:
                source = f.read()
        except OSError as e:
            sys.stderr.write("%s: can't open file %r: [Errno %d] %s\n" % (sys.executable, filename, e.errno, e.strerror))
            os._exit(2)
        sys.argv = list(argv)
        if not getattr(sys.flags, "safe_path", False):  # PYTHONSAFEPATH adds no directory
            sys.path[0] = os.path.dirname(os.path.abspath(filename))
        fresh.update(__file__=filename, __cached__=None)
        fresh["__loader__"] = importlib.machinery.SourceFileLoader("__main__", filename)
    try:
        code = compile(source, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as e:
        # As the interpreter reports a program it cannot compile: where,
        # and what, with no traceback.
        sys.stderr.write("".join(traceback.format_exception_only(type(e), e)))
        os._exit(1)
    main = sys.modules["__main__"].__dict__
    main.clear()
    main.update(fresh)
    del req, fds, argv, fresh, source

    def exit_status(e):
        # As the interpreter reads SystemExit's code.
        if e.code is None:
            return 0
        if isinstance(e.code, int):
            return e.code
        try:
            sys.stderr.write(str(e.code) + "\n")
        except Exception:
            pass
        return 1

    def run():
        """Runs the program and ends as the interpreter would after it:
        SystemExit's status, or the traceback and 1; non-daemon threads
        joined, atexit run, output flushed. Then it leaves at once:
        tearing down every module the zygote imported would write to
        all their pages, which the fork shares until written, and cost
        more than the whole run (a fifth of a second)."""
        status = 0
        try:
            exec(code, main)
        except SystemExit as e:
            status = exit_status(e)
        except BaseException as e:
            # The traceback starts at the program, as the interpreter's
            # would: the frame above it is this one.
            tb = e.__traceback__.tb_next or e.__traceback__
            sys.excepthook(type(e), e.with_traceback(tb), tb)
            status = -signal.SIGINT if isinstance(e, KeyboardInterrupt) else 1
            del e, tb
        try:
            threading._shutdown()
        except BaseException:
            pass
        atexit._run_exitfuncs()
        for f in (sys.stdout, sys.stderr):
            try:
                f.flush()
            except Exception:
                pass
        if status == -signal.SIGINT:
            # As the interpreter ends on an uncaught KeyboardInterrupt.
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)
        os._exit(status & 0xFF)

    return run


_become(*_serve())()

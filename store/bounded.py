"""Read a decree file in a child process that cannot take more than its share of the machine.

pdfplumber on a hostile PDF of 100 KB can need gigabytes and minutes, and no check made
before reading can tell. So the whole reading (the file's bytes, the reader, the
builder and the checks of `store.limits`) runs in a fresh interpreter that limits itself
before it reads anything: `Bounds.memory` bytes of address space, `Bounds.cpu` seconds of
processor time; the parent kills it after `Bounds.wall` seconds. Whatever happens, the
caller gets the decree or a `DecreeError` of one line, well within 30 s and 1 GB.

The child hands back the built `Decree` pickled on its standard output. Only this
module's own child writes that pipe, and it pickles nothing but what it built from
strings and numbers, so unpickling it is as safe as building the decree in-process.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import resource
import selectors
import signal
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any

from store import limits
from store.decree import build_decree
from store.model import Decree, DecreeError
from store.raw import RawDecree


@dataclass(frozen=True)
class Bounds:
    """What one reading may take: bytes of address space, CPU seconds, wall seconds."""

    memory: int = 700 * 2**20
    cpu: int = 20
    wall: float = 25.0


BOUNDS = Bounds()
# More output than any decree pickles to: the child is stopped.
MAX_OUTPUT = 64 * 2**20
# A child that failed after taking this share of its memory failed for want of memory.
NEAR_LIMIT = 0.7
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


# The parent ------------------------------------------------------------------------------


def read_bounded(path: Path, bounds: Bounds | None = None) -> Decree:
    """Read and validate a decree file in a child process held to `bounds` (`BOUNDS`).

    The file is checked first (a regular file of at most 50 MB), so a FIFO, a device or
    a huge file is refused at once, without starting a process.
    """
    bounds = bounds or BOUNDS
    limits.check_source(path)
    command = [
        sys.executable,
        "-P",  # do not put the working directory first on the child's sys.path
        "-m",
        __name__,
        str(path),
        str(bounds.memory),
        str(bounds.cpu),
    ]
    return _outcome(path, _run(command, bounds.wall), bounds)


@dataclass(frozen=True)
class _Run:
    """How the child ended: its exit code (-N for signal N), output, and peak memory."""

    code: int
    stdout: bytes
    stderr: bytes
    peak: int  # bytes of resident memory at most
    timed_out: bool


def _run(command: list[str], wall: float) -> _Run:
    """Run the child, killing it after `wall` seconds; its rusage says how much memory it
    took (so an abort for want of memory is told apart from a crash)."""
    deadline = time.monotonic() + wall
    child = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_child_environment(),
    )
    try:
        output = _collect(child, deadline)
        timed_out = output is None or not _exited_by(child, deadline)
    except BaseException:  # interrupted: leave no child behind
        child.kill()
        os.wait4(child.pid, 0)
        raise
    finally:
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()
    if timed_out:
        child.kill()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    stdout, stderr = output or (b"", b"")
    return _Run(child.returncode, stdout, stderr, usage.ru_maxrss * 1024, timed_out)


def _collect(child: subprocess.Popen[bytes], deadline: float) -> tuple[bytes, bytes] | None:
    """Everything the child writes, until it closes both pipes; None past the deadline or
    past `MAX_OUTPUT` bytes."""
    streams = {child.stdout: bytearray(), child.stderr: bytearray()}
    with selectors.DefaultSelector() as selector:
        for stream in streams:
            selector.register(stream, selectors.EVENT_READ)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            for key, _ in selector.select(remaining):
                chunk = os.read(key.fd, 1 << 16)
                if not chunk:
                    selector.unregister(key.fileobj)
                streams[key.fileobj] += chunk
                if len(streams[key.fileobj]) > MAX_OUTPUT:
                    return None
    return bytes(streams[child.stdout]), bytes(streams[child.stderr])


def _exited_by(child: subprocess.Popen[bytes], deadline: float) -> bool:
    """Whether the child (which closed its pipes) exits before the deadline."""
    while time.monotonic() < deadline:
        if os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return True
        time.sleep(0.01)
    return False


def _child_environment() -> dict[str, str]:
    """The parent's environment, with this very package first on the child's path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(_PACKAGE_ROOT), *filter(None, [env.get("PYTHONPATH")])]
    )
    return env


def _outcome(path: Path, run: _Run, bounds: Bounds) -> Decree:
    """The child's decree, or its one-line error, or what its death says."""
    result = _unpickle(run.stdout) if run.code == 0 and not run.timed_out else None
    if result is not None:
        kind, value = result
        if kind == "ok" and isinstance(value, Decree):
            return value
        if kind == "error" and isinstance(value, str):
            raise DecreeError(value)
        if kind == "memory":
            raise DecreeError(_memory_message(path, bounds))
    raise DecreeError(_death_message(path, run, bounds))


def _unpickle(data: bytes) -> tuple[str, Any] | None:
    try:
        result = pickle.loads(data)
    except Exception:
        return None
    return result if isinstance(result, tuple) and len(result) == 2 else None


def _memory_message(path: Path, bounds: Bounds) -> str:
    return (
        f"{path.name}: reading needed more than {bounds.memory // 2**20} MB of memory (not a"
        " decree of this kind)"
    )


def _death_message(path: Path, run: _Run, bounds: Bounds) -> str:
    if run.timed_out:
        return (
            f"{path.name}: reading took longer than {bounds.wall:.0f} s (not a decree of this kind)"
        )
    if run.code in (-signal.SIGXCPU, -signal.SIGKILL):
        return (
            f"{path.name}: reading needed more than {bounds.cpu} s of processor time (not a"
            " decree of this kind)"
        )
    # Short of memory, C code may abort or crash instead of raising MemoryError.
    if run.peak > NEAR_LIMIT * bounds.memory or b"MemoryError" in run.stderr:
        return _memory_message(path, bounds)
    last = (run.stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1]
    how = f"signal {signal.Signals(-run.code).name}" if run.code < 0 else f"exit {run.code}"
    return f"{path.name}: the reader stopped ({how}{': ' + last[:120] if last else ''})"


# The child -------------------------------------------------------------------------------


def read_checked(path: Path) -> Decree:
    """Read, check and build a decree from a PDF, or from text extracted from one, with the
    file's name and SHA-256. Unbounded: `read_bounded` runs this in a limited child."""
    data, identity = limits.read_source_bytes(path)
    if data.startswith(b"%PDF"):
        raw = _read_pdf(path)
        if limits.check_source(path) != identity:
            raise DecreeError(f"{path.name}: the file changed while it was read; try again")
    elif path.suffix.lower() == ".pdf":
        raise DecreeError(f"{path.name}: not a PDF (no %PDF header)")
    else:
        raw = _read_text(path, data)
    decree = judge(raw)
    return replace(decree, source_name=path.name, source_sha256=hashlib.sha256(data).hexdigest())


def judge(raw: RawDecree) -> Decree:
    """What a reader found, without control characters, checked against the limits, built
    and checked again: the decree, or a DecreeError naming the row."""
    raw = limits.clean_raw(raw)
    limits.check_raw(raw)
    decree = build_decree(raw)
    limits.check_decree(decree)
    return decree


def _read_text(path: Path, data: bytes) -> RawDecree:
    from store.read_text import read_text

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DecreeError(f"{path.name}: neither a PDF nor UTF-8 text") from error
    limits.check_text(path.name, text)
    return read_text(text)


def _read_pdf(path: Path) -> RawDecree:
    from store.read_pdf import read_pdf  # pdfplumber only when a PDF is read

    pages = _count_pages(path, limits.MAX_PAGES + 1)
    if pages is not None:
        limits.check_pages(path.name, pages)
    return read_pdf(path)


def _count_pages(path: Path, stop: int) -> int | None:
    """How many pages the PDF has, counting no further than `stop`; None when the PDF
    cannot even be opened (the reader then says why, in its own words)."""
    from pdfminer.pdfpage import PDFPage

    try:
        with path.open("rb") as stream:
            return sum(1 for _ in islice(PDFPage.get_pages(stream), stop))
    except Exception:
        return None


def _limit_self(memory: int, cpu: int) -> None:
    """Limits on this process, set before anything is read; no core file either."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _near_limit(memory: int) -> bool:
    """Whether this process came close to its memory limit (C code that cannot allocate
    may raise SystemError or worse instead of MemoryError)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return peak > NEAR_LIMIT * memory


def _child(path: Path, memory: int) -> tuple[str, Any]:
    try:
        return "ok", read_checked(path)
    except DecreeError as error:
        return "error", " ".join(str(error).split())
    except MemoryError:
        return "memory", None
    except RecursionError:
        return "error", f"{path.name}: nested too deeply to read (not a decree of this kind)"
    except Exception as error:  # a reader's bug on odd input is still one line for the user
        if _near_limit(memory):
            return "memory", None
        detail = " ".join(str(error).split())[:120]
        return "error", f"{path.name}: the reader failed ({type(error).__name__}: {detail})"


def main(argv: list[str]) -> int:
    """`python -m store.bounded PATH MEMORY CPU`: the pickled outcome on standard output."""
    path, memory, cpu = Path(argv[0]), int(argv[1]), int(argv[2])
    _limit_self(memory, cpu)
    # pdfminer logs a warning per oddity; a hostile file must not flood the parent's pipe.
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    outcome = _child(path, memory)
    sys.stdout.buffer.write(pickle.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Work that must stop on time: a pool of worker processes; a task past its budget has its worker killed.

Pure-Python work such as reading a hostile page holds the interpreter lock and cannot be interrupted
from another thread, so one slow page would stall every request of the process. Here it runs in a
separate process instead, and the caller waits on a pipe, which takes no lock:
- workers are started when first needed (then kept), as `python -m shared.process_pool_worker`
  processes (forking a threaded server is unsafe), with the `preload` modules imported once;
- a task's function and keyword arguments are pickled to the worker and its result or exception back;
- a task that uses more CPU time than its budget, or runs past WALL_FACTOR times it or past the
  caller's deadline, has its worker killed, and the next task that needs a worker starts a fresh one;
  the worker also caps its own CPU time and memory, so it stops even if this process is gone, and runs
  at a lower priority than the server;
- a task may call named functions of the caller (`callbacks`, e.g. a network fetch); the time they
  take does not count against its budget, which is for the work the task itself does;
- each process has its own pools: a forked child (gunicorn, RQ workers) starts its own workers.
"""

import atexit
import math
import os
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar, cast

_ROOT = Path(__file__).resolve().parents[1]
_STARTUP_SECONDS = 60.0
WALL_FACTOR = (
    3  # a task may take this many times its CPU budget in wall time (a loaded machine, low priority)
)
_CPU_CHECK_SECONDS = 0.1
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

Result = TypeVar("Result")
# What crosses the pipe: ("run", function, kwargs, callback names, budget), ("call", name, args, kwargs),
# ("ok", value), ("error", exception), ("ready",).
Message = tuple[Any, ...]


class PoolError(Exception):
    """The pool could not run the task to its end."""


class TaskStopped(PoolError):
    """The task was stopped: it ran past its time, or its worker died (out of memory, CPU limit, crash)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PoolBusy(PoolError):
    """Every worker stayed busy until the caller's deadline."""


class RemoteError(Exception):
    """An unexpected exception in the worker; the message carries its traceback there."""


class ProcessPool:
    """Up to `size` worker processes, each running one task at a time."""

    def __init__(
        self, *, size: int, preload: Iterable[str] = (), memory_limit_bytes: int | None = None
    ) -> None:
        self.size = size
        self.preload = tuple(preload)
        self.memory_limit_bytes = memory_limit_bytes
        self._idle: list[_Worker] = []
        self._started = 0
        self._all: set[_Worker] = set()
        self._waiting: deque[_Turn] = deque()
        self._free = threading.Condition()

    def run(
        self,
        function: Callable[..., Result],
        *,
        budget: float,
        deadline: float | None = None,
        callbacks: Mapping[str, Callable[..., Any]] | None = None,
        **kwargs: Any,
    ) -> Result:
        """function(**kwargs, **proxies of callbacks) in a worker: its result, or its exception re-raised.

        Waits for a free worker (callers are served in the order they came) until `deadline` (a
        time.monotonic() value), at most as long as one task may take (WALL_FACTOR × budget), else PoolBusy;
        then lets the task use `budget` seconds of CPU, never past `deadline` (TaskStopped).
        """
        deadline = deadline or math.inf
        worker = self._acquire(min(deadline, time.monotonic() + budget * WALL_FACTOR))
        try:
            worker.send(("run", function, kwargs, tuple(callbacks or ()), budget))
            outcome = self._await(worker, budget, deadline, callbacks or {})
        except BaseException:
            self._discard(worker)
            raise
        self._release(worker)
        kind, value = outcome
        if kind == "error":
            raise value
        return cast(Result, value)  # what function returned, unpickled

    def close(self) -> None:
        """Stop every worker (at exit; tasks still running are killed)."""
        with self._free:
            workers, self._all, self._idle = list(self._all), set(), []
        for worker in workers:
            worker.kill()

    def _acquire(self, wait_until: float) -> "_Worker":
        """A worker: an idle one, a new one while fewer than `size` run, else the next one freed, handed to the
        callers in the order they came (a caller arriving later cannot take it first)."""
        with self._free:
            if not self._waiting and self._idle:
                return self._idle.pop()
            if not self._waiting and self._started < self.size:
                self._started += 1
                turn = None
            else:
                turn = _Turn()
                self._waiting.append(turn)
                while turn.worker is None and not turn.may_start:
                    left = wait_until - time.monotonic()
                    if left <= 0:
                        self._waiting.remove(turn)
                        raise PoolBusy("every worker is busy")
                    self._free.wait(left)
                if turn.worker is not None:
                    return turn.worker
        try:
            worker = _Worker.start(self.preload, self.memory_limit_bytes)
        except BaseException:
            self._replace(None)
            raise
        with self._free:
            self._all.add(worker)
        return worker

    def _release(self, worker: "_Worker") -> None:
        with self._free:
            if self._waiting:
                self._waiting.popleft().worker = worker
                self._free.notify_all()
            else:
                self._idle.append(worker)

    def _discard(self, worker: "_Worker") -> None:
        worker.kill()
        self._replace(worker)

    def _replace(self, worker: "_Worker | None") -> None:
        """A worker is gone (killed, or never started): the first caller waiting may start another."""
        with self._free:
            if worker is not None and worker not in self._all:
                return  # closed meanwhile
            self._all.discard(worker)
            if self._waiting:
                self._waiting.popleft().may_start = True
                self._free.notify_all()
            else:
                self._started -= 1

    @staticmethod
    def _await(
        worker: "_Worker", budget: float, deadline: float, callbacks: Mapping[str, Callable[..., Any]]
    ) -> Message:
        """("ok", result) or ("error", exception). The budget is the worker's CPU time (a busy machine does not
        make a page too complex); wall time is capped at WALL_FACTOR times the budget besides. The worker uses no
        CPU while a callback runs here, and that time is added to the wall cap."""
        cpu_at_start = worker.cpu_seconds()
        wall_ends = time.monotonic() + budget * WALL_FACTOR
        while True:
            now = time.monotonic()
            cpu_left = budget - (worker.cpu_seconds() - cpu_at_start)
            wait = min(cpu_left, min(wall_ends, deadline) - now, _CPU_CHECK_SECONDS)
            if wait <= 0:
                raise TaskStopped("time")
            if not worker.poll(wait):
                continue
            message = worker.receive()
            if message[0] != "call":
                return message
            _, name, args, kwargs = message
            try:
                reply = ("ok", callbacks[name](*args, **kwargs))
            except Exception as exc:  # the task sees the callback's exception, as if it had called it itself
                reply = ("error", exc)
            wall_ends += time.monotonic() - now
            worker.send(reply)


class _Turn:
    """A caller waiting for a worker: handed one that was freed, or leave to start one."""

    def __init__(self) -> None:
        self.worker: _Worker | None = None
        self.may_start = False


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, process: "subprocess.Popen[bytes]", connection: Connection) -> None:
        self.process = process
        self.connection = connection

    @classmethod
    def start(cls, preload: tuple[str, ...], memory_limit_bytes: int | None) -> "_Worker":
        ours, theirs = socket.socketpair()
        with theirs:
            command = [
                sys.executable,
                "-m",
                "shared.process_pool_worker",
                str(theirs.fileno()),
                str(memory_limit_bytes or 0),
                *preload,
            ]
            process = subprocess.Popen(
                command, cwd=_ROOT, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL
            )
        worker = cls(process, Connection(ours.detach()))
        if not worker.poll(_STARTUP_SECONDS) or worker.receive() != ("ready",):
            worker.kill()
            raise PoolError("a worker process did not start")
        return worker

    def cpu_seconds(self) -> float:
        """CPU time the process has used (user + system), from /proc; 0 where there is none (then wall time
        alone bounds a task)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS

    def send(self, message: Message) -> None:
        try:
            self.connection.send(message)
        except OSError:
            raise TaskStopped("crash") from None

    def poll(self, timeout: float) -> bool:
        try:
            return self.connection.poll(timeout)
        except OSError:
            return True  # receive() reports it

    def receive(self) -> Message:
        try:
            return cast(Message, self.connection.recv())
        except (EOFError, OSError):
            raise TaskStopped("crash") from None

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.connection.close()


_pools: dict[str, ProcessPool] = {}
_pools_lock = threading.Lock()


def shared_pool(name: str, **options: Any) -> ProcessPool:
    """This process's pool called `name`, created with `options` (ProcessPool's) the first time it is asked for."""
    with _pools_lock:
        if name not in _pools:
            _pools[name] = ProcessPool(**options)
        return _pools[name]


def _forget_inherited_pools() -> None:
    """In a forked child the parent's workers are not ours to use or stop: start afresh."""
    global _pools_lock
    _pools.clear()
    _pools_lock = threading.Lock()


def _close_pools() -> None:
    for pool in list(_pools.values()):
        pool.close()


os.register_at_fork(after_in_child=_forget_inherited_pools)
atexit.register(_close_pools)

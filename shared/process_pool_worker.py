"""A worker process of shared/process_pool.py: `python -m shared.process_pool_worker FD MEMORY_LIMIT [MODULE...]`.

Reads tasks from the pipe on file descriptor FD, runs them one at a time and sends back the outcome.
It runs at a lower priority (nice 10) than the server that started it.
Before each task it caps its own CPU time (RLIMIT_CPU: budget plus a second beyond what it has used),
so a task stops even when nobody is left to kill it; MEMORY_LIMIT (bytes, 0 = none) caps its
address space. It exits when the pipe closes.
"""

import gc
import importlib
import math
import os
import pickle
import resource
import sys
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from shared.process_pool import RemoteError


def main(fd: int, memory_limit: int, modules: list[str]) -> None:
    connection = Connection(fd)
    os.nice(10)  # the server's own threads (health checks, polling clients) get the CPU first
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a worker killed for its CPU time leaves no core file
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    for module in modules:
        importlib.import_module(module)
    freeze_imports()
    connection.send(("ready",))
    while True:
        try:
            _, function, kwargs, callback_names, budget = connection.recv()
        except EOFError:
            return
        _limit_cpu(budget)
        proxies = {name: _proxy(connection, name) for name in callback_names}
        try:
            outcome = ("ok", function(**kwargs, **proxies))
        except MemoryError:
            sys.exit(1)  # the pool reports a stopped task; nothing useful can be sent from here
        except Exception as exc:
            outcome = ("error", _sendable(exc))
        connection.send(outcome)


def freeze_imports() -> None:
    """Moves what is alive after the preload (the modules, their functions, patterns and tables: ~170 000 objects for
    the extraction worker) out of the garbage collector's reach for the process's life: every full collection walked
    them all again, and a page's extraction allocates enough (a node object per element, its parsed JSON) to set one
    off every few pages. What a task leaves in reference cycles is still collected."""
    gc.collect()
    gc.freeze()


def _limit_cpu(budget: float) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + budget) + 1
    resource.setrlimit(
        resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard)
    )


def _proxy(connection: Connection, name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        connection.send(("call", name, args, kwargs))
        kind, value = connection.recv()
        if kind == "error":
            raise value
        return value

    return call


def _sendable(exc: BaseException) -> BaseException:
    """The exception with its traceback here as a note (logged with it there), or, if it does not survive
    pickling, a RemoteError carrying that traceback."""
    where = "".join(traceback.format_exception(exc))
    try:
        exc.add_note(f"In the worker process:\n{where}")
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RemoteError(where)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:])

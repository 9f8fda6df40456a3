"""Tasks for tests/shared/test_process_pool.py: importable by name, as the pool's workers need them."""

import os
import time


def spin(seconds):
    """Burn `seconds` of CPU time, then say which process did it."""
    ends = time.process_time() + seconds
    while time.process_time() < ends:
        pass
    return os.getpid()


def ask(question, answer):
    """The caller's answer to the question (a callback), marked as passed through the worker."""
    return f"{answer(question)} (via {os.getpid()})"


def allocate(megabytes):
    return len(bytearray(megabytes * 1024 * 1024))


def fail(message):
    raise LookupError(message)

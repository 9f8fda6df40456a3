"""The process pool that runs stoppable work: results and errors come back, a task over its budget loses its
worker and the pool carries on with a new one, callbacks run in the caller, and a forked child has its own."""

import os
import threading
import time

import pytest

from shared.errors import UnprocessableError
from shared.process_pool import PoolBusy, ProcessPool, TaskStopped, shared_pool
from tests.shared import pool_tasks


@pytest.fixture
def pool():
    pool = ProcessPool(size=2, preload=("tests.shared.pool_tasks",), memory_limit_bytes=512 * 1024 * 1024)
    yield pool
    pool.close()


def test_a_task_returns_its_result_from_another_process(pool):
    assert pool.run(pool_tasks.spin, budget=5, seconds=0) != os.getpid()


def test_the_task_s_exception_is_raised_here_with_where_it_happened(pool):
    with pytest.raises(LookupError, match="no such size") as raised:
        pool.run(pool_tasks.fail, budget=5, message="no such size")
    assert (
        "In the worker process" in raised.value.__notes__[0] and "pool_tasks.py" in raised.value.__notes__[0]
    )


def test_typed_api_errors_keep_their_code_and_details(pool):
    def page_error(question):
        raise UnprocessableError("nothing here", code="NO_PRODUCT_FOUND", details={"url": question})

    with pytest.raises(UnprocessableError) as raised:
        pool.run(pool_tasks.ask, budget=5, callbacks={"answer": page_error}, question="http://shop.example/p")
    assert (raised.value.code, raised.value.details) == ("NO_PRODUCT_FOUND", {"url": "http://shop.example/p"})


def test_a_task_over_budget_is_stopped_and_its_worker_replaced():
    pool = ProcessPool(size=1, preload=("tests.shared.pool_tasks",))
    try:
        first = pool.run(pool_tasks.spin, budget=5, seconds=0)
        with pytest.raises(TaskStopped) as stopped:
            pool.run(pool_tasks.spin, budget=0.2, seconds=30)
        assert stopped.value.reason == "time"
        with pytest.raises(ProcessLookupError):
            os.kill(first, 0)  # killed and reaped
        assert pool.run(pool_tasks.spin, budget=5, seconds=0) not in (first, os.getpid())
    finally:
        pool.close()


def test_the_caller_s_deadline_stops_a_task_within_its_budget(pool):
    with pytest.raises(TaskStopped):
        pool.run(pool_tasks.spin, budget=30, deadline=time.monotonic() + 0.2, seconds=30)


def test_stopping_one_task_leaves_the_others_running(pool):
    results = []
    other = threading.Thread(target=lambda: results.append(pool.run(pool_tasks.spin, budget=30, seconds=0.5)))
    other.start()
    with pytest.raises(TaskStopped):
        pool.run(pool_tasks.spin, budget=0.1, seconds=30)
    other.join()
    assert len(results) == 1


def test_callbacks_run_here_and_their_time_is_not_the_task_s(pool):
    def slow_answer(question):
        time.sleep(0.5)  # a network fetch, say
        return f"answer to {question} from {os.getpid()}"

    result = pool.run(pool_tasks.ask, budget=0.2, callbacks={"answer": slow_answer}, question="q")
    assert result.startswith(f"answer to q from {os.getpid()} (via ") and not result.endswith(
        f"{os.getpid()})"
    )


def test_a_task_over_the_memory_limit_is_stopped(pool):
    with pytest.raises(TaskStopped):
        pool.run(pool_tasks.allocate, budget=10, megabytes=2048)
    assert pool.run(pool_tasks.allocate, budget=10, megabytes=16) == 16 * 1024 * 1024


def test_with_every_worker_busy_a_caller_waits_then_hears_busy(pool):
    busy = [
        threading.Thread(target=pool.run, args=(pool_tasks.spin,), kwargs={"budget": 30, "seconds": 1})
        for _ in range(2)
    ]
    for thread in busy:
        thread.start()
    time.sleep(0.3)
    with pytest.raises(PoolBusy):
        pool.run(pool_tasks.spin, budget=0.2, seconds=0)
    for thread in busy:
        thread.join()
    assert pool.run(pool_tasks.spin, budget=5, seconds=0)


def test_a_forked_child_starts_its_own_workers():
    parent_pool = shared_pool("fork-test", size=1, preload=("tests.shared.pool_tasks",))
    parent_worker = parent_pool.run(pool_tasks.spin, budget=5, seconds=0)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            pool = shared_pool("fork-test", size=1, preload=("tests.shared.pool_tasks",))
            os.write(write, str(pool.run(pool_tasks.spin, budget=30, seconds=0)).encode())
        finally:
            os._exit(0)
    os.close(write)
    child_worker = int(os.read(read, 64) or 0)
    os.waitpid(child, 0)
    assert child_worker not in (0, parent_worker)
    assert parent_pool.run(pool_tasks.spin, budget=5, seconds=0) == parent_worker

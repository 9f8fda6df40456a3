"""Job queues. Either way every job persists in `tryon_jobs`, which stays the source of truth.

JOB_QUEUE=thread (embedded default): a pool of threads in this process runs the jobs.
JOB_QUEUE=rq: jobs are sent to Redis through RQ and run by `python scripts/worker.py` processes.

Thread queue: a dispatcher thread claims queued jobs (oldest first, as many as worker slots are free, in one
statement) and hands them to the pool; it is woken the moment a job is accepted or a slot frees up. Model
calls are I/O-bound, so TRYON_WORKERS threads run that many jobs at once.
Nothing lives only in memory: a restart finds every accepted job in the database (see
`model.recover_interrupted`). The same dispatcher purges the stored inputs of finished jobs after
JOB_INPUT_RETENTION_HOURS. Either queue's maintenance loop also runs the web process's other periodic work
(`also_maintain`: the webhook deliverer); whatever ends a job here makes its callback due in the same transaction.

Time-outs: every blocking step of a job gives up at its deadline (JOB_TIMEOUT_SECONDS after the claim)
and the worker itself fails the job with TIMEOUT, so its slot is free at once. Until then the job is
`processing`: it holds its slot and counts against its user's MAX_JOBS_PER_USER. Should a worker
not let go UNWIND_GRACE_SECONDS after the deadline, the dispatcher fails the job (the user sees
TIMEOUT), and the slot stays counted against that user until the thread ends, so no user ever holds
more than MAX_JOBS_PER_USER worker threads.
"""

import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from config import ConfigurationError, Settings
from features.tryon import model
from features.tryon.model import Job
from features.tryon.pipeline import PipelineDeps, load_models, run_job
from features.webhooks import service as webhooks_service
from shared import clock
from shared.logger import get_logger

log = get_logger("tryon.queue")

MAX_ATTEMPTS = 2  # the first run plus one retry after a restart
_MAINTENANCE_INTERVAL = 1.0
# How long an idle dispatcher sleeps before looking again on its own. A job accepted here and a worker freed
# wake it at once; the poll finds what nothing announced (jobs queued again at start-up, another process's).
_IDLE_POLL_SECONDS = 0.25
_RETENTION_INTERVAL = 600.0
RQ_QUEUE_NAME = "tryon"
RQ_TASK = "features.tryon.tasks.run_tryon_job"
_RESUBMIT_AFTER_SECONDS = 30  # a queued job Redis never handed to a worker is sent again
UNWIND_GRACE_SECONDS = (
    5  # past the deadline, a worker that has not let go of its job is presumed stuck or dead
)


def create_job_queue(
    deps: PipelineDeps, settings: Settings, also_maintain: Sequence[Callable[[], None]] = ()
) -> "ThreadJobQueue | RQJobQueue":
    """The queue chosen by JOB_QUEUE; its maintenance loop also calls each of also_maintain."""
    if settings.JOB_QUEUE not in ("thread", "rq"):
        raise ConfigurationError(f"JOB_QUEUE must be 'thread' or 'rq', not {settings.JOB_QUEUE!r}")
    if settings.JOB_QUEUE == "rq":
        if not settings.REDIS_URL:
            raise ConfigurationError("JOB_QUEUE=rq needs REDIS_URL (the Redis the workers read from)")
        return RQJobQueue(
            deps,
            redis_url=settings.REDIS_URL,
            timeout_seconds=settings.JOB_TIMEOUT_SECONDS,
            retention_hours=settings.JOB_INPUT_RETENTION_HOURS,
            also_maintain=also_maintain,
        )
    return ThreadJobQueue(
        deps,
        workers=settings.TRYON_WORKERS,
        timeout_seconds=settings.JOB_TIMEOUT_SECONDS,
        retention_hours=settings.JOB_INPUT_RETENTION_HOURS,
        max_jobs_per_user=settings.MAX_JOBS_PER_USER,
        also_maintain=also_maintain,
    )


class ThreadJobQueue:
    def __init__(
        self,
        deps: PipelineDeps,
        *,
        workers: int,
        timeout_seconds: float,
        retention_hours: float,
        max_jobs_per_user: int,
        also_maintain: Sequence[Callable[[], None]] = (),
    ) -> None:
        self.deps = deps
        self.also_maintain = also_maintain
        self.workers = workers
        self.timeout_seconds = timeout_seconds
        self.retention_hours = retention_hours
        self.max_jobs_per_user = max_jobs_per_user
        self._running: dict[
            str, str
        ] = {}  # job_id -> user_id of every job a worker thread holds, timed out or not
        self._running_lock = threading.Lock()
        self._wake = threading.Condition()
        self._woken = False
        self._stopping = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tryon-worker")
        self._dispatcher = threading.Thread(
            target=self._dispatch_forever, name="tryon-dispatcher", daemon=True
        )
        self._last_retention = (
            -math.inf
        )  # the first maintenance pass purges, however long the machine has been up

    def start(self) -> None:
        with self.deps.db.transaction():
            requeued, failed = model.recover_interrupted(self.deps.db, MAX_ATTEMPTS)
            webhooks_service.jobs_ended(db=self.deps.db, job_ids=failed)
        if requeued or failed:
            log.warning("recovered interrupted jobs", extra={"requeued": requeued, "failed": failed})
        self._dispatcher.start()

    def submit(self, job_id: str) -> None:
        """A job row was inserted: wake the dispatcher now rather than at its next poll."""
        self.notify()

    def notify(self) -> None:
        with self._wake:
            self._woken = True
            self._wake.notify()

    def stop(self, wait: bool = True) -> None:
        """Stop claiming jobs; with wait, let running jobs finish (unfinished ones are recovered at start-up)."""
        self._stopping.set()
        self.notify()
        if self._dispatcher.is_alive():
            self._dispatcher.join(timeout=10)
        self._pool.shutdown(wait=wait, cancel_futures=True)

    def _dispatch_forever(self) -> None:
        try:
            load_models(self.deps)  # before the first claim: a job's deadline runs from its claim
            self._dispatch_until_stopped()
        finally:
            self.deps.db.close_thread_connection()

    def _dispatch_until_stopped(self) -> None:
        last_maintenance = 0.0
        while not self._stopping.is_set():
            try:
                claimed = self._claim_available()
                if time.monotonic() - last_maintenance >= _MAINTENANCE_INTERVAL:
                    self._maintain()
                    last_maintenance = time.monotonic()
            except Exception:
                log.exception("dispatcher iteration failed")
                claimed = 0
            if not claimed:
                with self._wake:
                    # the flag keeps a wake-up (new job, freed slot, stop) that came before this wait
                    self._wake.wait_for(lambda: self._woken, timeout=_IDLE_POLL_SECONDS)
                    self._woken = False

    def _claim_available(self) -> int:
        """Claim the oldest queued jobs for the free worker slots, a batch per statement, and start them; the
        number started."""
        started = 0
        while not self._stopping.is_set():
            with self._running_lock:
                free = self.workers - len(self._running)
                held = Counter(self._running.values())
            if free <= 0:
                break
            at_limit = [user_id for user_id, threads in held.items() if threads >= self.max_jobs_per_user]
            picked: list[str] = []
            for row in model.oldest_queued(self.deps.db, free, exclude_users=at_limit):
                if held[row["user_id"]] < self.max_jobs_per_user:
                    held[row["user_id"]] += 1
                    picked.append(row["job_id"])
            jobs = model.claim_many(self.deps.db, picked) if picked else []
            if not jobs:
                break
            for job in jobs:
                with self._running_lock:
                    self._running[job["job_id"]] = job["user_id"]
                self._pool.submit(self._run, job)
            started += len(jobs)
        return started

    def _run(self, job: Job) -> None:
        try:
            run_job(self.deps, job)
        finally:
            with self._running_lock:
                del self._running[job["job_id"]]
            self.notify()

    def _maintain(self) -> None:
        if model.has_overdue(self.deps.db, self.timeout_seconds, UNWIND_GRACE_SECONDS):
            with self.deps.db.transaction():
                overdue = model.fail_overdue(self.deps.db, self.timeout_seconds, UNWIND_GRACE_SECONDS)
                webhooks_service.jobs_ended(db=self.deps.db, job_ids=overdue)
            if overdue:
                log.warning("jobs timed out", extra={"job_ids": overdue})
        if time.monotonic() - self._last_retention >= _RETENTION_INTERVAL:
            self._last_retention = time.monotonic()
            purge_old_inputs(self.deps, self.retention_hours)
        for task in self.also_maintain:
            task()


class RQJobQueue:
    """Jobs go to Redis through RQ; worker processes (scripts/worker.py) run them.

    Worker processes can die at any moment (kill -9, a lost machine), so this side keeps the
    database honest: a job processing past JOB_TIMEOUT_SECONDS is queued again once, then failed
    with WORKER_LOST; a job still queued after a while is sent to Redis again (a claim is a
    conditional UPDATE, so a job sent twice still runs once).
    """

    def __init__(
        self,
        deps: PipelineDeps,
        *,
        redis_url: str,
        timeout_seconds: float,
        retention_hours: float,
        also_maintain: Sequence[Callable[[], None]] = (),
    ) -> None:
        self.deps = deps
        self.also_maintain = also_maintain
        self.timeout_seconds = timeout_seconds
        self.retention_hours = retention_hours
        self.queue = Queue(RQ_QUEUE_NAME, connection=Redis.from_url(redis_url))
        self._stopping = threading.Event()
        self._maintainer = threading.Thread(
            target=self._maintain_forever, name="tryon-maintenance", daemon=True
        )

    def start(self) -> None:
        self._maintainer.start()

    def submit(self, job_id: str) -> None:
        """Send the job to Redis; if Redis is briefly unreachable the maintenance loop sends it later."""
        try:
            self.queue.enqueue(
                RQ_TASK,
                job_id,
                job_id=f"{job_id}-{time.time_ns()}",
                job_timeout=self.timeout_seconds + 30,
                result_ttl=0,
                failure_ttl=24 * 3600,
            )
        except RedisError:
            log.warning("could not send job to Redis; it will be resent", extra={"job_id": job_id})

    def stop(self, wait: bool = True) -> None:
        self._stopping.set()
        if wait and self._maintainer.is_alive():
            self._maintainer.join(timeout=10)

    def _maintain_forever(self) -> None:
        last_retention = -math.inf  # the first maintenance pass purges, however long the machine has been up
        try:
            while not self._stopping.wait(_MAINTENANCE_INTERVAL):
                try:
                    self._maintain()
                    if time.monotonic() - last_retention >= _RETENTION_INTERVAL:
                        last_retention = time.monotonic()
                        purge_old_inputs(self.deps, self.retention_hours)
                    for task in self.also_maintain:
                        task()
                except Exception:
                    log.exception("try-on maintenance failed")
        finally:
            self.deps.db.close_thread_connection()

    def _maintain(self) -> None:
        requeued: list[str] = []
        if model.has_overdue(self.deps.db, self.timeout_seconds, UNWIND_GRACE_SECONDS):
            with self.deps.db.transaction():
                requeued, failed = model.recover_overdue(
                    self.deps.db, self.timeout_seconds, UNWIND_GRACE_SECONDS, MAX_ATTEMPTS
                )
                webhooks_service.jobs_ended(db=self.deps.db, job_ids=failed)
            if requeued or failed:
                log.warning("recovered overdue jobs", extra={"requeued": requeued, "failed": failed})
        for job_id in requeued + model.queued_before(self.deps.db, _RESUBMIT_AFTER_SECONDS):
            self.submit(job_id)


def purge_old_inputs(deps: PipelineDeps, retention_hours: float) -> None:
    """Delete the stored selfies/garments of jobs that finished more than retention_hours ago."""
    cutoff = clock.timestamp(seconds_from_now=-retention_hours * 3600)
    for row in model.finished_with_inputs_before(deps.db, cutoff):
        deps.storage.delete_prefix(input_prefix(row["user_id"], row["job_id"]))
        model.forget_inputs(deps.db, row["job_id"])


def input_prefix(user_id: str, job_id: str) -> str:

    return f"tryon-inputs/{user_id}/{job_id}/"

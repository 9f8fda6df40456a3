"""Try-on pipeline benchmark on the embedded default (SQLite, local disk, in-process workers).

    .venv/bin/python bench/bench_tryon.py [--delay 2.0] [--jobs 50] [--local-runs 5] [--app-dir CHECKOUT]
        [--distinct-photos] [--env NAME=VALUE ...] [--steps]

Starts the fake Gemini server (answering every generation after a fixed delay D with a ready-made 1K
PNG, so the fake does no image work on the shared cores) and a real API server (`python app.py`) on
loopback; the person photo shows the hips (no body is built) and the garment's type is sent (no
categoriser call). Measures, from the client's side:
  * 1 job alone and N jobs submitted at once: p50/p95 of (time − D), where time runs from the POST's
    acceptance to the job's `finished_at` (the job's own `timings.total_seconds`, so the polling
    interval does not blur it), i.e. the pipeline's overhead plus queueing;
  * N jobs: from the first POST to the last job's `finished_at`, ÷ D (1.0 would be perfect
    concurrency), and where the time above D goes: the POSTs (upload validation, re-encoding,
    storage, the job row), waiting for a worker, the pipeline before the model call, the model call
    beyond D (request encoding, the SDK), and saving the result; and the CPU time the server process used
    for them (on a shared machine the span moves with everyone's load, the CPU much less);
  * the burst's timeline as the fake saw it: when the first and the last model request had arrived whole
    (everything before the last one — all N POSTs, the workers' pickup, the request encoding — delays it),
    when the first and the last answer had been written, and from the last answer to the last finish;
  * the burst per job, seconds after the first POST (min, p50, p90, max and the job that finished last): POST sent,
    row stored (`created_at`), 202 read, claimed (`started_at`), model request whole and answer written (at the
    fake), finished (`finished_at`), and the client's poll that saw it done (the span to that poll is printed too:
    the clients poll every POLL_INTERVAL); and every 0.25 s the cores busy in the server, in this process (the
    clients and the fake) and in the whole machine, i.e. whether the last job waited for the cores;
  * the same single-job latency on the local model (no network), i.e. local compute + pipeline;
  * how fast the machine runs a fixed piece of work (thread CPU, before the server starts and after the
    burst): the same code's CPU per burst moves with it on a shared host, so figures of other days compare by it;
  * with --steps, the thread CPU of one model call's steps (40 calls, in a process of its own on the
    checkout's code, against a fake without delay): our image parts, the SDK turning the call into a request
    (pydantic models and their walk), base64 of the photos, json.dumps of the request, the HTTP exchange,
    json.loads and the pydantic model of the answer, and our reading of it; the C-level share (base64, JSON)
    against the Python-level walking is what these show.
--distinct-photos gives every job a person photo and a garment photo no other job sends (no photo is seen
twice: nothing to upload to the Files API, every request inline), against the default of one selfie and one
garment for every job (what a shopper trying garments on one selfie, or a popular garment, sends); the count
of model requests that named uploaded files, and of files uploaded, is printed. --env NAME=VALUE sets a
setting of the measured API server (e.g. GEMINI_UPLOAD_ON_USE=0 to measure this checkout without uploads).
--app-dir runs the API of another checkout (e.g. `git worktree add /tmp/before <commit>`) against the
same fake and client, to compare two versions on the same machine at the same moment.
"""

import argparse
import collections
import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLL_INTERVAL = 0.5  # seconds between a client's status polls, as an app would poll
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from tests.fakes.gemini_server import FakeGemini  # noqa: E402
from tests.helpers import app_environment  # noqa: E402
from tests.photos import cameraman_image, cameraman_png, decode, encode, t_shirt  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def multipart(fields):
    """A multipart body of (filename, PNG bytes) files and plain text fields."""
    boundary = "benchboundary"
    body = io.BytesIO()
    for name, value in fields.items():
        if isinstance(value, str):
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
            continue
        filename, data = value
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: image/png\r\n\r\n".encode()
        )
        body.write(data + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def call(base, method, path, body=None, token=None, content_type="application/json"):
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)


class Server:
    def __init__(self, env, app_dir=ROOT):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.dir = tempfile.mkdtemp(prefix="bench-tryon-")
        full_env = {
            **os.environ,
            **app_environment(
                self.dir,
                database="db.sqlite",
                **{
                    "PORT": self.port,
                    "HOST": "127.0.0.1",
                    "LOG_LEVEL": "WARNING",
                    "MAX_JOBS_PER_USER": 1000,
                    "MAX_QUEUE_SIZE": 1000,
                    **env,
                },
            ),
        }
        self.process = subprocess.Popen(
            [sys.executable, "app.py"],
            cwd=app_dir,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                call(self.base, "GET", "/health")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def stop(self):
        """Stop the server and remove its scratch folder (its database and images: ~60 MB a run)."""
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)

    def cpu_seconds(self):
        """CPU time the server process has used so far (user + system; Linux's /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_jobs(server, token, forms, seen=None):
    """One job per form submitted at once: (finished jobs, POST seconds of each, UTC moment of the first POST).
    With `seen` (a list), each job's client-side moments (time.time(): POST sent, 202 read, the poll that saw it
    done, polls made) are appended to it."""
    count = len(forms)
    bodies = [multipart(files) for files in forms]
    jobs, posts = [None] * count, [None] * count

    def one(i):
        body, content_type = bodies[i]
        sent, started = time.time(), time.perf_counter()
        job_id = call(server.base, "POST", "/api/tryon", body, token, content_type)["data"]["job_id"]
        posts[i] = time.perf_counter() - started
        accepted, polls = time.time(), 0
        while True:
            status = call(server.base, "GET", f"/api/job/{job_id}", token=token)["data"]
            polls += 1
            if status["status"] in ("done", "failed"):
                break
            time.sleep(POLL_INTERVAL)
        if status["status"] != "done":
            raise RuntimeError(f"job failed: {status['error']}")
        jobs[i] = status
        if seen is not None:
            seen.append(
                {
                    "job_id": job_id,
                    "sent": sent,
                    "accepted": accepted,
                    "done_seen": time.time(),
                    "polls": polls,
                }
            )

    first_post = datetime.now(UTC)
    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return jobs, posts, first_post


def breakdown(jobs, posts, first_post, delay):
    """Seconds from the first POST to the last finish, and medians of where each job's time went."""
    last = max(datetime.fromisoformat(job["finished_at"]) for job in jobs)
    parts = {
        "POST (validate, re-encode, store, insert)": posts,
        "waiting for a worker": [job["timings"]["queue_seconds"] for job in jobs],
    }
    if all(job.get("usage") for job in jobs):  # a version that records usage splits the processing time
        parts["model call beyond D"] = [job["usage"]["model_seconds"] - delay for job in jobs]
        parts["pipeline outside the model call"] = [
            job["timings"]["processing_seconds"] - job["usage"]["model_seconds"] for job in jobs
        ]
    else:
        parts["processing beyond D"] = [job["timings"]["processing_seconds"] - delay for job in jobs]
    return (last - first_post).total_seconds(), {
        name: statistics.median(values) for name, values in parts.items()
    }


def burst_timeline(requests, jobs, first_post):
    """Seconds after the first POST at which the fake had the first and the last model request whole and had
    written the first and the last answer, and from the last answer to the last finish."""
    start = first_post.timestamp()
    received = sorted(r["received_at"] - start for r in requests)
    answered = sorted(r["answered_at"] - start for r in requests)
    last = max(datetime.fromisoformat(job["finished_at"]).timestamp() for job in jobs) - start
    return {
        "first model request received": received[0],
        "last model request received": received[-1],
        "first answer written": answered[0],
        "last answer written": answered[-1],
        "last answer written to last finish": last - answered[-1],
    }


def job_timeline(seen, requests, jobs, first_post):
    """Per stage, seconds after the first POST (min, p50, p90, max, and the job that finished last): the client
    sent its POST, the server stored the job's row (uploads proven and written, admitted: `created_at`), the
    client read the 202, a worker claimed the job (`started_at`), the fake had its model request whole and had
    written its answer, the job ended (`finished_at`), and the client's poll saw it done. Model requests carry no
    job id: the n-th answer written is paired with the n-th job to finish (each job ends a few ms after its
    answer, so the last answer is the last job's)."""
    start = first_post.timestamp()
    by_id = {job["job_id"]: job for job in jobs}

    def moment(text):
        return datetime.fromisoformat(text).timestamp() - start

    rows = []
    for client in seen:
        job = by_id[client["job_id"]]
        rows.append(
            {
                "POST sent (client)": client["sent"] - start,
                "row stored (created_at)": moment(job["created_at"]),
                "202 read (client)": client["accepted"] - start,
                "claimed (started_at)": moment(job["started_at"]),
                "finished (finished_at)": moment(job["finished_at"]),
                "done seen by a poll (client)": client["done_seen"] - start,
                "polls": client["polls"],
            }
        )
    rows.sort(key=lambda row: row["finished (finished_at)"])
    for row, request in zip(rows, sorted(requests, key=lambda r: r["answered_at"])):
        row["model request whole (fake)"] = request["received_at"] - start
        row["answer written (fake)"] = request["answered_at"] - start
    order = [
        "POST sent (client)",
        "row stored (created_at)",
        "202 read (client)",
        "claimed (started_at)",
        "model request whole (fake)",
        "answer written (fake)",
        "finished (finished_at)",
        "done seen by a poll (client)",
        "polls",
    ]
    return {
        name: (*(percentile([row[name] for row in rows], q) for q in (0, 0.5, 0.9, 1)), rows[-1][name])
        for name in order
        if all(name in row for row in rows)
    }


def print_timeline(timeline):
    print("  per job, seconds after the first POST: min / p50 / p90 / max / the job that finished last")
    for name, values in timeline.items():
        print(f"    {name}: " + " / ".join(f"{value:.3f}" for value in values))


class CpuSampler:
    """Every `every` seconds during the burst: the server's CPU, this process's (the clients and the fake) and the
    whole machine's busy time (/proc/stat, all cores), so a timeline says whether the cores were the queue."""

    def __init__(self, server, every=0.25):
        self.server, self.every, self.samples = server, every, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self):
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        jiffies = [int(f) for f in fields]
        busy = (sum(jiffies) - jiffies[3] - jiffies[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait
        own = os.times()
        self.samples.append((time.time(), self.server.cpu_seconds(), own.user + own.system, busy))

    def _run(self):
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()

    def slots(self, start, until):
        """[(from, to, server cores, this process's cores, the machine's busy cores)] from `start` to `until`."""
        rows = []
        for before, after in zip(self.samples, self.samples[1:]):
            if after[0] - start > until + self.every:
                break
            wall = after[0] - before[0]
            rows.append(
                (
                    before[0] - start,
                    after[0] - start,
                    *((a - b) / wall for a, b in zip(after[1:], before[1:])),
                )
            )
        return rows


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def sign_up(server):
    body = {"email": f"bench{time.time_ns()}@example.com", "password": "bench-password-1"}
    return call(server.base, "POST", "/api/create-account", body)["data"]["token"]


# (module, attribute path, step) of the SDK and our code timed by --steps; a name a version lacks is left out.
STEPS = [
    ("shared.ai_models.gemini_model", "_image_part", "our image parts (header reads)"),
    ("google.genai.types", "_GenerateContentParameters", "SDK: the call as pydantic models"),
    ("google.genai.models", "_GenerateContentParameters_to_mldev", "SDK: request dict (walking the models)"),
    ("google.genai._common", "encode_unserializable_types", "SDK: base64 of the photos"),
    ("json", "dumps", "SDK: json.dumps of the request"),
    ("google.genai._api_client", "BaseApiClient.request", "SDK: HTTP exchange (json.dumps included)"),
    ("json", "loads", "SDK: json.loads of the answer"),
    ("google.genai.types", "GenerateContentResponse._from_response", "SDK: the answer as pydantic models"),
    ("shared.ai_models.gemini_model", "final_image", "our reading of the answer"),
]


def model_call_steps(ready_png, calls=40, named=False):
    """({step: thread CPU ms per call, the mean over `calls`}, the whole call's median ms) for one try-on model
    call in this process; with `named`, the photos are uploaded first and named by uri (the Files API)."""
    import importlib

    from shared.ai_models import GarmentInput

    spent, outermost = collections.defaultdict(float), set()
    caller = threading.get_ident()

    def timed(function, step):
        def wrapper(*args, **kwargs):
            # neither the fake's threads nor a call nested in one already timed
            if step in outermost or threading.get_ident() != caller:
                return function(*args, **kwargs)
            outermost.add(step)
            started = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[step] += time.thread_time() - started
                outermost.discard(step)

        return wrapper

    for module_name, path, step in STEPS:
        owner = importlib.import_module(module_name)
        *parents, name = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent, None)
        if hasattr(owner, name):
            setattr(owner, name, timed(getattr(owner, name), step))
    with FakeGemini("ok", image=ready_png) as fake, tempfile.TemporaryDirectory() as folder:
        model, uploads, call_options = _model_with_uploads(fake, Path(folder), named)
        person, garments, whole = cameraman_png(), [GarmentInput(t_shirt(), "top")], []
        for round_ in range(calls + 5):
            started = time.thread_time()
            model.try_on(person, garments, {}, **call_options)
            if round_ == 0 and uploads is not None:
                uploads.wait_for_uploads()
            if round_ == 4:  # warmed up
                spent.clear()
                whole.clear()
            else:
                whole.append(time.thread_time() - started)
        if named:
            assert all(request["file_uris"] for request in fake.requests[1:])
    per_call = {step: spent[step] / calls * 1000 for _, _, step in STEPS if step in spent}
    return per_call, statistics.median(whole) * 1000


def _model_with_uploads(fake, folder, named):
    """(model, its uploaded photos or None, what a try-on call passes) on the checkout's code: the record of uploads
    in the database of a user (this branch on) or in the GeminiClient (before it)."""
    import inspect

    from shared.ai_models.gemini_client import GeminiClient
    from shared.ai_models.gemini_model import GeminiImageModel

    names = [next(name for name in fake.models if "image" in name)]
    if "upload_on_use" in inspect.signature(GeminiClient).parameters:
        client = GeminiClient(
            api_key="bench", base_url=fake.base_url, **({"upload_on_use": 1} if named else {})
        )
        return GeminiImageModel(client=client, model_names=names), client.photos, {}
    from config import Settings
    from features.users import model as user_model
    from migrations import run_migrations
    from shared.ai_models.gemini_files import UploadedPhotos
    from shared.database import create_database

    client = GeminiClient(api_key="bench", base_url=fake.base_url)
    uploads = None
    if named:
        db = create_database(Settings.from_env(env={"DATABASE_PATH": str(folder / "bench.db")}))
        run_migrations(db)
        user_model.insert(db, userid="bench", email="bench@example.com", password_hash="-", profile={})
        uploads = UploadedPhotos(client.files, db=db, key_fingerprint=client.key_fingerprint, upload_on_use=1)
    model = GeminiImageModel(client=client, model_names=names, photos=uploads)
    return model, uploads, {"owner": "bench"}


def print_steps(app_dir, ready_png):
    """The model call's steps, measured in a child process that imports the checkout's code: the photos inline,
    and named by uri when the checkout uploads them (GeminiClient's upload_on_use)."""
    code = (
        # the checkout's own bench and code: this bench imports shared/ through tests/, so importing this one first
        # measured this checkout's SDK calls whatever the checkout
        "import sys; sys.path.insert(0, sys.argv[1]); import json, pathlib;"
        "from bench.bench_tryon import model_call_steps;"
        "named = sys.argv[4] == 'named';"
        "print(json.dumps(model_call_steps(pathlib.Path(sys.argv[3]).read_bytes(), named=named)))"
    )
    with tempfile.NamedTemporaryFile(suffix=".png") as answer:
        answer.write(ready_png)
        answer.flush()
        for mode in ("inline", "named"):
            finished = subprocess.run(
                [sys.executable, "-c", code, str(app_dir), str(ROOT), answer.name, mode],
                cwd=app_dir,
                capture_output=True,
                text=True,
            )
            if finished.returncode != 0:
                print(
                    f"one model call, photos {mode}: not measured ({finished.stderr.strip().splitlines()[-1]})"
                )
                continue
            per_call, whole = json.loads(finished.stdout.splitlines()[-1])
            print(
                f"one model call, photos {mode}, thread CPU (median of 40 calls): {whole:.2f} ms; its steps (mean per call):"
            )
            for step, milliseconds in per_call.items():
                print(f"  {step}: {milliseconds:.2f} ms")


def reference_cpu_ms(rounds=7):
    """Thread CPU (ms, median of `rounds`) of a fixed piece of work of the server's kinds (JSON both ways, pure
    Python loops): how fast this machine runs the same instructions right now. The burst's server CPU moves with
    it (a shared host, busy neighbours on the same cores), so CPU figures of other days compare by this ratio."""
    record = {
        "parts": [{"text": "x" * 100, "index": i, "share": i / 3, "flag": i % 2 == 0} for i in range(2000)]
    }
    spent = []
    for _ in range(rounds):
        started = time.thread_time()
        for _ in range(5):
            json.loads(json.dumps(record))
        sum(i * i for i in range(200_000))
        spent.append(time.thread_time() - started)
    return statistics.median(spent) * 1000


def job_forms(count, distinct):
    """`count` try-on forms: the same two photos each time (as a shopper trying garments on one selfie, or a
    popular garment), or with --distinct-photos a person photo and a garment photo no other job sends."""
    if not distinct:
        return [
            {
                "selfie": ("me.png", cameraman_png()),
                "garment_image": ("shirt.png", t_shirt()),
                "options": '{"garments": [{"type": "top"}]}',
            }
        ] * count
    forms = []
    for _ in range(count):
        forms.append(
            {
                "selfie": ("me.png", encode(marked(cameraman_image()))),
                "garment_image": ("shirt.png", encode(marked(decode(t_shirt())))),
                "options": '{"garments": [{"type": "top"}]}',
            }
        )
    return forms


_marks = iter(range(1, 1 << 30))


def marked(image):
    """The image with a 4 × 4 corner block set to a number of its own (a photo no other job sends)."""
    pixels = np.asarray(image).copy()
    number = next(_marks)
    pixels[:4, :4] = [(number >> 16) & 255, (number >> 8) & 255, number & 255]
    return Image.fromarray(pixels)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=2.0)
    parser.add_argument("--jobs", type=int, default=50)
    parser.add_argument("--local-runs", type=int, default=5)
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the checkout whose app.py is measured")
    parser.add_argument("--steps", action="store_true", help="also the thread CPU of a model call's steps")
    parser.add_argument(
        "--distinct-photos", action="store_true", help="every job sends photos no other job sends (no reuse)"
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting of the measured API server",
    )
    args = parser.parse_args()
    # The garment's type is given, so the only model call of a job is its generation (the one D measures).
    singles = [job_forms(1, args.distinct_photos) for _ in range(3)]
    burst = job_forms(args.jobs, args.distinct_photos)
    ready_png = encode(cameraman_image().resize((1024, 1024)))
    reference_before = reference_cpu_ms()

    with FakeGemini("ok", image=ready_png) as fake:
        fake.delay = args.delay
        server = Server(
            {
                "AI_PROVIDER": "gemini",
                "GEMINI_API_KEY": "bench",
                "GEMINI_BASE_URL": fake.base_url,
                "TRYON_WORKERS": str(max(args.jobs, 1)),
                "TRYON_DAILY_LIMIT": "0",
                **dict(setting.split("=", 1) for setting in args.env),
            },
            args.app_dir,
        )
        try:
            token = sign_up(server)
            single = [run_jobs(server, token, form)[0][0]["timings"]["total_seconds"] for form in singles]
            time.sleep(
                0.5
            )  # what the single jobs set going (an upload of their photos) ends before the burst
            uploads_before = len(fake.uploads)
            cpu_before = server.cpu_seconds()
            seen = []
            with CpuSampler(server) as sampler:
                many, posts, first_post = run_jobs(server, token, burst, seen)
            burst_cpu = server.cpu_seconds() - cpu_before
            burst_requests = [r for r in fake.requests if r["received_at"] >= first_post.timestamp()]
            burst_uploads = len(fake.uploads) - uploads_before
        finally:
            server.stop()
    reference_after = reference_cpu_ms()
    d = args.delay
    totals = [job["timings"]["total_seconds"] for job in many]
    span, parts = breakdown(many, posts, first_post, d)
    timeline = burst_timeline(burst_requests, many, first_post)
    per_job = job_timeline(seen, burst_requests, many, first_post)
    print(f"fake Gemini delay D = {d:.2f} s")
    print(f"1 job:   p50(time-D) = {statistics.median(single) - d:.3f} s over {len(single)} runs")
    print(
        f"{args.jobs} jobs: p50(time-D) = {percentile(totals, 0.5) - d:.3f} s, p95(time-D) = "
        f"{percentile(totals, 0.95) - d:.3f} s"
    )
    print(f"{args.jobs} jobs: first POST to last finish = {span:.2f} s = {span / d:.2f} x D")
    print(f"{args.jobs} jobs: server CPU = {burst_cpu:.2f} s (all threads; what other load cannot move)")
    print(
        f"machine: a fixed piece of work took {reference_before:.1f} ms of CPU before the server started, "
        f"{reference_after:.1f} ms after the burst (reference_cpu_ms: compare CPU figures of other days by it)"
    )
    for name, seconds in parts.items():
        print(f"  median {name}: {seconds:.3f} s")
    for name, seconds in timeline.items():
        print(f"  {name}: {seconds:.3f} s")
    done_seen = max(client["done_seen"] for client in seen) - first_post.timestamp()
    print(
        f"{args.jobs} jobs: first POST to the last poll that saw a job done = {done_seen:.2f} s = {done_seen / d:.2f} x D"
    )
    print_timeline(per_job)
    print(
        f"  cores busy (of {os.cpu_count()}), per slot after the first POST: server / this process (clients, fake) / machine"
    )
    for since, until, ours, own, machine in sampler.slots(
        first_post.timestamp(), per_job["finished (finished_at)"][3]
    ):
        print(f"    {since:5.2f}-{until:5.2f} s: {ours:.2f} / {own:.2f} / {machine:.2f}")
    named = sum(1 for r in burst_requests if r.get("file_uris"))
    print(
        f"  model requests naming uploaded files: {named} of {len(burst_requests)}; files uploaded "
        f"before the burst {uploads_before}, during it {burst_uploads}"
    )

    server = Server({"AI_PROVIDER": "local"}, args.app_dir)
    try:
        token = sign_up(server)
        local = [
            run_jobs(server, token, job_forms(1, args.distinct_photos))[0][0]["timings"]["total_seconds"]
            for _ in range(args.local_runs)
        ]
    finally:
        server.stop()
    print(f"local model, 1 job end to end: median {statistics.median(local):.3f} s over {len(local)} runs")
    if args.steps:
        print_steps(args.app_dir.resolve(), ready_png)


if __name__ == "__main__":
    main()

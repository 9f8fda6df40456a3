"""Gemini calls made in the helper process (shared/ai_models/gemini_calls.py), against the fake Gemini server:
the same answers and typed errors as a call made in the calling thread, many calls at once, and a helper that
dies fails only the calls it held."""

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from config import Settings
from shared.ai_models import GarmentInput, ImageModelError
from shared.ai_models.gemini_client import GeminiClient
from shared.ai_models.gemini_model import GeminiImageModel
from shared.ai_models.usage import UsageMeter, parse_prices
from tests import photos

MODEL_NAME = "gemini-3.1-flash-image"


def _model(gemini, *, in_helper=True, **options):
    client = GeminiClient(
        api_key="test-key",
        base_url=gemini.base_url,
        timeout_seconds=options.pop("timeout_seconds", 5),
        max_attempts=options.pop("max_attempts", 1),
        retry_delay_seconds=0.01,
        prices=parse_prices(Settings.GEMINI_PRICES),
        in_helper=in_helper,
    )
    return GeminiImageModel(client=client, model_names=[MODEL_NAME])


def _try_on(model, meter=None):
    return model.try_on(photos.astronaut_png(), [GarmentInput(photos.t_shirt(), "top", {})], {}, meter=meter)


def _helpers():
    """Process ids of this process's Gemini call helpers."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes()
        except (OSError, NotADirectoryError):
            continue
        if f"\nPPid:\t{os.getpid()}\n" in status and b"gemini_calls_worker" in command:
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("in_helper", [True, False])
def test_the_answer_and_its_usage_are_the_same_in_the_helper_and_in_the_calling_thread(gemini, in_helper):
    meter = UsageMeter(parse_prices(Settings.GEMINI_PRICES))
    result = photos.decode(_try_on(_model(gemini, in_helper=in_helper), meter))
    assert result.format == "PNG" and result.size == (1024, 1024)
    (request,) = gemini.requests
    assert request["images"] == [photos.astronaut_png(), photos.t_shirt()]
    usage = meter.as_dict()
    assert usage["model"] == MODEL_NAME and usage["calls"] == 1 and usage["output_tokens"] > 0


@pytest.mark.parametrize(
    "behaviour, params, code",
    [
        ("rate_limit", {"times": 5}, "RATE_LIMITED"),
        ("server_error", {}, "UPSTREAM_UNAVAILABLE"),
        ("error", {"status": 400, "reason": "INVALID_ARGUMENT"}, "UPSTREAM_REJECTED"),
        ("malformed", {}, "BAD_UPSTREAM_RESPONSE"),
        ("image_safety", {}, "CONTENT_BLOCKED"),
    ],
)
def test_a_failed_call_is_the_same_typed_error_in_the_helper_and_in_the_calling_thread(
    gemini, behaviour, params, code
):
    errors = []
    for in_helper in (True, False):
        gemini.set_behaviour(behaviour, **params)
        with pytest.raises(ImageModelError) as caught:
            _try_on(_model(gemini, in_helper=in_helper))
        errors.append(caught.value)
    in_helper, in_thread = errors
    assert (in_helper.code, in_helper.message, in_helper.details, in_helper.headers) == (
        in_thread.code,
        in_thread.message,
        in_thread.details,
        in_thread.headers,
    )
    assert in_helper.code == code


def test_calls_from_many_threads_wait_on_the_model_together(gemini):
    model = _model(gemini, timeout_seconds=300)
    _try_on(model)  # the helper is running
    gemini.set_behaviour("ok", image=photos.astronaut_png())
    gemini.delay = 300  # until released: a loaded machine may take long to send 20 photos
    with ThreadPoolExecutor(20) as pool:
        calls = [pool.submit(_try_on, model) for _ in range(20)]
        waited_until = time.monotonic() + 120
        while gemini.in_flight < 20 and time.monotonic() < waited_until:
            time.sleep(0.05)
        in_flight = gemini.in_flight  # every call waiting on the model at once
        gemini.release()
        results = [call.result() for call in calls]
    assert in_flight == 20
    assert results == [photos.astronaut_png()] * 20


def test_a_helper_that_dies_fails_the_calls_it_held_and_the_next_call_starts_another(gemini):
    model = _model(gemini)
    _try_on(model)
    (helper,) = _helpers()
    gemini.delay = 30
    outcome = {}

    def waiting_call():
        try:
            _try_on(model)
        except ImageModelError as error:
            outcome["error"] = error

    caller = threading.Thread(target=waiting_call)
    caller.start()
    while gemini.in_flight == 0:
        time.sleep(0.01)
    os.kill(helper, signal.SIGKILL)
    caller.join(timeout=10)
    gemini.release()
    assert not caller.is_alive()
    assert (outcome["error"].code, outcome["error"].status_code) == ("UPSTREAM_UNAVAILABLE", 502)
    gemini.delay = 0
    assert photos.decode(_try_on(model)).format == "PNG"
    assert _helpers() != [helper]

"""Images benchmark: phone-photo preprocessing and the local model, median of several runs.

    .venv/bin/python bench/bench_images.py [--runs 7]

Measures, in milliseconds (after one warm-up call each):
  * preprocess_image on a 12-megapixel (4032×3024) phone-quality JPEG to the stored avatar size
    (2048 px PNG) and to a 1024 px JPEG (decoded at reduced scale with Image.draft);
  * local background removal of a 1024×1024 photo of a person;
  * local try-on of one flat-lay top onto the same 1024×1024 photo;
  * four local try-ons at once on 4 threads (wall time for all four).
"""

import argparse
import platform
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared.ai_models import GarmentInput  # noqa: E402
from shared.ai_models.local_model import LocalImageModel  # noqa: E402
from shared.image_processing import preprocess_image  # noqa: E402
from tests.photos import astronaut_image, encode, t_shirt  # noqa: E402


def median_ms(call, runs):
    call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def phone_jpeg():
    """4032×3024 with sensor-like noise, so it does not compress like a flat drawing (a few MB at quality 90)."""
    photo = np.asarray(astronaut_image().resize((4032, 3024))).astype(np.float32)
    photo += np.random.default_rng(1).normal(0, 6, photo.shape)
    return encode(Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8)), "JPEG", quality=90)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    model = LocalImageModel()
    jpeg = phone_jpeg()
    person = encode(astronaut_image().resize((1024, 1024)))
    garments = [GarmentInput(t_shirt(), "top")]

    def four_try_ons():
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda _: model.try_on(person, garments, {}), range(4)))

    rows = [
        (
            f"preprocess 12 MP JPEG ({len(jpeg) / 1e6:.1f} MB) → 2048 px PNG",
            median_ms(lambda: preprocess_image(jpeg, max_dimension=2048), runs),
        ),
        (
            "preprocess 12 MP JPEG → 1024 px JPEG",
            median_ms(lambda: preprocess_image(jpeg, max_dimension=1024, target_format="JPEG"), runs),
        ),
        ("local background removal, 1024 px", median_ms(lambda: model.remove_background(person), runs)),
        ("local try-on (one top), 1024 px", median_ms(lambda: model.try_on(person, garments, {}), runs)),
        ("4 local try-ons on 4 threads, 1024 px (wall)", median_ms(four_try_ons, runs)),
    ]
    print(
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, median of {runs} runs"
    )
    print("| operation | median ms |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value:.0f} |")


if __name__ == "__main__":
    main()

"""Memory a try-on job spends on a shop's product image, by the limits it is read under.

    .venv/bin/python bench/bench_image_limits.py

Each case runs in a fresh Python process (peak RSS is per process; the image is made here and handed over
as a file) and prepares one downloaded image
the way features/tryon/pipeline.py does (preprocess_image to 1536 px): a 10000×10000 PNG of one colour
(about 300 KB) under the old limit (10000 px, decoded in full) and under the upload limit
(MAX_IMAGE_DIMENSION, refused from its header), and a 6000×5000 JPEG rendition under the upload limit
(decoded at 1/2 scale first). Reports how far the process's peak RSS rose above its peak before the
call (after the imports), and the time taken.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.shop_server import huge_image  # noqa: E402

CASE = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from config import Settings
from shared.errors import ApiError
from shared.image_processing import preprocess_image
from pathlib import Path
data = Path({path!r}).read_bytes()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    preprocess_image(data, max_dimension=1536, max_bytes=15 * 1024 * 1024, max_input_dimension={limit},
                     reduce_first={reduce_first})
    outcome = "prepared"
except ApiError as exc:
    outcome = exc.code
print(json.dumps({{"outcome": outcome, "ms": (time.perf_counter() - started) * 1000, "bytes": len(data),
                  "extra_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024}}))
"""

CASES = [
    ("10000×10000 PNG, old limit (10000 px, decoded in full)", 10000, 10000, "png", 10000, False),
    (
        "10000×10000 PNG, upload limit (MAX_IMAGE_DIMENSION)",
        10000,
        10000,
        "png",
        "Settings.MAX_IMAGE_DIMENSION",
        True,
    ),
    (
        "6000×5000 JPEG, upload limit, decoded at reduced scale",
        6000,
        5000,
        "jpeg",
        "Settings.MAX_IMAGE_DIMENSION",
        True,
    ),
]


def main():
    print("| image and limit | file KB | outcome | peak RSS rise MB | ms |")
    print("|---|---|---|---|---|")
    for label, width, height, image_format, limit, reduce_first in CASES:
        with tempfile.NamedTemporaryFile(suffix=f".{image_format}") as image:
            image.write(huge_image(width, height, image_format))
            image.flush()
            code = CASE.format(root=str(ROOT), path=image.name, limit=limit, reduce_first=reduce_first)
            result = json.loads(
                subprocess.run(
                    [sys.executable, "-W", "ignore", "-c", code],
                    check=True,
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                ).stdout
            )
        print(
            f"| {label} | {result['bytes'] // 1024} | {result['outcome']} | {result['extra_mb']:.0f} "
            f"| {result['ms']:.0f} |"
        )


if __name__ == "__main__":
    main()

"""The local model on real try-on photos: a contact sheet of every person × garment pair, and its speed.

    .venv/bin/python bench/bench_local_tryon.py --sheet /tmp/local-sheet.png \
        [--photos ../shared/fixtures/tryon-photos] [--runs 7]

The photos (people and garments from public try-on research datasets, with a manifest.json) are
non-commercial research data: the sheet is written outside the repository and the command refuses
a path inside it. Garments photographed flat get the type the local model reads from their outline
(as an upload without a type does); garments worn by a model get the manifest's type (as a client
says which garment of that photo it means). Pairs whose body part the photo does not show fail at
once with their code, which is printed.

Speed: the median of --runs try-ons of one garment onto one 1024-px person photo, twice: "cold" reads
the garment photo afresh every time (cut-out, outline, pose of a model), "warm" finds it already read,
as in a job, where the pipeline reads the photo for its type before the model runs.
"""

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared.ai_models import (  # noqa: E402
    GarmentInput,
    ImageModelError,
    garment_photo,  # noqa: E402
)
from shared.ai_models.local_model import LocalImageModel  # noqa: E402

TILE = (160, 213)
COLUMNS = 9


def bench_type(garment: dict, image: bytes) -> str:
    """The type a bench sends a garment with, as tryon_placement.py does: its own for one worn by a model (that photo
    shows several garments), none for a flat-lay (read from its silhouette)."""
    if garment["photo_type"] == "on-model":
        return str(garment["garment_type"])
    return garment_photo.read_garment_photo(image).detected_type


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sheet", required=True, help="PNG to write, outside the repository")
    parser.add_argument("--photos", default=str(ROOT.parent / "shared" / "fixtures" / "tryon-photos"))
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    sheet_path = Path(arguments.sheet).resolve()
    if ROOT in sheet_path.parents:
        sys.exit("the sheet holds non-commercial research photos: write it outside the repository")
    photos = Path(arguments.photos)
    manifest = json.loads((photos / "manifest.json").read_text())
    people = [item for item in manifest if item["kind"] == "person"]
    garments = [item for item in manifest if item["kind"] == "garment"]
    model = LocalImageModel()
    tiles, seconds = [], []
    for garment in garments:
        image = (photos / garment["file"]).read_bytes()
        kind = bench_type(garment, image)
        for person in people:
            started = time.perf_counter()
            try:
                result = model.try_on((photos / person["file"]).read_bytes(), [GarmentInput(image, kind)], {})
            except ImageModelError as error:
                print(f"{garment['file']} on {person['file']}: {error.code}")
                continue
            seconds.append(time.perf_counter() - started)
            tile = Image.open(io.BytesIO(result)).convert("RGB")
            tile.thumbnail(TILE)
            tiles.append(tile)
    sheet = Image.new("RGB", (TILE[0] * COLUMNS, TILE[1] * -(-len(tiles) // COLUMNS)), "white")
    for index, tile in enumerate(tiles):
        sheet.paste(tile, ((index % COLUMNS) * TILE[0], (index // COLUMNS) * TILE[1]))
    sheet.save(sheet_path)
    print(f"{len(tiles)} try-ons, rows of {COLUMNS} people per garment: {sheet_path}")
    print(f"median {statistics.median(seconds) * 1000:.0f} ms per pair as photographed (768×1024 mostly)")
    person, garment = _speed_inputs(photos, people, garments)
    for label, cold in (("cold", True), ("warm", False)):
        wall, cpu = _median_ms(model, person, garment, arguments.runs, cold)
        print(
            f"one 1024-px try-on, {label}, median of {arguments.runs}: {wall:.0f} ms wall, {cpu:.0f} ms CPU"
        )


def _speed_inputs(photos, people, garments):
    """The first person scaled to 1024 px on its long side, and the first garment photographed flat."""
    person = Image.open(photos / people[0]["file"]).convert("RGB")
    scale = 1024 / max(person.size)
    person = person.resize((round(person.width * scale), round(person.height * scale)))
    buffer = io.BytesIO()
    person.save(buffer, "PNG")
    flat = next(item for item in garments if item["photo_type"] == "flat-lay")
    image = (photos / flat["file"]).read_bytes()
    return buffer.getvalue(), GarmentInput(image, garment_photo.read_garment_photo(image).detected_type)


def _median_ms(model, person, garment, runs, cold):
    """Median wall and CPU milliseconds (CPU time tells the cost when other work shares the cores)."""
    model.try_on(person, [garment], {})
    wall, cpu = [], []
    for _ in range(runs):
        if cold:
            garment_photo.read_garment_photo.forget()
        started, used = time.perf_counter(), time.process_time()
        model.try_on(person, [garment], {})
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return statistics.median(wall), statistics.median(cpu)


if __name__ == "__main__":
    main()

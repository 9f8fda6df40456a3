"""Where a try-on leaves a garment's body region unchanged, by kind: what placement could still cover, and what it must not.

    .venv/bin/python bench/bench_coverage_split.py [--photos ../shared/fixtures/tryon-photos] [--only top] \
        [--json /tmp/split.json]

Runs every person × garment pair of the try-on photos (body-region boxes judged by eye in manifest.json) through the
local model in this process, with the types bench_local_tryon.py gives them, and counts a pixel as changed as
tryon_placement.py does (its RGB moved by more than 90 in total), so a pair's "changed" share of its box is the tool's
coverage. The rest of the box is split by the model's own masks after dressing (read by wrapping the dressing's last
step, nothing else altered):
- same colour: the new garment is drawn there, within 90 RGB of the clothes it replaced (the tool cannot count it);
- arms bare / arms clothed: the person's arms and hands, kept in front of the garment (clothed: not of the skin's
  colour there, e.g. an old sleeve a shorter new one left, or an arm's own shaded edge);
- head: face and hair inside the box;
- background: no person there (the box is a rectangle);
- above / below / beside: person pixels the new garment's outline does not reach, above its top row (a collar placed
  low), below its lowest row (too short, or a cropped garment), beside it between those rows (too narrow);
- what those person pixels are (the same pixels again, by what shows there): skin (bare shoulders beside a sleeveless
  top, a midriff painted or bare), the old top (the model's own reading of the person's top: what a new top should
  have covered or replaced), or other clothing (the bottoms below the waist, inside a box that runs to the hips).
Prints each pair and, per garment type, the median coverage and the mean share of each kind. Photos the model crops
(a small person in a big frame) are left out of the split. The photos are non-commercial research data:
nothing is written inside the repository.
"""

import argparse
import io
import json
import statistics
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_local_tryon import bench_type  # noqa: E402
from shared.ai_models import (  # noqa: E402
    GarmentInput,
    ImageModelError,
    local_model,  # noqa: E402
)

REGION = {"top": "torso_box", "outerwear": "torso_box", "bottom": "legs_box", "one_piece": "dress_box"}
KINDS = (
    "changed",
    "same_colour",
    "arms_bare",
    "arms_clothed",
    "head",
    "background",
    "above",
    "below",
    "beside",
    "left_skin",
    "left_top",
    "left_other",
)
CHANGED = 90  # tryon_placement.py: a pixel changed when its RGB moved by more than this in total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", default=str(ROOT.parent / "shared" / "fixtures" / "tryon-photos"))
    parser.add_argument("--only", help="one garment type")
    parser.add_argument("--json", help="file (outside the repository) for every pair's split")
    arguments = parser.parse_args()
    if arguments.json and ROOT in Path(arguments.json).resolve().parents:
        sys.exit("the split names research photos: write it outside the repository")
    photos = Path(arguments.photos)
    manifest = json.loads((photos / "manifest.json").read_text())
    people = [item for item in manifest if item["kind"] == "person"]
    garments = [
        item
        for item in manifest
        if item["kind"] == "garment" and arguments.only in (None, item["garment_type"])
    ]
    dressed = _watch_the_dressing()
    model = local_model.LocalImageModel()
    pairs = []
    for garment in garments:
        image = (photos / garment["file"]).read_bytes()
        kind = bench_type(garment, image)
        region = REGION.get(garment["garment_type"])
        for person in people:
            box = person.get(region) if region else None
            if box is None:
                continue
            photo_bytes = (photos / person["file"]).read_bytes()
            try:
                result = model.try_on(photo_bytes, [GarmentInput(image, kind)], {})
            except ImageModelError as error:
                print(f"{garment['file']} on {person['file']}: {error.code}")
                continue
            photo = np.asarray(Image.open(io.BytesIO(photo_bytes)).convert("RGB"), np.int32)
            after = np.asarray(Image.open(io.BytesIO(result)).convert("RGB"), np.int32)
            dressing = dressed[-1]
            if after.shape != photo.shape or dressing.coverage.shape != photo.shape[:2]:
                print(f"{garment['file']} on {person['file']}: framed by the model, not split")
                continue
            split = _split(np.abs(after - photo).sum(axis=2) > CHANGED, box, dressing)
            pairs.append(
                {"person": person["file"], "garment": garment["file"], "type": garment["garment_type"]}
                | split
            )
            print(f"{Path(person['file']).stem[:12]:12} {Path(garment['file']).stem[:24]:24} " + _row(split))
    for garment_type in dict.fromkeys(pair["type"] for pair in pairs):
        of_type = [pair for pair in pairs if pair["type"] == garment_type]
        median = statistics.median(pair["changed"] for pair in of_type)
        means = {kind: statistics.mean(pair[kind] for pair in of_type) for kind in KINDS}
        print(
            f"{garment_type}: {len(of_type)} pairs, coverage median {median:.3f}; mean share of the box: "
            + _row(means)
        )
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(pairs, indent=1))


def _watch_the_dressing():
    """Every dressing the model finishes, in order (wraps its last step; the result is the model's own)."""
    finished = []
    finish = local_model._Dressing.finish

    def watched(dressing):
        finished.append(dressing)
        return finish(dressing)

    local_model._Dressing.finish = watched
    return finished


def _split(changed, box, dressing):
    """The box's shares (see the module's docstring)."""
    height, width = changed.shape
    x0, y0, x1, y1 = box
    inside = np.zeros(changed.shape, bool)
    inside[max(0, y0) : y1, max(0, x0) : x1] = True
    regions = dressing.regions

    def full(mask):
        return cv2.resize(mask.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR) > 0.5

    drawn = dressing.coverage > 0.5
    uncovered = cv2.resize(dressing.coverage, regions.shape[::-1], interpolation=cv2.INTER_AREA) < 0.5
    old_top = full(dressing._old_top(uncovered) > 0.5)
    person, skin, head = full(regions.person), full(regions.skin), full(regions.head)
    arms = full(np.clip(regions.arms + regions.hands, 0, 1))
    rows = np.nonzero(drawn.any(axis=1))[0]
    top, bottom = (rows.min(), rows.max()) if len(rows) else (height, -1)
    row = np.arange(height)[:, None]
    kept = inside & ~changed
    left = kept & ~drawn
    body = left & ~arms & ~head & person
    counts = {
        "changed": inside & changed,
        "same_colour": kept & drawn,
        "arms_bare": left & arms & skin,
        "arms_clothed": left & arms & ~skin,
        "head": left & head & ~arms,
        "background": left & ~arms & ~head & ~person,
        "above": body & (row < top),
        "below": body & (row > bottom),
        "beside": body & (row >= top) & (row <= bottom),
        "left_skin": body & skin,
        "left_top": body & ~skin & old_top,
        "left_other": body & ~skin & ~old_top,
    }
    return {kind: float(mask.sum() / inside.sum()) for kind, mask in counts.items()}


def _row(shares):
    return " ".join(f"{kind} {shares[kind]:.3f}" for kind in KINDS)


if __name__ == "__main__":
    main()

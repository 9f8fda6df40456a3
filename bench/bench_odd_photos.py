"""What a shopper's odd photo gets: the try-on photos transformed as shoppers' photos come, through a server's API.

    .venv/bin/python bench/bench_odd_photos.py http://127.0.0.1:8000 --out /tmp/odd \
        [--photos ../shared/fixtures/tryon-photos] [--people p01,p05,p10] [--garments g02,g07,g12,g10] [--only T,...]

Writes the odd corpus under --out (outside the repository: the photos are non-commercial research data):
each person photo cropped (head and shoulders, waist up, chest down, legs only, at the frame's edge), small in
a 3x frame, in a very tall and a very wide frame, turned 90 and 180 degrees in its pixels, stored turned with
each EXIF orientation 2-8 that stands it up again (what a phone sends), mirrored, beside another person, grey,
dark (x0.25), burnt out, JPEG quality 10, 200 px; each garment photo turned 90 degrees, small in a 3x white
frame, in front of a busy room (a wall, a window, a clothes rail, a plant, a wooden floor), cut off, beside another
garment, under a price tag and a text, grey; turned 270 degrees; on a wooden table, a tiled floor and a bed sheet; on
a wire hanger (hook, neck and shoulders); trousers and skirts on a clip hanger (a bar across the waistband, two clips,
the hook); on a dress form (a neck above, a stand below). Every person
transform meets every garment of --garments, every garment transform every person of --people, through
POST /api/tryon as ../shared/tools/tryon_placement.py sends it (whose client code this reuses). Each pair is
done-right (of what changed, at least 0.7 in the garment's body region, the boxes of the manifest carried
through the transform; the head at most 5% changed; at least 0.25 of the region covered), done-wrong, a typed
refusal (a code a shopper can act on) or a 5xx / internal failure. Prints a table per transform, writes
pairs.json and a contact sheet (sheet.png: every pair, labelled) under --out.
"""

import argparse
import io
import json
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import requests
from PIL import Image, ImageDraw, ImageFont, ImageOps

ROOT = Path(__file__).resolve().parents[1]
REFUSALS = {
    "BODY_PART_NOT_VISIBLE",
    "NEEDS_FULL_BODY_PHOTO",
    "NO_PERSON_DETECTED",
    "NO_POSE_DETECTED",
    "MULTIPLE_PEOPLE",
    "INVALID_GARMENT_IMAGE",
    "NEEDS_PLAIN_BACKGROUND",
    "IMAGE_TOO_LARGE",
}
BOXES = ("torso_box", "legs_box", "dress_box", "head_box")
# EXIF orientation n: the stored pixels are the upright picture under the inverse of what n asks a viewer to do.
STORED_FOR = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}
TILE = (200, 260)
COLUMNS = 11


def background(array):
    corners = np.concatenate([array[:8, :8].reshape(-1, 3), array[:8, -8:].reshape(-1, 3)])
    return tuple(int(value) for value in np.median(corners, axis=0))


def crop(image, boxes, x0, y0, x1, y1):
    """The image cropped; a box with less than a fifth of it left in view is gone (None)."""
    width, height = image.size
    x0, y0, x1, y1 = max(0, int(x0)), max(0, int(y0)), min(width, int(x1)), min(height, int(y1))
    kept = {}
    for name, box in boxes.items():
        if box is None:
            kept[name] = None
            continue
        bx0, by0 = max(box[0], x0) - x0, max(box[1], y0) - y0
        bx1, by1 = min(box[2], x1) - x0, min(box[3], y1) - y0
        visible = (
            bx1 > bx0
            and by1 > by0
            and (bx1 - bx0) * (by1 - by0) >= 0.2 * (box[2] - box[0]) * (box[3] - box[1])
        )
        kept[name] = [bx0, by0, bx1, by1] if visible else None
    return image.crop((x0, y0, x1, y1)), kept


def pad(image, boxes, left, top, right, bottom):
    width, height = image.size
    canvas = Image.new("RGB", (width + left + right, height + top + bottom), background(np.asarray(image)))
    canvas.paste(image, (left, top))
    moved = {
        n: None if b is None else [b[0] + left, b[1] + top, b[2] + left, b[3] + top] for n, b in boxes.items()
    }
    return canvas, moved


def turned_box(box, width, height, turns):
    """A box of a width x height image, turned counter-clockwise by `turns` quarter turns."""
    if box is None:
        return None
    x0, y0, x1, y1 = box
    for _ in range(turns % 4):
        x0, y0, x1, y1 = y0, width - x1, y1, width - x0
        width, height = height, width
    return [x0, y0, x1, y1]


def jpeg(image, quality=92, exif=None):
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality, **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


def person_transforms(image, boxes, other):
    width, height = image.size
    torso = boxes["torso_box"]
    torso_height = torso[3] - torso[1]
    waist = (boxes["legs_box"] or [0, torso[3] - 0.1 * torso_height])[1]
    dress = boxes["dress_box"]
    edge, edge_boxes = crop(image, boxes, dress[0] - 4, 0, width, height)
    pixels = np.asarray(image).astype(np.float32)
    made = {
        "head_shoulders": crop(image, boxes, 0, 0, width, torso[1] + 0.3 * torso_height),
        "waist_up": crop(image, boxes, 0, 0, width, waist + 0.05 * torso_height),
        "chest_down": crop(image, boxes, 0, torso[1] + 0.3 * torso_height, width, height),
        "legs_only": crop(image, boxes, 0, torso[3] + 0.05 * torso_height, width, height),
        "at_edge": pad(edge, edge_boxes, 0, 0, width, 0),
        "small_in_big": pad(image, boxes, width, height, width, height),
        "tall_narrow": pad(image, boxes, 0, (4 * width - height) // 2, 0, (4 * width - height) // 2),
        "wide": pad(image, boxes, (4 * height - width) // 2, 0, (4 * height - width) // 2, 0),
        "rot90": (
            image.rotate(90, expand=True),
            {n: turned_box(b, width, height, 1) for n, b in boxes.items()},
        ),
        "rot180": (
            image.rotate(180, expand=True),
            {n: turned_box(b, width, height, 2) for n, b in boxes.items()},
        ),
        "mirrored": (
            ImageOps.mirror(image),
            {n: None if b is None else [width - b[2], b[1], width - b[0], b[3]] for n, b in boxes.items()},
        ),
        "grayscale": (ImageOps.grayscale(image).convert("RGB"), boxes),
        "dark": (Image.fromarray((pixels * 0.25).astype(np.uint8)), boxes),
        "overexposed": (Image.fromarray(np.clip(pixels * 1.9 + 40, 0, 255).astype(np.uint8)), boxes),
    }
    two = Image.new("RGB", (2 * width, height))
    two.paste(image, (0, 0))
    two.paste(other.resize((width, height)), (width, 0))
    made["two_people"] = (two, boxes)
    scale = 200 / max(width, height)
    made["small200"] = (
        image.resize((round(width * scale), round(height * scale)), Image.LANCZOS),
        {n: None if b is None else [round(v * scale) for v in b] for n, b in boxes.items()},
    )
    sent = {name: (jpeg(picture), moved) for name, (picture, moved) in made.items()}
    sent["jpeg_q10"] = (jpeg(image, 10), boxes)
    for orientation, transpose in STORED_FOR.items():
        exif = Image.Exif()
        exif[0x0112] = orientation
        sent[f"exif{orientation}"] = (jpeg(image.transpose(transpose), exif=exif.tobytes()), boxes)
    return sent


def garment_transforms(image, other, flat, kind):
    width, height = image.size
    pixels = np.asarray(image)
    frame = Image.new("RGB", (3 * width, 3 * height), (255, 255, 255))
    frame.paste(image, (width, height))
    # What differs from the background in colour or texture, or is an edge: a white knit on white differs in its
    # ribs and its faint outline, not in colour (without them its white parts were holes the new surface showed in).
    grey = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY).astype(np.float32)
    mean = cv2.blur(grey, (7, 7))
    contrast = np.sqrt(np.maximum(cv2.blur(grey * grey, (7, 7)) - mean * mean, 0))
    garment = (np.abs(pixels.astype(np.float32) - np.array(background(pixels))).sum(axis=2) > 40) | (
        contrast > 3
    )
    garment = cv2.morphologyEx(garment.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    garment |= (cv2.Canny(cv2.GaussianBlur(grey.astype(np.uint8), (0, 0), 1.0), 8, 20) > 0).astype(np.uint8)
    garment = cv2.morphologyEx(garment, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    # A garment's parts of the background's colour (a white knit on white) inside its outline are garment.
    outlines, _ = cv2.findContours(garment, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    garment = cv2.drawContours(np.zeros_like(garment), outlines, -1, 1, cv2.FILLED)
    garment = cv2.erode(garment, np.ones((5, 5), np.uint8)).astype(bool)  # no fringe of the old background
    busy = np.where(garment[..., None], pixels, _room(height, width)).astype(np.uint8)
    two = Image.new("RGB", (2 * width, height))
    two.paste(image, (0, 0))
    two.paste(other.resize((width, height)), (width, 0))
    tagged = image.copy()
    draw = ImageDraw.Draw(tagged)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", max(24, width // 12))
    except OSError:
        font = ImageFont.load_default()
    draw.rectangle(
        (int(width * 0.62), int(height * 0.04), int(width * 0.97), int(height * 0.16)), fill=(220, 20, 30)
    )
    draw.text((int(width * 0.65), int(height * 0.06)), "-50% 19.99", fill=(255, 255, 255), font=font)
    draw.text((int(width * 0.05), int(height * 0.9)), "NEW SEASON", fill=(20, 20, 20), font=font)
    made = {
        "g_rot90": image.rotate(90, expand=True),
        "g_rot270": image.rotate(270, expand=True),
        "g_wood": Image.fromarray(
            np.where(garment[..., None], pixels, _wood(height, width)).astype(np.uint8)
        ),
        "g_floor": Image.fromarray(
            np.where(garment[..., None], pixels, _tiles(height, width)).astype(np.uint8)
        ),
        "g_bed": Image.fromarray(
            np.where(garment[..., None], pixels, _sheet(height, width)).astype(np.uint8)
        ),
        "g_hanger": _on_hanger(image, garment),
        "g_clip_hanger": _on_clip_hanger(image, garment),
        "g_mannequin": _on_mannequin(image, garment),
        "g_small_in_big": frame,
        "g_busy_bg": Image.fromarray(busy),
        "g_cut_off": image.crop((0, 0, width, int(height * 0.7))),
        "g_two_side_by_side": two,
        "g_price_tag": tagged,
        "g_grayscale": ImageOps.grayscale(image).convert("RGB"),
    }
    if not flat:  # a garment worn by a model hangs on no hanger or dress form
        del made["g_hanger"], made["g_clip_hanger"], made["g_mannequin"]
    elif kind != "bottom":  # hung by the waistband: trousers, skirts
        del made["g_clip_hanger"]
    return {name: jpeg(picture) for name, picture in made.items()}


def _wood(height, width):
    """A wooden table top: brown planks along the width, grain lines waving along them, darker seams."""
    rows, columns = np.mgrid[0:height, 0:width].astype(np.float32)
    plank = (rows // max(40, height // 7)).astype(int)
    grain = np.sin((rows + 6 * np.sin(columns / 45.0 + plank)) / 2.5 + plank * 1.7)
    shade = 1 + 0.12 * grain + 0.06 * np.sin(columns / 90.0 + plank * 2.3)
    wood = np.array([150, 105, 65], np.float32)[None, None] * shade[..., None]
    wood[(rows % max(40, height // 7)) < 3] *= 0.55
    return np.clip(wood + np.random.default_rng(3).normal(0, 5, wood.shape), 0, 255)


def _tiles(height, width):
    """A tiled floor: a regular grid of grey-beige stone tiles of slightly different shades, each mottled and
    speckled like stone, between thin straight grout lines (3 px) that run through the whole photo."""
    rows, columns = np.mgrid[0:height, 0:width]
    size = max(60, width // 6)
    rng = np.random.default_rng(5)
    shades = rng.uniform(0.88, 1.08, (height // size + 2, width // size + 2))
    mottle = cv2.GaussianBlur(rng.normal(0, 1, (height, width)).astype(np.float32), (0, 0), 6)
    mottle *= 0.035 / max(float(mottle.std()), 1e-6)
    speckle = rng.normal(0, 7, (height, width, 3)) * (rng.random((height, width)) < 0.05)[..., None]
    floor = (
        np.array([185, 175, 160], np.float32)[None, None]
        * (shades[rows // size, columns // size] + mottle)[..., None]
    )
    floor[((rows % size) < 3) | ((columns % size) < 3)] = (120, 115, 108)
    return np.clip(floor + speckle + rng.normal(0, 4, floor.shape), 0, 255)


def _room(height, width):
    """A busy background: a room behind the garment. A warm wall with a window, a clothes rail hung with other
    garments, a potted plant of many leaves, a wooden floor below; soft light across it, a little noise."""
    rng = np.random.default_rng(7)
    rows, columns = np.mgrid[0:height, 0:width].astype(np.float32)
    room = np.empty((height, width, 3), np.float32)
    floor_line = int(0.7 * height)
    room[:] = np.array([214, 196, 170], np.float32)
    room[floor_line:] = _wood(height - floor_line, width)
    canvas = Image.fromarray(np.clip(room, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(canvas)
    window = (int(0.55 * width), int(0.05 * height), int(0.95 * width), int(0.4 * height))
    draw.rectangle(window, fill=(236, 242, 248), outline=(245, 245, 240), width=max(4, width // 60))
    draw.line(
        [((window[0] + window[2]) // 2, window[1]), ((window[0] + window[2]) // 2, window[3])],
        fill=(245, 245, 240),
        width=max(4, width // 80),
    )
    rail = int(0.12 * height)
    draw.line([(0, rail), (int(0.45 * width), rail)], fill=(60, 60, 64), width=max(4, width // 120))
    for position in range(6):
        x = int((0.02 + 0.075 * position) * width)
        colour = tuple(int(value) for value in rng.integers(30, 230, 3))
        drop = int(rng.uniform(0.3, 0.5) * height)
        draw.polygon(
            [
                (x, rail),
                (x + width // 16, rail),
                (x + width // 13, rail + drop),
                (x - width // 80, rail + drop),
            ],
            fill=colour,
        )
    pot = (int(0.72 * width), int(0.52 * height), int(0.9 * width), floor_line + int(0.05 * height))
    draw.rectangle(pot, fill=(170, 90, 60))
    for _ in range(60):
        cx = rng.normal((pot[0] + pot[2]) / 2, 0.09 * width)
        cy = rng.uniform(0.2 * height, pot[1])
        leaf = (int(cx - width / 40), int(cy - height / 70), int(cx + width / 40), int(cy + height / 70))
        draw.ellipse(
            leaf, fill=(int(rng.integers(30, 80)), int(rng.integers(100, 170)), int(rng.integers(30, 80)))
        )
    room = np.asarray(canvas).astype(np.float32) * (0.85 + 0.2 * (columns / width))[..., None]
    return np.clip(room + rng.normal(0, 3, room.shape), 0, 255)


def _sheet(height, width):
    """A bed: a light blue-grey sheet in soft folds (slow shading across it) with a fine weave."""
    rows, columns = np.mgrid[0:height, 0:width].astype(np.float32)
    folds = 0.1 * np.sin(columns / 37.0 + rows / 90.0) + 0.07 * np.sin(rows / 23.0 - columns / 140.0)
    weave = 4 * np.sin(columns * 1.3) * np.sin(rows * 1.3)
    sheet = np.array([200, 208, 222], np.float32)[None, None] * (1 + folds)[..., None] + weave[..., None]
    return np.clip(sheet + np.random.default_rng(9).normal(0, 4, sheet.shape), 0, 255)


def _top_middle(garment):
    """(x, y) of the middle of the garment's top edge: the collar, or a waistband."""
    rows, columns = np.nonzero(garment)
    top = rows.min()
    upper = columns[rows < top + max(4, (rows.max() - top) // 12)]
    return int((upper.min() + upper.max()) / 2), int(top)


_WIRE = (60, 60, 65)


def _hook(draw, x, y, size, line):
    """A hanger's hook on its neck at (x, y): a stem rising `size`, curving over to one side and down (a question
    mark's top), one stroke with the neck."""
    stem = y - size
    radius = max(4, size // 3)
    draw.line([(x, y), (x, stem)], fill=_WIRE, width=line)
    box = [x, stem - radius, x + 2 * radius, stem + radius]
    draw.arc(box, 180, 360, fill=_WIRE, width=line)
    draw.arc(box, 0, 50, fill=_WIRE, width=line)


def _on_hanger(image, garment):
    """The garment hanging from a dark wire hanger: its hook and twisted neck rising above the collar or waistband,
    its shoulders sloping down from the neck (hidden where the garment covers them), the frame raised to show it."""
    width, height = image.size
    rise = height // 4
    canvas = Image.new("RGB", (width, height + rise), background(np.asarray(image)))
    canvas.paste(image, (0, rise))
    x, y = _top_middle(garment)
    y += rise
    span = (np.nonzero(garment.any(axis=0))[0][[0, -1]]).tolist()
    draw = ImageDraw.Draw(canvas)
    line = max(3, width // 150)
    reach = int(0.35 * (span[1] - span[0]))
    neck = y - rise // 3
    draw.line([(x - reach, y + rise // 5), (x, neck), (x + reach, y + rise // 5)], fill=_WIRE, width=line)
    # the garment hides the hanger's shoulders: paste the garment back over them
    canvas.paste(image, (0, rise), Image.fromarray((garment * 255).astype(np.uint8)))
    draw = ImageDraw.Draw(canvas)
    draw.line([(x, neck), (x, y + 2)], fill=_WIRE, width=line)
    _hook(draw, x, neck, rise // 3, line)
    return canvas


def _on_clip_hanger(image, garment):
    """The garment (trousers, a skirt) hung by its waistband from a clip hanger: a straight dark bar a little wider
    than the waistband just above it, a clip over the waistband near either end, the hook rising from the bar's
    middle."""
    width, height = image.size
    rise = height // 5
    canvas = Image.new("RGB", (width, height + rise), background(np.asarray(image)))
    canvas.paste(image, (0, rise))
    x, y = _top_middle(garment)
    y += rise
    rows, columns = np.nonzero(garment)
    upper = columns[rows < rows.min() + max(4, (rows.max() - rows.min()) // 40)]
    left, right = int(upper.min()), int(upper.max())
    line = max(3, width // 150)
    bar = y - rise // 6
    overhang = (right - left) // 10
    draw = ImageDraw.Draw(canvas)
    draw.line([(left - overhang, bar), (right + overhang, bar)], fill=_WIRE, width=line + 2)
    clip = max(8, (right - left) // 14)
    for end in (left + clip, right - clip):
        draw.line([(end, bar), (end, y)], fill=_WIRE, width=line)
        draw.rectangle([end - clip // 2, y - clip // 3, end + clip // 2, y + clip], fill=(45, 45, 50))
    _hook(draw, x, bar, rise // 2, line)
    return canvas


def _on_mannequin(image, garment):
    """The garment on a dress form: a beige neck above its collar (to the frame's top) and a black stand below its
    hem down to a round base."""
    width, height = image.size
    rise, drop = height // 5, height // 4
    canvas = Image.new("RGB", (width, height + rise + drop), background(np.asarray(image)))
    x, y = _top_middle(garment)
    rows = np.nonzero(garment.any(axis=1))[0]
    span = np.nonzero(garment.any(axis=0))[0]
    neck = int(0.14 * (span[-1] - span[0]))
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle([x - neck, 0, x + neck, y + rise + neck], radius=neck // 2, fill=(214, 190, 160))
    draw.ellipse(
        [x - int(1.3 * neck), rise // 3, x + int(1.3 * neck), rise // 3 + neck], fill=(200, 176, 146)
    )
    pole = max(4, width // 60)
    bottom = rows.max() + rise
    draw.rectangle([x - pole, bottom - 10, x + pole, height + rise + drop - drop // 5], fill=(25, 25, 25))
    draw.ellipse(
        [x - 5 * pole, height + rise + drop - drop // 4, x + 5 * pole, height + rise + drop - drop // 10],
        fill=(25, 25, 25),
    )
    canvas.paste(image, (0, rise), Image.fromarray((garment * 255).astype(np.uint8)))
    return canvas


def build_corpus(photos, out):
    manifest = json.loads((photos / "manifest.json").read_text())
    people = [item for item in manifest if item["kind"] == "person"]
    garments = [item for item in manifest if item["kind"] == "garment"]
    index = {"people": [], "garments": []}
    for position, person in enumerate(people):
        image = Image.open(photos / person["file"]).convert("RGB")
        other = Image.open(photos / people[(position + 4) % len(people)]["file"]).convert("RGB")
        boxes = {name: person.get(name) for name in BOXES}
        for name, (data, moved) in person_transforms(image, boxes, other).items():
            path = out / "person" / name / (Path(person["file"]).stem + ".jpg")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            index["people"].append({**moved, "file": str(path), "transform": name, "source": person["file"]})
    for position, garment in enumerate(garments):
        image = Image.open(photos / garment["file"]).convert("RGB")
        other = Image.open(photos / garments[(position + 3) % len(garments)]["file"]).convert("RGB")
        for name, data in garment_transforms(
            image, other, garment["photo_type"] == "flat-lay", garment["garment_type"]
        ).items():
            path = out / "garment" / name / (Path(garment["file"]).stem + ".jpg")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            index["garments"].append(
                {**garment, "file": str(path), "transform": name, "source": garment["file"]}
            )
    return people, garments, index


def judge(placement, person, garment, result, failure):
    """(outcome, why) of one pair (see the module)."""
    if result is None:
        code = (failure or "").split()[-1]
        return ("typed refusal" if code in REFUSALS else "5xx/internal"), failure
    region = person.get(placement.REGION[garment["garment_type"]])
    if region is None:
        return "done-wrong", "body part not in view"
    shown = ImageOps.exif_transpose(Image.open(person["file"])).convert("RGB")
    changed = np.abs(np.asarray(result.resize(shown.size), int) - np.asarray(shown, int)).sum(axis=2) > 90
    count = changed.sum()
    precision = (
        (changed & placement.box_mask(changed.shape, region, widen=True)).sum() / count if count else 0.0
    )
    head_box = person.get("head_box")
    head = (
        (changed & placement.box_mask(changed.shape, head_box)).sum()
        / placement.box_mask(changed.shape, head_box).sum()
        if head_box
        else 0.0
    )
    core = placement.box_mask(changed.shape, region)
    coverage = (changed & core).sum() / core.sum()
    right = precision >= 0.7 and head <= 0.05 and coverage >= 0.25
    return ("done-right" if right else "done-wrong"), f"p={precision:.2f} c={coverage:.2f} h={head:.3f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("--out", required=True, help="a folder outside the repository")
    parser.add_argument("--photos", default=str(ROOT.parent / "shared" / "fixtures" / "tryon-photos"))
    parser.add_argument(
        "--people", default="p01,p05,p10", help="people for the garment transforms ('' = all)"
    )
    parser.add_argument("--garments", default="g02,g07,g12,g10", help="garments for the person transforms")
    parser.add_argument("--only", default="", help="transforms to run (default all)")
    arguments = parser.parse_args()
    out, photos = Path(arguments.out).resolve(), Path(arguments.photos).resolve()
    if ROOT in out.parents or out == ROOT:
        sys.exit("the corpus holds non-commercial research photos: write it outside the repository")
    sys.path.insert(0, str(photos.parent.parent / "tools"))
    import tryon_placement as placement  # the tool's client: POST /api/tryon, polling, the body-region boxes

    people, garments, index = build_corpus(photos, out)
    only = set(filter(None, arguments.only.split(",")))
    chosen_garments = set(filter(None, arguments.garments.split(",")))
    chosen_people = set(filter(None, arguments.people.split(",")))
    pairs = [
        (person, {**garment, "file": str(photos / garment["file"])})
        for person in index["people"]
        if not only or person["transform"] in only
        for garment in garments
        if not chosen_garments or Path(garment["file"]).name[:3] in chosen_garments
    ] + [
        ({**person, "file": str(photos / person["file"]), "transform": "-"}, garment)
        for garment in index["garments"]
        if not only or garment["transform"] in only
        for person in people
        if not chosen_people or Path(person["file"]).name[:3] in chosen_people
    ]
    email = f"odd-{uuid.uuid4().hex[:8]}@example.com"
    password = "Placement-check-1"
    answer = requests.post(
        arguments.server.rstrip("/") + "/api/create-account",
        json={"email": email, "password": password, "confirm_password": password},
        timeout=30,
    )
    headers = {"Authorization": "Bearer " + answer.json()["data"]["token"]}

    def one(pair):
        person, garment = pair
        result, failure = placement.run(arguments.server.rstrip("/"), headers, person, garment)
        outcome, why = judge(placement, person, garment, result, failure)
        transform = person["transform"] if person["transform"] != "-" else garment["transform"]
        row = {
            "transform": transform,
            "person": Path(person["file"]).name,
            "garment": Path(garment["file"]).name,
            "type": garment["garment_type"],
            "outcome": outcome,
            "why": why,
        }
        return row, result

    started = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(one, pairs))
    (out / "pairs.json").write_text(json.dumps([row for row, _ in done], indent=1))
    sheet = Image.new("RGB", (TILE[0] * COLUMNS, (TILE[1] + 30) * -(-len(done) // COLUMNS)), "white")
    for position, (row, result) in enumerate(done):
        x, y = (position % COLUMNS) * TILE[0], (position // COLUMNS) * (TILE[1] + 30)
        if result is not None:
            tile = result.copy()
            tile.thumbnail(TILE)
            sheet.paste(tile, (x, y))
        draw = ImageDraw.Draw(sheet)
        draw.text(
            (x + 2, y + TILE[1] + 2),
            f"{row['transform']} {row['person'][:3]} {row['garment'][:3]}",
            fill=(0, 0, 0),
        )
        colour = (0, 120, 0) if row["outcome"] == "done-right" else (200, 0, 0)
        draw.text((x + 2, y + TILE[1] + 15), f"{row['outcome']} {row['why']}"[:34], fill=colour)
    sheet.save(out / "sheet.png")
    table = {}
    for row, _ in done:
        table.setdefault(row["transform"], Counter())[row["outcome"]] += 1
    for transform, counts in table.items():
        print(f"{transform:20} " + "  ".join(f"{name}={count}" for name, count in sorted(counts.items())))
    print(f"{len(done)} pairs in {time.monotonic() - started:.0f} s; pairs.json and sheet.png in {out}")


if __name__ == "__main__":
    main()

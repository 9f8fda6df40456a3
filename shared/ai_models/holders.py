"""What a garment's photo shows with it that is none of it: a dress form's stand below the hem and its neck above the
collar, a price tag laid over it, the hanger it hangs from (masks.garment_alpha cuts them off the garment's cut-out).

They are told from the garment by its own shape, at the cut-out's analysis size. A stand is a thin, straight, upright
bar on the garment's axis below its hem, with at most a base under it. A form's neck is a plain, one-coloured block
on the garment's axis above its shoulders, narrower than them and of another colour than the garment below it. A
tie or a belt hanging beside the hem, a sleeveless top's straps, a halter's neck strap, a turtleneck's or a hood's
fabric (the garment's own colour) are none of these. A price tag is a rectangle of one flat colour (printed, or laid
over the photo) with text in it, small beside the garment and partly off it; a garment's own cuffs, panels and
labels are not flat (weave, shading) or not rectangles, or lie inside its outline. A hanger is thin lines above the
garment that rise into a hook: a stem, one thin line on the garment's axis alone in its rows above the garment's top,
ending below the photo's top edge; what
of thin lines is joined to that stem (the hook, the hanger's shoulders or its bar, the clips' arms) goes with it. A
sleeveless top's straps rise beside the axis; a halter's neck strap is a loop, thin and one line only where it turns
over (across, not up); a garment's own thin parts hang below its top.
"""

from typing import cast

import cv2
import numpy as np
from numpy.typing import NDArray

from shared.ai_models.arrays import Binary, Lab, Mask

_STAND_WIDTH = 0.05  # share of the garment's larger side (with the form): a stand is at most this wide
_STAND_LENGTH = 0.05  # share of the garment's height: and at least this long
_ON_AXIS = 0.1  # share of the garment's width: a stand's or a neck's middle is at most this far from the garment's axis
_STRAIGHT = 0.03  # share of the garment's width: a stand's middle and width vary by at most this along it
_BASE = 0.75  # share of the stand's length: what is below it (its base) is at most this tall
_REACH = 3  # px: how far the cut-out's smoothing (masks) may have joined a stand to what is beside it
_NECK_WIDTH = 0.45  # share of the garment's width: a form's neck is at most this wide
_NECK_LENGTH = 0.1  # share of the garment's height below it: and rises at least this far above the shoulders
_SOLID = 0.9  # a row of a neck is one run: it fills at least this share of its span
_PLAIN = (
    6.0  # ΔE: three quarters of a neck's pixels lie within this of its median colour (no print, no weave)
)
_SAME_COLOUR = 12.0  # ΔE: a pixel this near a neck's or a stand's colour is part of it
_NECK_COLOURED_BODY = 0.2  # at most this share of the garment's upper body has the neck's colour
_FLAT_CONTRAST = 1.5  # L*: a tag's colour varies less than this in a 5×5 window (masks._local_contrast)
_TAG_FLAT = 3.0  # ΔE: three quarters of a tag's pixels lie within this of its median colour
_TAG_RECTANGLE = 0.9  # a tag (its text filled in) fills at least this share of its bounding box
_TAG_SHARE = (0.002, 0.15)  # share of the cut-out: a tag is this large
_TAG_OFF = (
    0.2  # at least this share of a ring _TAG_RING px around it is background: it lies partly off the garment
)
_TAG_RING = 8
# Share of the garment's width: a hanger's wire or bar is thinner than this or than 11 px, whichever is more (a line
# 2-3 px wide in the photo is cut out 7-9 px wide, its soft edges and the local contrast beside it counted).
_HANGER_LINE = 0.035
_BODY_SHARE = (
    0.05  # of the largest thick piece: a thick piece this large is garment, a smaller one a hanger's joint
)
# A hanger's stem rises at least this share of the garment's height as one thin line (a hook on trousers a metre long
# rises 4-8 cm straight before it turns over).
_HOOK_LENGTH = 0.025
_JOINED_STEPS = 3  # the hanger's lines found from its stem: pieces joined to it across this many gaps


def dress_form(subject: Binary, lab: Lab) -> Mask:
    """The part of the garment's cut-out (uint8, analysis size) that is a dress form's stand or neck (see the
    module); empty when there is none."""
    if not subject.any():
        return np.zeros(subject.shape, bool)
    kept = _without_neck(_without_stand(subject, lab), lab)
    form: Mask = (subject > 0) & (kept == 0)
    return form


def _rows(subject: Binary) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], float, float]:
    """(left, right, count) of every row (left > right for an empty row), the garment's width (its widest rows) and
    its axis (the middle of its rows at least half that wide)."""
    width = subject.shape[1]
    filled = subject > 0
    count = filled.sum(axis=1)
    left = np.where(count > 0, np.argmax(filled, axis=1), width)
    right = np.where(count > 0, width - 1 - np.argmax(filled[:, ::-1], axis=1), -1)
    garment_width = float(np.percentile(count[count > 0], 98))
    wide = count >= 0.5 * garment_width
    axis = float(np.median((left[wide] + right[wide]) / 2))
    return left, right, count, garment_width, axis


def _without_stand(subject: Binary, lab: Lab) -> Binary:
    left, right, count, garment_width, axis = _rows(subject)
    rows = np.flatnonzero(count)
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    span = right - left + 1
    thin = (count > 0) & (span <= _STAND_WIDTH * max(bottom - top, garment_width))
    # The longest run of thin rows, bottom up: a stand carries the garment.
    y = bottom - 1
    while y > top:
        if not thin[y]:
            y -= 1
            continue
        end = y + 1
        while y > top and thin[y - 1]:
            y -= 1
        start = y
        y -= 1
        if (
            end - start < _STAND_LENGTH * (bottom - top)
            or bottom - end > _BASE * (end - start)
            or (~thin[top:start]).sum() < _STAND_LENGTH * (bottom - top)  # no garment on it: a belt, a strap
        ):
            continue
        middles = (left[start:end] + right[start:end]) / 2
        inner = slice(
            start + (end - start) // 10, end - (end - start) // 10
        )  # not where it meets hem or base
        straight = (
            np.ptp(middles[inner.start - start : inner.stop - start]) <= _STRAIGHT * garment_width
            and np.ptp(span[inner]) <= _STRAIGHT * garment_width
        )
        if straight and abs(float(np.median(middles)) - axis) <= _ON_AXIS * garment_width:
            # Its top, where it meets the hem, goes with it: the stand's colour, or the background's that the
            # cut-out's smoothing joined to it (between trouser legs, it would close the gap between their hems).
            columns = slice(
                max(0, int(left[start:end].min()) - _REACH), int(right[start:end].max()) + 1 + _REACH
            )
            stand = np.zeros(subject.shape, bool)
            stand[start:] = subject[start:] > 0
            colours = [np.median(lab[stand], axis=0), np.median(lab[subject == 0], axis=0)]
            above = slice(max(top, start - round(_STAND_LENGTH * (bottom - top))), start + 1)
            strip = np.zeros(subject.shape, bool)
            strip[above, columns] = True
            stand |= _alike(subject & strip, lab, stand & strip, colours)
            return cast(Binary, np.where(stand, 0, subject).astype(np.uint8))
        return subject
    return subject


def _alike(subject: Binary | Mask, lab: Lab, seed: Mask, colours: list[NDArray[np.float32]]) -> Mask:
    """The cut-out's pixels of one of the colours (within _SAME_COLOUR) joined to the seed."""
    near = np.zeros(subject.shape, bool)
    for colour in colours:
        near |= np.linalg.norm(lab - colour, axis=2) <= _SAME_COLOUR
    alike = ((subject > 0) & near).astype(np.uint8)
    _, labels = cv2.connectedComponents(alike, connectivity=4)
    touching = np.unique(labels[seed & (alike > 0)])
    grown: Mask = np.isin(labels, touching[touching > 0])
    return grown


def _without_neck(subject: Binary, lab: Lab) -> Binary:
    if not subject.any():
        return subject
    left, right, count, garment_width, axis = _rows(subject)
    rows = np.flatnonzero(count)
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    shoulders = top
    while (
        shoulders < bottom
        and count[shoulders] >= _SOLID * (right[shoulders] - left[shoulders] + 1)
        and right[shoulders] - left[shoulders] + 1 <= _NECK_WIDTH * garment_width
        and abs((left[shoulders] + right[shoulders]) / 2 - axis) <= _ON_AXIS * garment_width
    ):
        shoulders += 1
    # The block must end where the garment widens into its shoulders (the collar between them), not where it
    # splits or turns aside.
    below = slice(shoulders, shoulders + max(1, round(_NECK_LENGTH * (bottom - shoulders))))
    if (
        shoulders >= bottom
        or shoulders - top < _NECK_LENGTH * (bottom - shoulders)
        or not (right[below] - left[below] + 1 > _NECK_WIDTH * garment_width).any()
    ):
        return subject
    neck = lab[top:shoulders][subject[top:shoulders] > 0]
    colour = np.median(neck, axis=0)
    if float(np.percentile(np.linalg.norm(neck - colour, axis=1), 75)) > _PLAIN:
        return subject
    distance = np.linalg.norm(lab - colour, axis=2)
    body = slice(shoulders, shoulders + max(1, (bottom - shoulders) // 5))
    upper_body = distance[body][subject[body] > 0]
    if upper_body.size == 0 or float((upper_body <= _SAME_COLOUR).mean()) > _NECK_COLOURED_BODY:
        return subject  # the garment's own fabric (a turtleneck, a hood)
    seed = np.zeros(subject.shape, bool)
    seed[top:shoulders] = subject[top:shoulders] > 0
    return cast(Binary, np.where(_alike(subject, lab, seed, [colour]), 0, subject).astype(np.uint8))


def price_tags(subject: Binary, lab: Lab, contrast: NDArray[np.float32]) -> Mask:
    """The part of the cut-out (uint8, analysis size) that is a price tag or a text box laid over the garment (see
    the module); empty when there is none. `contrast` is the lightness's standard deviation in a 5×5 window."""
    flat = ((contrast < _FLAT_CONTRAST) & (subject > 0)).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(flat, connectivity=4)
    total = float(subject.sum())
    tags = np.zeros(subject.shape, bool)
    height, width = subject.shape
    for label in range(1, count):
        x, y, box_width, box_height = (int(value) for value in stats[label, :4])
        if not _TAG_SHARE[0] * total <= box_width * box_height <= _TAG_SHARE[1] * total:
            continue
        piece = (labels[y : y + box_height, x : x + box_width] == label).astype(np.uint8)
        outlines, _ = cv2.findContours(piece, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        filled = cv2.drawContours(np.zeros_like(piece), outlines, -1, (1,), cv2.FILLED)
        text = cv2.connectedComponents((filled & (1 - piece)).astype(np.uint8))[0] - 1
        if text < 1 or filled.sum() < _TAG_RECTANGLE * box_width * box_height:
            continue
        colours = lab[y : y + box_height, x : x + box_width][piece > 0]
        if np.percentile(np.linalg.norm(colours - np.median(colours, axis=0), axis=1), 75) > _TAG_FLAT:
            continue
        x0, y0 = max(0, x - _TAG_RING), max(0, y - _TAG_RING)
        x1, y1 = min(width, x + box_width + _TAG_RING), min(height, y + box_height + _TAG_RING)
        ring = np.ones((y1 - y0, x1 - x0), bool)
        ring[y - y0 : y - y0 + box_height, x - x0 : x - x0 + box_width] = False
        # The photo's edge counts as off the garment.
        off = (subject[y0:y1, x0:x1][ring] == 0).sum() + (ring.size - (y1 - y0) * (x1 - x0))
        if off < _TAG_OFF * ring.sum():
            continue
        edge = _TAG_RING // 2  # the tag's own edge, too sharp to be flat
        tags[max(0, y - edge) : y + box_height + edge, max(0, x - edge) : x + box_width + edge] = True
    return tags & (subject > 0)


def hanger(subject: Binary) -> Mask:
    """The part of the garment's cut-out (uint8, analysis size) that is a hanger (see the module); empty when there
    is none."""
    none = np.zeros(subject.shape, bool)
    if not subject.any():
        return none
    left, right, count, garment_width, axis = _rows(subject)
    size = max(11, round(_HANGER_LINE * garment_width)) | 1
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    thick = cv2.morphologyEx(subject, cv2.MORPH_OPEN, disc)
    # The garment's body: what is thick beyond the lines' junctions and the hook's turn (small thick blobs).
    pieces, labels, stats, _ = cv2.connectedComponentsWithStats(thick, connectivity=8)
    if pieces <= 1:
        return none  # all of it thin: a belt, a strap, no garment hanging from anything
    areas = stats[1:, cv2.CC_STAT_AREA]
    body = np.isin(labels, 1 + np.flatnonzero(areas >= _BODY_SHARE * areas.max())).astype(np.uint8)
    top, bottom = (int(row) for row in np.flatnonzero(body.any(axis=1))[[0, -1]])
    # The stem: rows above the body where the whole cut-out is one thin line on the garment's axis, alone in its rows
    # (a garment's own collar or placket has the rest of the garment beside it), ending below the photo's top edge (a
    # line running off the photo, a seam between two photos or a floor's grout, is no hook).
    span = right - left + 1
    one_line = (
        (count > 0)
        & (count == span)
        & (span <= size)
        & (np.abs((left + right) / 2 - axis) <= _ON_AXIS * garment_width)
    )
    one_line[top:] = False
    start, end = _longest_run(one_line)
    if start == 0 or end - start < _HOOK_LENGTH * (bottom - top + 1):
        return none
    rest = ((subject > 0) & (cv2.dilate(body, disc) == 0)).astype(np.uint8)
    _, labels = cv2.connectedComponents(rest, connectivity=8)
    stems = np.unique(labels[start:end][rest[start:end] > 0])
    # The lines joined to a stem, also where they pass close by the garment (a clip's arm, the bar's ends beyond it);
    # where they meet the garment (the cut-out's smoothing fills the sharp corners between them and its top edge),
    # and the clips, what is too small for a disc four lines wide goes with them.
    reach = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (4 * size + 1, 4 * size + 1))
    found = np.isin(labels, stems[stems > 0])
    for _ in range(_JOINED_STEPS):
        joined = np.unique(labels[(cv2.dilate(found.astype(np.uint8), reach) > 0) & (rest > 0)])
        grown = np.isin(labels, joined[joined > 0])
        if (grown == found).all():
            break
        found = grown
    near = cv2.dilate(found.astype(np.uint8), reach) > 0
    solid = cv2.morphologyEx(np.where(found, 0, subject).astype(np.uint8), cv2.MORPH_OPEN, reach)
    found |= near & (subject > 0) & (solid == 0)
    return found


def _longest_run(rows: Mask) -> tuple[int, int]:
    """(start, end) of the longest run of True rows; (0, 0) without any."""
    best = (0, 0)
    start = 0
    for row, inside in enumerate(np.append(rows, False)):
        if not inside:
            if row - start > best[1] - best[0]:
                best = (start, row)
            start = row + 1
    return best

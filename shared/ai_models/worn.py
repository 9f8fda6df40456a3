"""What of a photo of a model wearing a garment is the model, not the garment: hair falling over it, skin in shade.

Read on the model's Regions (detection size) before the garment is cut out of the photo (placement._worn_garment).
The model's hair is learned from their own head: what of them is no skin there (with or without a face found: a photo
cut off at the lips has the hair beside the neck); what of that colour is joined to it and hangs below the head, over
the shoulders and down the garment's sides, is hair. Where that colour runs on over much of the body (dark hair, a top
of its colour; a brown knit on a brunette) nothing below the shoulders is taken: the two cannot be told apart by
colour. The model's skin is learned from their face or arms (Regions.skin); its edges in shade (a leg's or an arm's
side, a V's edge where the fabric casts a shadow) are darker than the tone learned and read as clothing: a thin band
beside the skin (_SHADE_REACH), of the skin's hue and darker, is skin too. A garment of the skin's hue beside it (a
brown knit at the neckline, a nude dress) loses at most that band; one of the skin's own lit tone none of it.
"""

import cv2
import numpy as np

from shared.ai_models.arrays import Mask
from shared.ai_models.regions import Regions

_HEAD_CLEARANCE = 0.3  # body units above the shoulder joints: what of the model lies above is their head
_HAIR_DISTANCE = (
    12.0,
    20.0,
)  # ΔE (CIELAB) from the hair's median colour: its spread, within these, is the hair's
_CROWN = 0.2  # body units down from the top of the head that its hair's colour is learned from
_FACE_HALF_WIDTH = (
    0.2  # body units: beyond this either side of the middle, a head cut off at the top shows its hair
)
_HAIR_REACH = 0.6  # body units either side of the body's middle where hair may fall
_HAIR_LENGTH = 0.8  # body units below the shoulders that hair is looked for
_MAX_HAIR_SHARE = (
    0.3  # of the model's body beside the head down there: beyond it "hair" is clothes of its colour
)
_MIN_HAIR = 30  # px (detection size) of hair on the head needed to learn its colour
_SHADE_REACH = 0.04  # body units from the skin found that its shaded edge reaches
_SHADE_HUE = 15.0  # degrees (CIELAB hue) from the skin's tone within which a shaded pixel is of its hue
_SHADE_CHROMA = 0.35  # a shaded skin pixel keeps at least this share of the skin tone's chroma


def hair_below_head(model: Regions) -> Mask:
    """The model's hair below their head (boolean, detection size): see the module."""
    none = np.zeros(model.shape, bool)
    if model.frame is None:
        return none
    depth, across = model.body_coordinates
    # Off the outline, where the photo blends the model with the background into any colour.
    person = cv2.erode((model.person > 0.5).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    bare = person & (model.skin < 0.5)
    head = person & (model.head > 0.5) & (depth < -_HEAD_CLEARANCE) & (np.abs(across) < _HAIR_REACH)
    if not head.any():
        return none
    # The crown, or what the photo shows of the head's top: hair, where the face's own shades (eyes, lips, the shadow
    # under the chin) are not.
    if np.nonzero(head)[0].min() > 0:
        crown = head & bare & (depth < float(depth[head].min()) + _CROWN)
    else:  # the photo's top edge cuts the head: its hair shows beside the face
        crown = head & bare & (np.abs(across) > _FACE_HALF_WIDTH)
    if crown.sum() < _MIN_HAIR:
        return none  # bald, or the head is out of the photo
    colours = model.lab[crown]
    centre = np.median(colours, axis=0)
    spread = float(np.percentile(np.linalg.norm(colours - centre, axis=1), 80))
    close = np.linalg.norm(model.lab - centre, axis=2) < float(np.clip(spread, *_HAIR_DISTANCE))
    beside = (np.abs(across) < _HAIR_REACH) & (depth < _HAIR_LENGTH)
    # Opened: a strap or a seam as dark as the hair does not join a garment to it.
    candidates = cv2.morphologyEx(
        (close & bare & beside).astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)
    )
    _, labels = cv2.connectedComponents(candidates, connectivity=8)
    joined = np.isin(labels, np.unique(labels[crown & (candidates > 0)])) & (labels > 0)
    hanging = joined & (model.head < 0.5)
    body = beside & (depth > 0) & (model.person > 0.5)
    if (hanging & (depth > 0)).sum() > _MAX_HAIR_SHARE * max(1, int(body.sum())):
        return none
    # Closed: a strand's own highlights and shadows are hair too.
    closed = cv2.morphologyEx(hanging.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8)) > 0
    hair: Mask = closed & bare & (model.head < 0.5)
    return hair


def shaded_skin(model: Regions, clothing: Mask) -> Mask:
    """The part of `clothing` (boolean, detection size) that is the model's skin in shade: see the module."""
    none = np.zeros(model.shape, bool)
    tone = model.skin_colour
    if tone is None or model.frame is None:
        return none
    skin = ((model.skin > 0.5) & (model.person > 0.5)).astype(np.uint8)
    reach = max(1, round(_SHADE_REACH * model.frame.unit * model.scale))
    near = cv2.dilate(skin, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1))) > 0
    lab = model.lab
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    tone_chroma = float(np.hypot(tone[1], tone[2]))
    hue = np.degrees(np.arctan2(lab[..., 2], lab[..., 1]))
    tone_hue = float(np.degrees(np.arctan2(tone[2], tone[1])))
    turn = np.abs((hue - tone_hue + 180) % 360 - 180)
    shade: Mask = (
        clothing
        & near
        & (turn < _SHADE_HUE)
        & (chroma >= _SHADE_CHROMA * tone_chroma)
        & (lab[..., 0] < tone[0])
    )
    return shade

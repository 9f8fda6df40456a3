"""A garment's outline read the way a tailor reads it: its type and its landmarks, from the mask alone.

The mask is a flat-lay garment's alpha (one solid shape, see masks.garment_alpha). Everything is
measured on rows of that shape:

* two legs with a gap between them that closes at a crotch (the gap opens at the hem, or is enclosed by
  wide legs whose hems touch) → a bottom, or a one-piece when a bodice reaches far above the crotch (a
  jumpsuit);
* one piece that widens from a straight waistband without shoulders or sleeves (a skirt), or any piece
  without shoulders, straps or sleeves → a bottom: it is worn from the waist;
* one long piece, much longer than its torso is wide and than its widest span → a one-piece (a dress);
* otherwise a top; with long sleeves and a front opening running from neck to hem → outerwear.

Landmarks are points on the outline in the photo's pixels: collar, shoulders, armpits, sleeves (root, cuff)
and hem for garments worn from the shoulders; waistband, crotch and leg openings for bottoms.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np
from numpy.typing import ArrayLike, NDArray

from shared.ai_models.arrays import RGB, Mask, Point, Points

# A row's stretch of garment: (start, end) x, end exclusive, in analysis pixels.
Run = tuple[float, float]

_ANALYSIS_HEIGHT = 400  # the outline is read at this height (in rows), whatever the photo's size
_RUN_GAP = 0.015  # background gaps narrower than this share of the garment's width do not split a row
_ARMPIT_DEPTH = 1.2  # a garment's armpits lie at most this many of its widths there below its top
# A sleeveless garment's width grows at least this much per row down its armholes (both sides: each curves out at
# 40° or more from the vertical), and less than the second down its side seams (an A-line or full skirt flares at
# well under 35° a side).
_ARMHOLE_SLOPE, _SIDE_SEAM_SLOPE = 1.7, 1.4
# A waistband's top edge is straight: this share of the height down, a skirt is at most this much wider than at its top.
_WAISTBAND_DEPTH, _WAISTBAND_FLARE = 0.04, 1.08
# A dress (besides a very long piece) hangs at least this many of its torso's widths below its shoulders or straps, and
# this many of its armholes' depths (without straps, on straps) below them; an armpit found further up than the last is
# no armpit (a cap sleeve's edge).
_DRESS_LENGTH = 1.6
_ARMHOLES_DOWN = {False: 3.6, True: 4.5}
_ARMHOLES_DOWN_MAX = 8.0
# ...or, with sleeves, at least the second many of its shoulders' spans where its sleeves reach at most the first share
# of its length (long sleeves ending above its hem; short ones on a long body); drawn tops and the dev tops reach 0.5 and
# more, 0.14 and more (a 72 cm top on short sleeves 0.136 and 1.52 spans).
_SLEEVES_AND_SPANS = ((0.48, 1.9), (0.13, 1.55))
_SHOULDER_SPAN_DEPTH = 0.03  # the shoulders' span is read this share of the length below their tops
_STRAP_DROP = 0.05  # a sleeveless garment's straps rise above its shoulders' outline by more than this share of its height
# A row is in a flaring skirt when the row this share of the height lower is wider by this factor.
_SKIRT_BELOW, _FLARING = 0.1, 1.05
# Where down a trouser leg (shares of crotch to hem) its edges are read: close enough that a flare widening near the
# hem is followed, not guessed by the warp between rows far apart (which bends the legs into waves).
_LEG_ROWS = (0.3, 0.6, 0.85, 1.0)


@dataclass(frozen=True)
class UpperLandmarks:
    """Landmarks of a garment worn from the shoulders, (x, y) in the photo's pixels."""

    collar: Point
    shoulders: Points  # (left, right) as seen in the photo
    # (left, right) tops of a sleeveless garment's straps where it hangs from straps inside its chest's sides (a strap
    # dress), else the shoulders
    strap_tops: Points
    armpits: Points
    sleeves: "tuple[SleeveProfile, ...] | None"  # per side (left, right): its SleeveProfile; None sleeveless
    hem: Points  # (left, right) corners of the hem
    sides: NDArray[np.float32]  # (left, right) x of the outline at each row of `side_rows`
    side_rows: NDArray[np.float32]
    torso_width: float  # the garment's own width below the sleeves: its scale
    # the whole width a little below the shoulders' tops (the shoulders with the sleeves' heads), for the lengths of a
    # garment whose chest reads narrow (a knit shown round on a form)
    shoulder_span: float


@dataclass(frozen=True)
class SleeveProfile:
    """A sleeve read along its length: from the middle of its root (the armhole) along `axis`, at each distance
    in `along` (increasing; from the end nearest the shoulder to the cuff), its extent across the axis from `low`
    to `high` (distances along `normal`). The top seam, on the shoulder's side, lies towards `top_seam` (±1)."""

    @property
    def half_width(self) -> float:
        """Half the sleeve's usual width."""
        return float(np.median(self.high - self.low)) / 2

    root: Point
    axis: NDArray[np.float32]
    normal: NDArray[np.float32]
    along: NDArray[np.float32]
    low: NDArray[np.float32]
    high: NDArray[np.float32]
    top_seam: int

    def scaled(self, factor: float, origin: Point) -> "SleeveProfile":
        """The profile in another frame: distances times `factor`, the root at root × factor + origin."""
        return SleeveProfile(
            self.root * factor + origin,
            self.axis,
            self.normal,
            self.along * factor,
            self.low * factor,
            self.high * factor,
            self.top_seam,
        )


@dataclass(frozen=True)
class LowerLandmarks:
    """Landmarks of a garment worn from the waist, (x, y) in the photo's pixels."""

    waist: Points  # (left, right) ends of the waistband
    crotch: Point | None  # where the legs part, or None for a skirt
    leg_rows: NDArray[np.float32]  # trousers: rows down the legs, the last at the hem; skirt: the hem's row
    # trousers: [leg (left, right)][row][outer-left x, right x]; skirt: [1][1][left, right]
    leg_edges: NDArray[np.float32]
    sides: NDArray[
        np.float32
    ]  # (left, right) x of the outline at each row of `side_rows`, between waist and crotch
    side_rows: NDArray[np.float32]
    waist_width: float


class Outline:
    """Row-by-row reading of a garment mask."""

    def __init__(self, alpha: ArrayLike, rgb: RGB | None = None) -> None:
        binary = np.asarray(alpha) > 0.5
        rows, columns = np.nonzero(binary)
        if rows.size == 0:
            raise ValueError("the mask is empty")
        top, bottom, left, right = rows.min(), rows.max() + 1, columns.min(), columns.max() + 1
        self._scale = _ANALYSIS_HEIGHT / (bottom - top)  # analysis px per photo px
        self._origin = np.array([left, top], np.float32)
        crop = binary[top:bottom, left:right].astype(np.uint8)
        size = (max(1, round((right - left) * self._scale)), _ANALYSIS_HEIGHT)
        self.mask: Mask = (
            cv2.resize(crop, size, interpolation=cv2.INTER_AREA if self._scale < 1 else cv2.INTER_NEAREST) > 0
        )
        self.height, self.width = self.mask.shape
        self.runs = _rows_of_runs(self.mask, max(2, round(_RUN_GAP * self.width)))
        self._grey: NDArray[np.float32] | None = None
        if rgb is not None:
            grey = cv2.cvtColor(np.ascontiguousarray(rgb[top:bottom, left:right]), cv2.COLOR_RGB2GRAY)
            self._grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA).astype(np.float32)

    # --- measures ---------------------------------------------------------------------------

    @cached_property
    def centre(self) -> float:
        """x of the garment's middle, from the spans of its upper rows (a hanging tie does not move it)."""
        middles = [(runs[0][0] + runs[-1][1]) / 2 for runs in self.runs[: self.height // 3] if runs]
        return float(np.median(middles))

    @cached_property
    def _spans(self) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        """(left, right) of every row's whole extent and of its central run (the run holding the middle)."""
        centre = self.centre
        spans = np.full((self.height, 2), centre, np.float32)
        central = np.full((self.height, 2), centre, np.float32)
        for y, runs in enumerate(self.runs):
            if runs:
                spans[y] = runs[0][0], runs[-1][1]
                central[y] = min(
                    runs,
                    key=lambda run: (
                        0 if run[0] <= centre < run[1] else min(abs(run[0] - centre), abs(run[1] - centre))
                    ),
                )
        return spans, central

    def span(self, y: float) -> Run:
        left, right = self._spans[0][int(np.clip(y, 0, self.height - 1))]
        return left, right

    def central_run(self, y: float) -> Run:
        """The run of row y that holds the middle (or the nearest run to it)."""
        left, right = self._spans[1][int(np.clip(y, 0, self.height - 1))]
        return left, right

    def widths(self, start: float, end: float, *, central: bool = True) -> NDArray[np.float32]:
        first = int(start * self.height)
        rows = self._spans[1 if central else 0][first : max(first + 1, int(end * self.height))]
        widths: NDArray[np.float32] = rows[:, 1] - rows[:, 0]
        return widths

    @cached_property
    def crotch(self) -> Point | None:
        """(x, y) where the gap between two legs closes, or None.

        The gap is a background slit in the middle of the lower part with a leg on each side. It opens at the
        hem, or is closed there by wide or flared legs whose hems touch or overlap; it is followed up row by
        row on the mask itself (the runs join narrow gaps), and its narrow top, which the cut-out's smoothing
        closes, is where its two edges, carried on upwards, meet (a little above where it is seen to end).
        """
        lowest = next(
            (
                (y, gap)
                for y in range(self.height - 1, int(self.height * 0.6), -1)
                if (gap := _central_gap(self.runs[y], self.centre, self.width)) is not None
            ),
            None,
        )
        if lowest is None:
            return None
        y, (start, end) = lowest
        seen: list[tuple[float, float, float]] = []
        while True:
            seen.append((y, start, end))
            background: NDArray[np.intp] | list[int] = (
                np.flatnonzero(~self.mask[y - 1, max(0, int(start) - 1) : int(end) + 1]) if y > 0 else []
            )
            if len(background) == 0:
                break
            offset = max(0, int(start) - 1)
            start, end = offset + background[0], offset + background[-1] + 1
            y -= 1
        edges = np.array(seen[::-1], np.float32)  # top row first: (y, left edge, right edge)
        length = edges[-1, 0] - edges[0, 0]
        widest = float((edges[:, 2] - edges[:, 1]).max())
        if y == 0 or length < 0.2 * self.height or widest < 0.03 * self.width:
            return None  # no gap, a short slit, or two separate pieces (a pair of shoes)
        return np.array(
            [edges[0, 1:].mean(), _apex(edges[: max(3, len(edges) // 3)], 0.06 * self.height)], np.float32
        )

    @cached_property
    def torso_width(self) -> float:
        """Width of the piece under the sleeves (30th percentile of the middle run, 45–85% down)."""
        return float(np.percentile(self.widths(0.45, 0.85), 30))

    @cached_property
    def has_sleeves(self) -> bool:
        """Something reaches past the chest's sides above the hem: sleeves held out or hanging beside."""
        return bool(self._sleeve_candidates.sum() > 0.02 * self.mask.sum())

    @cached_property
    def _sleeve_candidates(self) -> Mask:
        """The garment beyond the chest's sides above the armpits, and beside the torso's own run below them, in pieces
        that hang from the armhole: a piece that starts below the armpits (a wrap's tie, a belt's end hanging at the
        side) is the body's, not a sleeve that would be laid down the arm."""
        left, right = self._chest()
        armpit = int(self._armpit_row())
        margin = 0.05 * (right - left)
        candidates = self.mask[: self._hem_row()].copy()
        for y in range(armpit, candidates.shape[0]):
            start, end = self.central_run(y)
            candidates[y, int(start) : int(end)] = False
        candidates[:, int(max(0, left - margin)) : int(right + margin) + 1] = False
        count, labels, stats, _ = cv2.connectedComponentsWithStats(
            candidates.astype(np.uint8), connectivity=8
        )
        hanging = np.zeros(count, bool)
        hanging[1:] = stats[1:, cv2.CC_STAT_TOP] <= armpit
        kept: Mask = hanging[labels]
        return kept

    @cached_property
    def long_sleeves(self) -> bool:
        """Sleeves on both sides reaching far from their roots (a tie hanging on one side is no sleeve)."""
        sleeves = self._sleeves
        if sleeves is None:
            return False
        reach = np.array([profile.along[-1] for _, profile in sleeves])
        chest = self._chest()[1] - self._chest()[0]
        return bool(reach.min() > 0.7 * chest and reach.min() > 0.7 * reach.max())

    # --- type -------------------------------------------------------------------------------

    @cached_property
    def garment_type(self) -> str:
        if self._two_shoes():
            return "shoes"
        crotch = self.crotch
        if crotch is not None:
            # A jumpsuit's bodice reaches far above its crotch; trousers rise from it to the waist in less than
            # their hips' width, whatever the waistband carries (a belt, ties) or however the photo is turned.
            hips = np.median(
                self.widths(0.8 * crotch[1] / self.height, crotch[1] / self.height, central=False)
            )
            return "one_piece" if crotch[1] > 1.2 * hips else "bottom"
        if self._is_skirt() or not self._has_bodice():
            # Without shoulders, straps or sleeves a piece is worn from the waist: a skirt, or trousers whose legs
            # could not be told apart. Hanging it from the shoulders would put trousers on the chest.
            return "bottom"
        if self._is_long():
            return "one_piece"
        if self.long_sleeves and self._front_opening():
            return "outerwear"
        return "top"

    def _has_bodice(self) -> bool:
        """Shoulders or straps (the top of the piece narrower than below it, or split by a neckline), or sleeves
        held out (the upper part much wider than the waist below it). Trousers, even flared, have none of these."""
        top = np.median(self.widths(0.0, 0.04, central=False))
        below = np.median(self.widths(0.15, 0.3, central=False))
        sleeves = self.widths(0.0, 0.4, central=False).max() > 1.15 * np.median(
            self.widths(0.45, 0.6, central=False)
        )
        return sleeves or top < 0.8 * below or not self._solid_top()

    def _solid_top(self) -> bool:
        """The first rows are a waistband (ruffled or with loops, perhaps), not two shoulders or straps around a
        neckline: no wide gap in their middle."""
        first_rows = self.runs[int(0.01 * self.height) : int(0.03 * self.height) + 1]
        return not any(
            gap[1] - gap[0] > 0.12 * self.width and gap[0] < self.centre < gap[1]
            for runs in first_rows
            for gap in _gaps(runs)
        )

    def _is_skirt(self) -> bool:
        """One straight waistband, widening (or straight) to the hem, no sleeves: as wide as most of the piece, or
        flaring out from the band's straight top edge however wide the hem (a full skirt laid flat)."""
        widths = self.widths(0.0, 1.0, central=False)
        widest = widths.max()

        def at(share: float) -> float:
            return float(np.median(widths[int(share * self.height) : int(share * self.height) + 5]))

        waistband, upper, lower = at(0.01), at(0.25), at(0.85)
        early_growth = (upper - waistband) / widest
        straight_band = at(_WAISTBAND_DEPTH) <= _WAISTBAND_FLARE * waistband
        return bool(
            not self.has_sleeves
            and self._solid_top()
            and (waistband >= 0.55 * widest and early_growth < 0.2 or straight_band)
            and lower >= upper * 0.97
            and self.height / widest < 2.2
        )

    def _is_long(self) -> bool:
        """Much longer than its torso is wide, and long for its widest span (a dress, not a long-sleeved top); or
        long for its torso's width and much longer than its armholes are deep: a top ends by the hips, about three
        armholes below its shoulders (a tunic 3.5), a mini dress hangs 3.7 of them, one on thin straps 5 (straps and
        armhole), longer ones more."""
        length = (self._hem_row() - self._shoulders()[:, 1].mean()) / max(self.torso_width, 1.0)
        if length >= 3.0 or (
            length >= 2.3 and self.height / self.widths(0.0, 1.0, central=False).max() >= 1.6
        ):
            return True
        if self._long_for_its_sleeves():
            return True
        strap_tops = self._shoulders(straps=True)
        straps = not np.array_equal(strap_tops, self._shoulders())
        top = float(strap_tops[:, 1].mean())
        hanging = self._hem_row() - top
        armholes = hanging / max(self._armpit_row() - top, 1.0)
        return bool(
            hanging >= _DRESS_LENGTH * self.torso_width
            and _ARMHOLES_DOWN[straps] <= armholes < _ARMHOLES_DOWN_MAX
        )

    def _long_for_its_sleeves(self) -> bool:
        """A dress with sleeves hangs far below where its sleeves end: long sleeves end by the hips, where a top's hem
        is (a top is 0.5-0.8 of its length from the shoulders' top to its cuffs, a dress 0.48 or less), short ones a
        third of the way down a top; and it is long for its shoulders (tops 1.4-1.8 spans, dresses 1.6 and more)."""
        sleeves = self._sleeves
        if sleeves is None:
            return False
        top = float(self._shoulders()[:, 1].mean())
        length = self._hem_row() - top
        # Both sleeves' mean: a photo turned a little lengthens one as it shortens the other.
        sleeve = float(np.mean([profile.along[-1] for _, profile in sleeves])) / max(length, 1.0)
        spans = length / max(self._shoulder_span, 1.0)
        return any(spans >= least and sleeve <= most for most, least in _SLEEVES_AND_SPANS)

    def _two_shoes(self) -> bool:
        count, _, stats, _ = cv2.connectedComponentsWithStats(self.mask.astype(np.uint8), connectivity=8)
        areas = sorted(stats[1:, cv2.CC_STAT_AREA], reverse=True)
        return (
            count >= 3
            and areas[1] > 0.5 * areas[0]
            and self.height < 0.8 * self.width
            and self.crotch is None
        )

    def _front_opening(self) -> bool:
        """An edge down the middle from the armpits to the hem, stronger than the fabric's own texture beside
        it: a zip, a button placket, open fronts."""
        if self._grey is None:
            return False
        start, end = self._armpit_row(), self._hem_row()
        if end - start < 10:
            return False
        across = np.abs(cv2.Sobel(self._grey[start:end], cv2.CV_32F, 1, 0, ksize=3))
        half_band = max(2, int(0.05 * self.torso_width))
        centre, offset = int(self.centre), int(0.25 * self.torso_width)
        middle = across[:, max(0, centre - half_band) : centre + half_band + 1].max(axis=1)
        beside = np.concatenate(
            [
                across[:, max(0, centre - offset - half_band) : centre - offset + half_band + 1],
                across[:, centre + offset - half_band : centre + offset + half_band + 1],
            ],
            axis=1,
        )
        fabric = np.median(beside, axis=1) if beside.size else np.zeros_like(middle)
        return bool(np.mean((middle > 30) & (middle > 3 * fabric)) > 0.6)

    # --- landmarks (analysis pixels) --------------------------------------------------------

    def _shoulders(self, straps: bool = False) -> Points:
        """The tops of the garment's shoulders: above its chest's sides, a little inside them (a flared or tiered
        skirt below is wider than the shoulders it hangs from); with `straps`, a sleeveless garment's straps' tops."""
        left, right = self._chest()
        half = 0.45 * min(self.torso_width, right - left)
        points = []
        for x in (self.centre - half, self.centre + half):
            column = self.mask[: int(self.height * 0.35), int(np.clip(x, 0, self.width - 1))]
            top = np.flatnonzero(column)
            points.append((x, top[0] if top.size else 0))
        if self.has_sleeves or not straps:
            return np.array(points, np.float32)
        # Without sleeves a garment may hang from straps well inside its chest's sides: their tops lie on the
        # shoulders (a strap dress hung from its bodice's top would sit a strap's length too high). A strap's outer
        # edge drops steeply to the armhole; a shoulder sloping from the neck (a vest's) does not.
        upper = self.mask[: int(self.height * 0.35)]
        tops = np.where(upper.any(axis=0), np.argmax(upper, axis=0), upper.shape[0]).astype(np.float32)
        drop = _STRAP_DROP * self.height
        for side, (x, y) in enumerate(points):
            inner = self.centre + (x - self.centre) * 0.2
            columns = np.arange(int(min(inner, x)), int(max(inner, x)) + 1)
            columns = columns[(columns >= 0) & (columns < self.width)]
            if columns.size < 2 or y - tops[columns].min() <= drop:
                continue
            highest = int(np.argmin(tops[columns] if side else tops[columns][::-1]))
            outward = tops[columns][highest:] if side else tops[columns][::-1][highest:]
            edge = int(np.argmax(outward > outward[0] + 2))  # the strap's outer edge
            if (
                edge and outward[edge : edge + int(drop)].max() - outward[0] > drop
            ):  # `drop` rows in `drop` columns
                strap_x = columns[highest] if side else columns[::-1][highest]
                points[side] = (float(strap_x), float(outward[0]))
        return np.array(points, np.float32)

    def _armpit_row(self) -> int:
        return self._armpit

    @cached_property
    def _armpit(self) -> int:
        """The armpits' row. Where sleeves join the body the width of the middle run drops sharply (the biggest
        drop in the upper part of the garment); without such a drop (no sleeves, or sleeves hanging apart from
        the start), where the armholes end: the first row about as wide as the widest of the upper half (a
        sleeveless knit's armholes curve in from its shoulders and end at its widest), among the rows no deeper below
        the top than _ARMPIT_DEPTH of their own width (a long dress's flare or tiers lower down are no chest)."""
        first, last = int(0.02 * self.height), max(int(0.8 * self.height), int(0.02 * self.height) + 2)
        if self.crotch is not None:  # a jumpsuit's chest lies above its crotch, never in its legs
            last = max(first + 2, min(last, int(self.crotch[1])))
        widths = np.asarray(self.widths(0.0, 1.0))[first:last]
        step = max(2, int(0.04 * self.height))
        if len(widths) > step:
            drops = widths[:-step] - widths[step:]
            steepest = int(np.argmax(drops))
            if drops[steepest] >= 0.12 * widths.max():
                return first + steepest + step
        upper = widths[: max(1, int(0.55 * self.height) - first)]
        chest = np.arange(len(upper)) <= _ARMPIT_DEPTH * upper
        widest = upper[chest].max() if chest.any() else upper.max()
        armpit = int(np.argmax(upper >= 0.97 * widest))
        # That row may lie in a skirt that goes on widening below it (an A-line or tiered dress), far below the chest.
        # An armhole widens the piece fast, row by row; below it the side seams run down, straight or flaring slowly:
        # the armhole ends where the fast widening does.
        below = min(len(widths) - 1, armpit + int(_SKIRT_BELOW * self.height))
        if widths[below] > _FLARING * widths[armpit] and len(upper) > step:
            growth = (upper[step:] - upper[:-step]) / step
            steepest = int(np.argmax(growth))
            slowed = np.flatnonzero(growth[steepest:] < _SIDE_SEAM_SLOPE)
            if growth[steepest] >= _ARMHOLE_SLOPE and slowed.size:
                armpit = min(armpit, steepest + int(slowed[0]) + step)
        return first + armpit

    @cached_property
    def _shoulder_span(self) -> float:
        """The whole width _SHOULDER_SPAN_DEPTH of the garment's length below its shoulders' tops."""
        top = float(self._shoulders()[:, 1].mean())
        left, right = self.span(top + _SHOULDER_SPAN_DEPTH * (self._hem_row() - top))
        return float(right - left)

    @cached_property
    def _hem(self) -> int:
        central = self._spans[1]
        rows = np.flatnonzero((central[:, 0] <= self.centre) & (self.centre < central[:, 1]))
        return int(rows[-1]) if rows.size else self.height - 1

    def _hem_row(self) -> int:
        return self._hem

    def _chest(self) -> Run:
        """(left, right) x of the torso's sides at the armpits."""
        return self.central_run(self._armpit_row())

    @cached_property
    def _sleeves(self) -> list[tuple[Points, SleeveProfile]] | None:
        """Per side: the sleeve's root on the torso's side (top, bottom) and its profile (SleeveProfile, analysis
        pixels); or None.

        A sleeve is the garment beyond the torso's side above the hem. Its root runs down the side from
        the shoulder to the armpit; its axis runs from the root's middle to its far end (out to the side when
        held out, below when hanging), and it is read across that axis all along it.
        """
        if not self.has_sleeves:
            return None
        left, right = self._chest()
        armpit = float(self._armpit_row())
        ys, xs = np.nonzero(self._sleeve_candidates)
        sleeves = []
        for sign, side_x in ((-1, left), (1, right)):
            inside = sign * (xs - side_x) > 0
            if inside.sum() < 0.01 * self.mask.sum():
                return None
            column = np.flatnonzero(self.mask[:, int(np.clip(side_x - sign, 0, self.width - 1))])
            top = float(column[0]) if column.size else 0.0
            bottom = max(armpit, top + 1)
            root = np.array([side_x, (top + bottom) / 2], np.float32)
            points = np.stack([xs[inside], ys[inside]], axis=1).astype(np.float32)
            # Distance from the root segment: a sleeve held out ends far to the side, a hanging one far below.
            reach = np.hypot(
                points[:, 0] - side_x,
                np.maximum(0, points[:, 1] - bottom) + np.maximum(0, top - points[:, 1]),
            )
            if reach.max() < 0.15 * (right - left):
                return None
            axis = points[reach >= 0.85 * reach.max()].mean(axis=0) - root
            axis /= np.linalg.norm(axis) or 1.0
            normal = np.array([-axis[1], axis[0]], np.float32)
            top_seam = 1 if (np.array([side_x, top]) - root) @ normal > 0 else -1
            sleeves.append(
                (
                    np.array([[side_x, top], [side_x, bottom]], np.float32),
                    _profile(points - root, root, axis, normal, top_seam),
                )
            )
        return sleeves

    @cached_property
    def upper_landmarks(self) -> UpperLandmarks:
        shoulders = self._shoulders()
        armpit = self._armpit_row()
        hem = self._hem_row()
        armpits = np.array([self.central_run(armpit)[0], self.central_run(armpit)[1]], np.float32)
        hem_run = self.central_run(max(0, hem - int(0.02 * self.height)))
        side_rows = np.linspace(armpit, hem, 5)[1:-1]
        sides = np.array([self.central_run(y) for y in side_rows], np.float32)
        sleeves = self._sleeves
        profiles = None
        if sleeves is not None:
            shoulders = np.array(
                [root[0] for root, _ in sleeves]
            )  # the top of each sleeve's root: where it meets the shoulder
            profiles = tuple(profile.scaled(1 / self._scale, self._origin) for _, profile in sleeves)
        collar_row = np.flatnonzero(self.mask[:, int(np.clip(self.centre, 0, self.width - 1))])
        return UpperLandmarks(
            collar=self._to_photo(np.array([[self.centre, collar_row[0] if collar_row.size else 0]]))[0],
            shoulders=self._to_photo(shoulders),
            strap_tops=self._to_photo(shoulders if sleeves is not None else self._shoulders(straps=True)),
            armpits=self._to_photo(np.array([[armpits[0], armpit], [armpits[1], armpit]])),
            sleeves=profiles,
            hem=self._to_photo(np.array([[hem_run[0], hem], [hem_run[1], hem]])),
            sides=sides / self._scale + self._origin[0],
            side_rows=side_rows / self._scale + self._origin[1],
            torso_width=self.torso_width / self._scale,
            shoulder_span=self._shoulder_span / self._scale,
        )

    @cached_property
    def lower_landmarks(self) -> LowerLandmarks:
        waist_row = int(0.02 * self.height)
        waist = self.span(waist_row)
        crotch = self.crotch
        bottom = self.height - 1 - int(0.01 * self.height)
        if crotch is not None:
            leg_rows = crotch[1] + np.array(_LEG_ROWS) * (bottom - crotch[1])
            hem_gap = _central_gap(self.runs[bottom], self.centre, self.width) or (crotch[0], crotch[0])
            legs: list[list[Run]] = [[], []]
            for y in leg_rows:
                # Where the legs part on this row: on the line from the crotch to the gap between the hems.
                split = crotch[0] + (y - crotch[1]) / max(bottom - crotch[1], 1) * (
                    (hem_gap[0] + hem_gap[1]) / 2 - crotch[0]
                )
                runs = self.runs[int(y)] or [(split - 1, split + 1)]
                left = [run for run in runs if run[0] < split] or [(split - 1, split)]
                right = [run for run in runs if run[1] > split] or [(split, split + 1)]
                legs[0].append((left[0][0], min(left[-1][1], split)))
                legs[1].append((max(right[0][0], split), right[-1][1]))
            leg_edges = np.array(legs, np.float32)
            side_bottom = crotch[1]
        else:
            leg_rows = np.array([bottom], np.float32)
            leg_edges = np.array([[self.span(bottom)]], np.float32)
            side_bottom = bottom
        side_rows = np.linspace(waist_row, side_bottom, 4)[1:-1]
        sides = np.array([self.span(y) for y in side_rows], np.float32)
        return LowerLandmarks(
            waist=self._to_photo(np.array([[waist[0], waist_row], [waist[1], waist_row]])),
            crotch=None if crotch is None else self._to_photo(crotch[None])[0],
            leg_rows=leg_rows / self._scale + self._origin[1],
            leg_edges=leg_edges / self._scale + self._origin[0],
            sides=sides / self._scale + self._origin[0],
            side_rows=side_rows / self._scale + self._origin[1],
            waist_width=(waist[1] - waist[0]) / self._scale,
        )

    def sleeve_masks(self, shape: tuple[int, ...]) -> list[Mask]:
        """Boolean masks, in the photo's pixels (`shape`), of the garment's left and right sleeves."""
        masks = []
        left, right = self._chest()
        for side in (0, 1):
            candidates = self._sleeve_candidates.copy()
            if side == 0:
                candidates[:, int(left) :] = False
            else:
                candidates[:, : int(right)] = False
            grown = cv2.dilate(candidates.astype(np.uint8), np.ones((3, 3), np.uint8))
            x0, y0 = int(self._origin[0]), int(self._origin[1])
            size = (max(1, round(self.width / self._scale)), max(1, round(self.height / self._scale)))
            placed = np.zeros(shape, bool)
            resized = (
                cv2.resize(
                    np.pad(grown, ((0, self.height - grown.shape[0]), (0, 0))),
                    size,
                    interpolation=cv2.INTER_NEAREST,
                )
                > 0
            )
            height, width = min(resized.shape[0], shape[0] - y0), min(resized.shape[1], shape[1] - x0)
            placed[y0 : y0 + height, x0 : x0 + width] = resized[:height, :width]
            # Never into the chest: the mask's blocky edge (it was read at a coarser scale) stays beside it.
            side_x = (left if side == 0 else right) / self._scale + self._origin[0]
            if side == 0:
                placed[:, max(0, int(side_x)) :] = False
            else:
                placed[:, : int(side_x) + 1] = False
            masks.append(placed)
        return masks

    def _to_photo(self, points: ArrayLike) -> Points:
        photo: Points = np.asarray(points, np.float32) / self._scale + self._origin
        return photo


def garment_type(alpha: ArrayLike, rgb: RGB | None = None) -> str:
    """The garment type its outline (and, for a front opening, its picture) suggests; see the module docstring."""
    return Outline(alpha, rgb).garment_type


def _rows_of_runs(mask: Mask, gap: int) -> list[list[Run]]:
    """Per row, (start, end) of its foreground stretches, joining stretches split by gaps under `gap` px."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), np.int8)
    padded[:, 1:-1] = mask
    rows, columns = np.nonzero(np.diff(padded, axis=1))
    rows_of_runs: list[list[Run]] = [[] for _ in range(mask.shape[0])]
    for row, start, end in zip(rows[::2], columns[::2], columns[1::2]):
        runs = rows_of_runs[row]
        if runs and start - runs[-1][1] < gap:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return rows_of_runs


def _profile(
    offsets: Points,
    root: Point,
    axis: NDArray[np.float32],
    normal: NDArray[np.float32],
    top_seam: int,
    count: int = 24,
) -> SleeveProfile:
    """SleeveProfile of a sleeve's pixels (their offsets from the root's middle), read across its axis. Its ends
    are cut off where the sleeve is less than three fifths of its usual width there: a sleeve laid slanting
    meets the torso's side, and ends at a slanting cuff, in a point."""
    along, across = offsets @ axis, offsets @ normal
    edges = np.linspace(along.min(), along.max(), count + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    low, high = np.full(count, np.nan, np.float32), np.full(count, np.nan, np.float32)
    bins = np.clip(np.searchsorted(edges, along, side="right") - 1, 0, count - 1)
    for index in np.unique(bins):
        inside = across[bins == index]
        low[index], high[index] = inside.min(), inside.max()
    found = ~np.isnan(low)
    low, high = (np.interp(centres, centres[found], values[found]) for values in (low, high))
    full = np.flatnonzero(high - low >= 0.6 * np.median(high - low))
    kept = slice(full[0], full[-1] + 1)
    # A pixel in from the outline read at this coarse scale: the band's edges then show no background.
    return SleeveProfile(
        root,
        axis,
        normal,
        centres[kept].astype(np.float32),
        low[kept].astype(np.float32) + 1,
        high[kept].astype(np.float32) - 1,
        top_seam,
    )


def _apex(edges: NDArray[np.float32], reach: float) -> float:
    """The row where the two edges of a slit (rows of y, left x, right x), carried on upwards as straight lines,
    meet; at most `reach` rows above its top (as much as smoothing a cut-out closes of a narrow tip)."""
    y, left, right = edges.T
    if len(y) < 3 or np.ptp(y) == 0:
        return float(y[0])
    widening = np.polyfit(y, right - left, 1)  # width = a·y + b
    if widening[0] <= 0:
        return float(y[0])
    return float(np.clip(-widening[1] / widening[0], y[0] - reach, y[0]))


def _gaps(runs: Sequence[Run]) -> list[Run]:
    return [(first[1], second[0]) for first, second in zip(runs, runs[1:])]


def _central_gap(runs: Sequence[Run], centre: float, width: int) -> Run | None:
    """The gap between two runs that holds the middle of the garment, when both legs beside it are substantial."""
    for (left, right), gap in zip(zip(runs, runs[1:]), _gaps(runs)):
        middle = (gap[0] + gap[1]) / 2
        if (
            abs(middle - centre) < 0.2 * width
            and left[1] - left[0] > 0.1 * width
            and right[1] - right[0] > 0.1 * width
        ):
            return gap
    return None

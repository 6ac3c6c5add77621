"""Map labels that never run into each other: a deterministic placement on a fixed view.

Each label comes with candidate points inside its area in the map's own units (screen pixels
for the web map, points for the PDF map), best first. A label is tried in full on one line,
then wrapped to two lines, at each candidate in turn; the first box that stays in the frame
and clears every box placed before it wins. A label that fits nowhere becomes a number, and
the name goes into the key beside the map ("1 Binnenstad"). Pure: the render layer measures
text and finds the candidates, this module only decides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Advance widths in em of a bold sans (Arial Bold, a little wider than the Source Sans the
# browser uses), so an estimated box is never smaller than the drawn text.
_NARROW = dict.fromkeys("iljIf.,:;'!|() ", 0.30)
_MIDDLE = dict.fromkeys("rt-/", 0.40)
_WIDE = dict.fromkeys("mwMW", 0.95)
_UPPER = dict.fromkeys("ABCDEFGHKNOPQRSTUVXYZ", 0.76)
EM = {**_NARROW, **_MIDDLE, **_WIDE, **_UPPER}
DEFAULT_EM = 0.62
LINE_HEIGHT = 1.2


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        """True when the boxes (each grown by half of `gap`) share any area."""
        return not (
            self.x1 + gap <= other.x0
            or other.x1 + gap <= self.x0
            or self.y1 + gap <= other.y0
            or other.y1 + gap <= self.y0
        )

    def inside(self, frame: Box) -> bool:
        return (
            self.x0 >= frame.x0
            and self.y0 >= frame.y0
            and self.x1 <= frame.x1
            and self.y1 <= frame.y1
        )


@dataclass(frozen=True)
class Label:
    key: str  # the area code
    text: str
    candidates: tuple[tuple[float, float], ...]  # points inside the area, best first


@dataclass(frozen=True)
class Placed:
    key: str
    name: str  # the full label
    text: str  # as drawn: the name, the name on two lines, or a number
    x: float
    y: float
    box: Box | None  # None: not on the map at all (only in the key)
    number: int | None = None  # set when the name is in the key beside the map


Measure = Callable[[str], tuple[float, float]]


def estimate(size: float) -> Measure:
    """A measure of (width, height) of a text at font size `size` from the width table."""

    def measure(text: str) -> tuple[float, float]:
        lines = text.split("\n")
        width = max(sum(EM.get(ch, DEFAULT_EM) for ch in line) for line in lines) * size
        return width, len(lines) * size * LINE_HEIGHT

    return measure


def box_at(x: float, y: float, size: tuple[float, float], pad: float = 0.0) -> Box:
    """The box of a text of `size` centred on (x, y), grown by `pad` on every side."""
    w, h = size
    return Box(x - w / 2 - pad, y - h / 2 - pad, x + w / 2 + pad, y + h / 2 + pad)


def wraps(text: str) -> list[str]:
    """Two-line forms of a label, most balanced first: at " - ", a space or a hyphen."""
    out: list[tuple[tuple[int, int], str]] = []
    for sep, keep in ((" - ", " -"), (" ", ""), ("-", "-")):
        start = 0
        while (i := text.find(sep, start)) > 0:
            head, tail = text[:i] + keep, text[i + len(sep) :]
            if head.strip() and tail.strip() and not tail.startswith("-"):
                balance = (abs(len(head) - len(tail)), -len(head))  # a tie: the longer head
                out.append((balance, f"{head.strip()}\n{tail.strip()}"))
            start = i + 1
    seen: list[str] = []
    for _, form in sorted(out, key=lambda t: t[0]):
        if form not in seen:
            seen.append(form)
    return seen


def place(
    labels: Sequence[Label],
    measure: Measure,
    frame: Box | None = None,
    pad: float = 2.0,
    gap: float = 2.0,
) -> list[Placed]:
    """Place every label (in the order given: put the hardest, the smallest areas, first).

    Returns one `Placed` per label in the same order. Numbers are given in that order to the
    labels that had to become one.
    """
    taken: list[Box] = []

    def fits(text: str, point: tuple[float, float], extra: Box | None = None) -> Box | None:
        box = box_at(point[0], point[1], measure(text), pad)
        if frame is not None and not box.inside(frame):
            return None
        if any(box.overlaps(other, gap) for other in taken):
            return None
        if extra is not None and box.overlaps(extra, gap):
            return None
        return box

    def leaves_room(box: Box, later: Sequence[Label]) -> bool:
        """Every label still to come that has a place for its number keeps one."""
        return all(
            any(fits(digits, p, box) for p in label.candidates)
            or not any(fits(digits, p) for p in label.candidates)
            for label in later
        )

    result: dict[int, Placed] = {}
    digits = str(len(labels))  # the widest number a label can get
    numbered = 0
    for i, label in enumerate(labels):
        later = labels[i + 1 :]
        for form in (label.text, *wraps(label.text), None):
            if form is None:  # no form fits: a number now, so nothing later takes its place
                numbered += 1
                form = str(numbered)
            spot = next(
                (
                    (p, b)
                    for p in label.candidates
                    if (b := fits(digits if form.isdigit() else form, p)) is not None
                    and (form.isdigit() or leaves_room(b, later))
                ),
                None,
            )
            number = numbered if form.isdigit() else None
            if spot is not None:
                (x, y), box = spot
                taken.append(box)
                result[i] = Placed(label.key, label.text, form, x, y, box, number)
                break
            if number is not None:
                first = label.candidates[0] if label.candidates else (0.0, 0.0)
                result[i] = Placed(label.key, label.text, form, *first, None, number)
    return [result[i] for i in range(len(labels))]


def key_lines(placed: Sequence[Placed]) -> list[str]:
    """The key beside the map: "1 Binnenstad" for every label drawn as a number."""
    numbered = sorted((p for p in placed if p.number is not None), key=lambda p: p.number)
    return [
        f"{p.number} {p.name}" + ("" if p.box is not None else " (te klein voor de kaart)")
        for p in numbered
    ]


def overlapping(boxes: Sequence[Box]) -> list[tuple[int, int]]:
    """Pairs of boxes that overlap (for tests and checks)."""
    return [
        (i, j)
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]

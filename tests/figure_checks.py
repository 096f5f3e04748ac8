"""Geometry checks for figures, as a reader would look at them: nothing clipped, legends over no data.

Everything is measured in display coordinates after the figure has been drawn (so after its layout
engine ran). A line counts where it is visible: the part of it inside its clip box (the axes).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import PolyCollection, QuadMesh
from matplotlib.contour import ContourSet
from matplotlib.image import AxesImage
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

SLACK = 1.0  # pixels: boxes that merely touch do not overlap


def _shrunk(box: Bbox, by: float = SLACK) -> Bbox:
    return Bbox.from_extents(box.x0 + by, box.y0 + by, box.x1 - by, box.y1 - by)


def _overlap(a: Bbox, b: Bbox) -> bool:
    return _shrunk(a).overlaps(_shrunk(b))


def legends(fig) -> list[Legend]:
    found = list(fig.legends)
    for ax in fig.axes:
        if ax.get_legend() is not None:
            found.append(ax.get_legend())
    return [leg for leg in found if leg.get_visible()]


def _legend_texts(fig) -> set[int]:
    ids = set()
    for leg in legends(fig):
        ids |= {id(t) for t in leg.get_texts()}
        ids.add(id(leg.get_title()))
    return ids


def _tick_labels(fig) -> tuple[set[int], list[Text]]:
    """(ids of every tick label, the tick labels actually drawn: ticks inside the view)."""
    every, drawn = set(), []
    for ax in fig.axes:
        axes = [ax.xaxis, ax.yaxis] + ([ax.zaxis] if hasattr(ax, "zaxis") else [])
        for axis in axes:
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                every |= {id(tick.label1), id(tick.label2)}
            if ax.name == "3d":
                continue  # 3-D tick labels are placed by the projection: not checked
            for tick in axis._update_ticks():
                drawn += [lab for lab in (tick.label1, tick.label2) if lab.get_visible()]
    return every, drawn


def texts(fig, renderer) -> list[tuple[Text, Bbox]]:
    """Every visible, non-empty text of the figure outside the legends, with its box."""
    skip = _legend_texts(fig)
    ticks, drawn = _tick_labels(fig)
    out = []
    for t in [t for t in fig.findobj(Text) if id(t) not in ticks] + drawn:
        if id(t) in skip or not t.get_visible() or not t.get_text().strip():
            continue
        box = t.get_window_extent(renderer)
        if box.width > 0 and box.height > 0:
            out.append((t, box))
    return out


def _visible_lines(ax):
    for line in ax.get_lines():
        if not line.get_visible() or len(line.get_xdata()) == 0:
            continue
        yield line


def _is_filled(ax) -> bool:
    """Axes whose whole area is data (a contour map, a heatmap, an image)."""
    for c in ax.get_children():
        if isinstance(c, (AxesImage, QuadMesh)):
            return True
        if isinstance(c, ContourSet) and c.filled:
            return True
    return False


def line_hits(line: Line2D, box: Bbox) -> bool:
    """Whether the visible part of ``line`` (its segments and markers) enters ``box``."""
    if line.get_clip_on() and line.axes is not None:
        clip = line.axes.bbox
        if not clip.overlaps(box):
            return False
        box = Bbox.intersection(box, clip)
        if box is None:
            return False
    box = _shrunk(box)
    path = line.get_transform().transform_path(line.get_path())
    vertices = path.vertices[np.all(np.isfinite(path.vertices), axis=1)]
    if box.count_contains(vertices):
        return True
    if line.get_linestyle() in ("None", "none", "", " "):
        return False
    return bool(path.intersects_bbox(box, filled=False))


def problems(fig) -> list[str]:
    """What a reader would complain about, as sentences (empty: the figure is clean)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    found = []
    for t, box in texts(fig, renderer):
        if not (
            box.x0 >= frame.x0 - SLACK
            and box.y0 >= frame.y0 - SLACK
            and box.x1 <= frame.x1 + SLACK
            and box.y1 <= frame.y1 + SLACK
        ):
            found.append(f"text {t.get_text()!r} is clipped by the figure's edge")
    all_texts = texts(fig, renderer)
    for ax in fig.axes:
        titles = [tt for tt in (ax.title, ax._left_title, ax._right_title) if tt.get_text()]
        for tt in titles:
            tbox = tt.get_window_extent(renderer)
            for other, obox in all_texts:
                if other is not tt and other not in titles and _overlap(tbox, obox):
                    found.append(f"title {tt.get_text()!r} overlaps {other.get_text()!r}")
    for (
        ax
    ) in fig.axes:  # annotations (e.g. the numbers in heatmap cells) must not run into each other
        notes = [
            (t, t.get_window_extent(renderer)) for t in ax.texts if t.get_visible() and t.get_text()
        ]
        for i, (a, abox) in enumerate(notes):
            for b, bbox in notes[i + 1 :]:
                if _shrunk(abox, -2.0).overlaps(_shrunk(bbox, -2.0)):  # at least 4 px apart
                    found.append(f"the text {a.get_text()!r} runs into {b.get_text()!r}")
    boxes = []
    for leg in legends(fig):
        box = leg.get_window_extent(renderer)
        name = ", ".join(t.get_text() for t in leg.get_texts()[:2])
        boxes.append((name, box))
        if not (
            box.x0 >= -SLACK
            and box.y0 >= -SLACK
            and box.x1 <= frame.x1 + SLACK
            and box.y1 <= frame.y1 + SLACK
        ):
            found.append(f"legend [{name}] is clipped by the figure's edge")
        for ax in fig.axes:
            if ax.name == "3d":
                if _overlap(box, ax.bbox):
                    found.append(f"legend [{name}] covers the 3-D axes")
                continue
            if _is_filled(ax) and _overlap(box, ax.bbox):
                found.append(f"legend [{name}] covers the map in {ax.get_title()!r}")
            for line in _visible_lines(ax):
                if line_hits(line, box):
                    found.append(f"legend [{name}] covers the line {line.get_label()!r}")
            for coll in ax.collections:
                if (
                    isinstance(coll, PolyCollection)
                    and coll.get_visible()
                    and _overlap(box, ax.bbox)
                ):
                    for path in coll.get_paths():
                        pbox = coll.get_transform().transform_path(path).get_extents()
                        if _overlap(box, pbox):
                            found.append(f"legend [{name}] covers cells in {ax.get_title()!r}")
                            break
        for t, tbox in all_texts:
            if _overlap(box, tbox):
                found.append(f"legend [{name}] covers the text {t.get_text()!r}")
    for i, (a, abox) in enumerate(boxes):
        for b, bbox in boxes[i + 1 :]:
            if _overlap(abox, bbox):
                found.append(f"legends [{a}] and [{b}] overlap")
    return found


def assert_clean(fig):
    found = problems(fig)
    assert not found, "\n".join(found)
    plt.close(fig)

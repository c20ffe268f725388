"""Charts of a chances run as PNG and SVG files, drawn directly from the data.

Both charts are a handful of bars, axes and labels, so each is laid out once as a list of
shapes (in points, y downwards) and written twice: as SVG text (real text, readable on a
phone and by a screen reader, each bar titled with its value) and as a PNG rasterised with
numpy. Only the PNG's text needs a font renderer: matplotlib's FreeType binding and its
DejaVu Sans, imported when a PNG is drawn. Building a matplotlib Figure instead took longer
than the whole simulation. The same data always gives the same bytes.
"""

from __future__ import annotations

import html
import math
import struct
import threading
import warnings
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from matplotlib.ft2font import FT2Font

Anchor = Literal["start", "middle", "end"]

DPI = 120  # of the PNGs; the SVGs are in points (1/72 inch)
FONT_SIZE = 10.0  # points: tick and axis labels
TITLE_SIZE = 12.0
PAD = 7.2  # points of white around the chart
TICK = 3.5  # tick length, points
LINE = 0.8  # axis and tick width, points
GAP = 3.5  # between a tick and its label, points
INK = "#000000"
FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"
HISTOGRAM_BINS = 20


@dataclass(frozen=True)
class _Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    title: str = ""  # the value it shows, as the SVG's tooltip
    stroke: str = ""
    stroke_width: float = 0.0


@dataclass(frozen=True)
class _Line:  # horizontal or vertical only
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = LINE


@dataclass(frozen=True)
class _Text:
    x: float  # of the anchor, on the baseline
    y: float
    text: str
    size: float = FONT_SIZE
    anchor: Anchor = "start"
    vertical: bool = False  # read bottom to top, (x, y) on its baseline


@dataclass
class _Chart:
    """A chart laid out in points, y downwards."""

    width: float
    height: float
    title: str
    shapes: list[_Rect | _Line | _Text] = field(default_factory=list)


@dataclass(frozen=True)
class _Axes:
    """The plotting area (points) and the data range it shows."""

    left: float
    top: float
    right: float
    bottom: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]  # y_range[0] at the bottom, unless inverted
    inverted: bool = False

    def x(self, value: float) -> float:
        low, high = self.x_range
        return self.left + (value - low) / (high - low) * (self.right - self.left)

    def y(self, value: float) -> float:
        low, high = self.y_range
        share = (value - low) / (high - low)
        return (
            self.top + share * (self.bottom - self.top)
            if self.inverted
            else (self.bottom - share * (self.bottom - self.top))
        )


def probability_histogram(probabilities: Sequence[float], *, title: str) -> dict[str, str | bytes]:
    """How many candidates have each chance of placement (20 bins from 0 to 1; the last bin
    includes 1, as numpy's histogram counts)."""
    counts, edges = np.histogram(
        np.asarray(probabilities, dtype=np.float64), bins=HISTOGRAM_BINS, range=(0.0, 1.0)
    )
    top = max(float(counts.max(initial=0)) * 1.05, 1.0)  # a 5% margin above the tallest bar
    y_ticks = _nice_ticks(top)
    labels = [f"{v:g}" for v in y_ticks]
    chart = _Chart(504.0, 288.0, title)  # 7 x 4 inches
    axes = _Axes(
        left=PAD + FONT_SIZE * 1.2 + GAP + _widest(labels, FONT_SIZE) + GAP + TICK,
        top=PAD + TITLE_SIZE * 1.5,
        right=chart.width - PAD - _text_width("1.0", FONT_SIZE) / 2,
        bottom=chart.height - PAD - FONT_SIZE * 2.6 - GAP - TICK,
        x_range=(0.0, 1.0),
        y_range=(0.0, top),
    )
    for count, low, high in zip(
        counts.tolist(), edges[:-1].tolist(), edges[1:].tolist(), strict=True
    ):
        if count == 0:
            continue
        bar_top = axes.y(count)
        chart.shapes.append(
            _Rect(
                axes.x(low),
                bar_top,
                axes.x(high) - axes.x(low),
                axes.bottom - bar_top,
                fill="#2f6db5",
                title=f"{low:.2f}–{high:.2f}: {count} candidates",
                stroke="#ffffff",
                stroke_width=1.0,
            )
        )
    _frame(chart, axes, "Estimated probability of placement")
    _x_ticks(chart, axes, [i / 5 for i in range(6)])
    for value, label in zip(y_ticks, labels, strict=True):
        _y_tick(chart, axes, axes.y(value), label)
    middle = (axes.top + axes.bottom) / 2
    chart.shapes.append(
        _Text(PAD + FONT_SIZE * 0.95, middle, "Candidates", anchor="middle", vertical=True)
    )
    return _render(chart, "probability_histogram")


def prefecture_chart(by_prefecture: Mapping[str, float], *, title: str) -> dict[str, str | bytes]:
    """Mean chance of placement by the candidates' first-choice prefecture, in the given order
    from top to bottom."""
    names = list(by_prefecture)
    chart = _Chart(504.0, max(3.0, 0.25 * len(names) + 1) * 72.0, title)
    margin = 0.05 * max(len(names) - 0.2, 0.8)  # around the bars, in bar slots
    axes = _Axes(
        left=PAD + _widest(names, FONT_SIZE) + GAP + TICK,
        top=PAD + TITLE_SIZE * 1.5,
        right=chart.width - PAD - _text_width("1.0", FONT_SIZE) / 2,
        bottom=chart.height - PAD - FONT_SIZE * 2.6 - GAP - TICK,
        x_range=(0.0, 1.0),
        y_range=(-0.4 - margin, max(len(names), 1) - 0.6 + margin),
        inverted=True,
    )
    for i, name in enumerate(names):
        value = by_prefecture[name]
        bar_top = axes.y(i - 0.4)
        chart.shapes.append(
            _Rect(
                axes.x(0.0),
                bar_top,
                axes.x(min(max(value, 0.0), 1.0)) - axes.x(0.0),
                axes.y(i + 0.4) - bar_top,
                fill="#b3282d",
                title=f"{name}: {value:.3f}",
            )
        )
        _y_tick(chart, axes, axes.y(i), name)
    _frame(chart, axes, "Mean estimated probability of placement")
    _x_ticks(chart, axes, [i / 5 for i in range(6)])
    return _render(chart, "prefecture_chances")


def _nice_ticks(top: float) -> list[float]:
    """Ticks from 0 at a round step (1, 2, 2.5 or 5 times a power of ten), about five of them,
    the last not above `top` (counts of candidates: never a fractional step)."""
    raw = top / 5
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    step = max(step, 1.0)
    return [i * step for i in range(int(top // step) + 1)]


def _frame(chart: _Chart, axes: _Axes, x_label: str) -> None:
    """The title, the four sides of the plotting area and the x axis's label."""
    chart.shapes.append(
        _Text(
            (axes.left + axes.right) / 2,
            axes.top - TITLE_SIZE * 0.6,
            chart.title,
            size=TITLE_SIZE,
            anchor="middle",
        )
    )
    left, top, right, bottom = axes.left, axes.top, axes.right, axes.bottom
    chart.shapes += [
        _Line(left, top, left, bottom),
        _Line(right, top, right, bottom),
        _Line(left, top, right, top),
        _Line(left, bottom, right, bottom),
    ]
    chart.shapes.append(
        _Text(
            (left + right) / 2,
            bottom + TICK + GAP + FONT_SIZE * 2.3,
            x_label,
            anchor="middle",
        )
    )


def _x_ticks(chart: _Chart, axes: _Axes, values: Sequence[float]) -> None:
    for value in values:
        x = axes.x(value)
        chart.shapes.append(_Line(x, axes.bottom, x, axes.bottom + TICK))
        chart.shapes.append(
            _Text(x, axes.bottom + TICK + GAP + FONT_SIZE * 0.76, f"{value:.1f}", anchor="middle")
        )


def _y_tick(chart: _Chart, axes: _Axes, y: float, label: str) -> None:
    chart.shapes.append(_Line(axes.left - TICK, y, axes.left, y))
    chart.shapes.append(_Text(axes.left - TICK - GAP, y + FONT_SIZE * 0.36, label, anchor="end"))


def _render(chart: _Chart, stem: str) -> dict[str, str | bytes]:
    return {f"{stem}.png": _png(chart), f"{stem}.svg": _svg(chart)}


# SVG ----------------------------------------------------------------------------------------


def _svg(chart: _Chart) -> str:
    """The chart as SVG 1.1, sized in points like the PNG is at 72 dpi."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{_n(chart.width)}pt" '
        f'height="{_n(chart.height)}pt" viewBox="0 0 {_n(chart.width)} {_n(chart.height)}" '
        'role="img" aria-labelledby="chart-title">\n',
        f'<title id="chart-title">{html.escape(chart.title)}</title>\n',
        f'<rect width="{_n(chart.width)}" height="{_n(chart.height)}" fill="#ffffff"/>\n',
        f'<g font-family="{FONT_FAMILY}" fill="{INK}">\n',
    ]
    for shape in chart.shapes:
        if isinstance(shape, _Rect):
            stroke = (
                f' stroke="{shape.stroke}" stroke-width="{_n(shape.stroke_width)}"'
                if shape.stroke
                else ""
            )
            rect = (
                f'<rect x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.width)}" '
                f'height="{_n(shape.height)}" fill="{shape.fill}"{stroke}'
            )
            tip = html.escape(shape.title)
            out.append(f"{rect}><title>{tip}</title></rect>\n" if tip else f"{rect}/>\n")
        elif isinstance(shape, _Line):
            out.append(
                f'<line x1="{_n(shape.x1)}" y1="{_n(shape.y1)}" x2="{_n(shape.x2)}" '
                f'y2="{_n(shape.y2)}" stroke="{INK}" stroke-width="{_n(shape.width)}" '
                'stroke-linecap="square"/>\n'
            )
        else:
            place = (
                f'transform="translate({_n(shape.x)} {_n(shape.y)}) rotate(-90)"'
                if shape.vertical
                else f'x="{_n(shape.x)}" y="{_n(shape.y)}"'
            )
            out.append(
                f'<text {place} font-size="{_n(shape.size)}" text-anchor="{shape.anchor}">'
                f"{html.escape(shape.text)}</text>\n"
            )
    out.append("</g>\n</svg>\n")
    return "".join(out)


def _n(value: float) -> str:
    """A coordinate to 0.01 pt, without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# PNG ----------------------------------------------------------------------------------------


def _png(chart: _Chart) -> bytes:
    """The chart rasterised at DPI: rectangles and lines snapped to whole pixels, text drawn
    by FreeType (anti-aliased) and blended in."""
    scale = DPI / 72
    width, height = round(chart.width * scale), round(chart.height * scale)
    image = np.full((height, width, 3), 255, dtype=np.uint8)
    for shape in chart.shapes:
        if isinstance(shape, _Rect):
            x0, y0 = shape.x * scale, shape.y * scale
            x1, y1 = (shape.x + shape.width) * scale, (shape.y + shape.height) * scale
            _fill(image, x0, y0, x1, y1, shape.fill)
            if shape.stroke:
                half = max(shape.stroke_width * scale, 1.0) / 2
                for a, b, c, d in (
                    (x0 - half, y0, x0 + half, y1),
                    (x1 - half, y0, x1 + half, y1),
                    (x0, y0 - half, x1, y0 + half),
                    (x0, y1 - half, x1, y1 + half),
                ):
                    _fill(image, a, b, c, d, shape.stroke)
        elif isinstance(shape, _Line):
            half = max(shape.width * scale, 1.0) / 2
            x0, x1 = sorted((shape.x1 * scale, shape.x2 * scale))
            y0, y1 = sorted((shape.y1 * scale, shape.y2 * scale))
            _fill(image, x0 - half, y0 - half, x1 + half, y1 + half, INK)
        else:
            _draw_text(image, shape, scale)
    return _encode_png(image)


def _fill(image: np.ndarray, x0: float, y0: float, x1: float, y1: float, colour: str) -> None:
    height, width = image.shape[:2]
    left, right = max(round(x0), 0), min(max(round(x1), round(x0) + 1), width)
    top, bottom = max(round(y0), 0), min(max(round(y1), round(y0) + 1), height)
    if left < right and top < bottom:
        image[top:bottom, left:right] = _rgb(colour)


def _rgb(colour: str) -> tuple[int, int, int]:
    value = int(colour.lstrip("#"), 16)
    return value >> 16, (value >> 8) & 0xFF, value & 0xFF


def _draw_text(image: np.ndarray, text: _Text, scale: float) -> None:
    """Blend the text's glyphs (ink as coverage) into the image at its anchor."""
    font = _font()
    font.set_size(text.size, DPI)
    with warnings.catch_warnings():  # a glyph DejaVu lacks is left blank, as SVG viewers do not
        warnings.simplefilter("ignore")
        font.set_text(text.text, 0.0)
        font.draw_glyphs_to_bitmap()
    glyphs = font.get_image()
    above = glyphs.shape[0] - round(font.get_descent() / 64) - 1  # rows above the baseline
    share = {"start": 0.0, "middle": 0.5, "end": 1.0}[text.anchor]
    x, y = text.x * scale, text.y * scale
    if text.vertical:
        glyphs = np.rot90(glyphs)
        left, top = round(x - above), round(y - share * glyphs.shape[0])
    else:
        left, top = round(x - share * glyphs.shape[1]), round(y - above)
    height, width = image.shape[:2]
    rows = slice(max(top, 0), min(top + glyphs.shape[0], height))
    cols = slice(max(left, 0), min(left + glyphs.shape[1], width))
    if rows.start >= rows.stop or cols.start >= cols.stop:
        return
    ink = glyphs[rows.start - top : rows.stop - top, cols.start - left : cols.stop - left]
    coverage = ink[..., None].astype(np.float64) / 255.0
    colour = np.array(_rgb(INK), dtype=np.float64)
    region = image[rows, cols].astype(np.float64)
    image[rows, cols] = np.rint(region * (1.0 - coverage) + colour * coverage).astype(np.uint8)


def _widest(labels: Sequence[str], size: float) -> float:
    return max((_text_width(label, size) for label in labels), default=0.0)


def _text_width(text: str, size: float) -> float:
    """The text's advance width in points, as DejaVu Sans sets it."""
    font = _font()
    font.set_size(size, 72)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        font.set_text(text, 0.0)
    return font.get_width_height()[0] / 64


_local = threading.local()


def _font() -> FT2Font:
    """DejaVu Sans as matplotlib ships it (the face its charts always used): one per thread,
    since laying out text changes the font object's state."""
    font: FT2Font | None = getattr(_local, "font", None)
    if font is None:
        import matplotlib
        from matplotlib.ft2font import FT2Font

        font = _local.font = FT2Font(f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans.ttf")
    return font


def _encode_png(image: np.ndarray) -> bytes:
    """An 8-bit RGB PNG (no filtering; the charts are mostly flat colour), tagged at DPI."""
    height, width = image.shape[:2]
    rows = np.zeros((height, width * 3 + 1), dtype=np.uint8)  # each row: filter 0, then RGB
    rows[:, 1:] = image.reshape(height, width * 3)
    per_metre = round(DPI / 0.0254)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)),
            chunk(b"IEND", b""),
        )
    )

"""Chances charts: both files show the data given (bar by bar), and the same data gives the
same bytes."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
import zlib

import numpy as np
import pytest

from altmatch.io import plots

SVG = "{http://www.w3.org/2000/svg}"
PROBABILITIES = [0.0, 0.0, 0.01, 0.049, 0.05, 0.33, 0.5, 0.5, 0.97, 0.999, 1.0, 1.0, 1.0]
PREFECTURES = {"(anywhere)": 0.25, "Aichi": 0.5, "Hokkaido": 1.0, "<Tokyo & co>": 0.125}


def bars(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]


def decode_png(data: bytes) -> np.ndarray:
    """The RGB pixels of an unfiltered 8-bit PNG (what plots writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0] == zlib.crc32(
            kind + body
        )
        chunks[kind] = chunks.get(kind, b"") + body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (8, 2)
    rows = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), dtype=np.uint8)
    rows = rows.reshape(height, width * 3 + 1)
    assert not rows[:, 0].any()  # filter 0 on every row
    return rows[:, 1:].reshape(height, width, 3)


def test_the_histogram_counts_each_bin_as_numpy_does() -> None:
    files = plots.probability_histogram(PROBABILITIES, title="Chances")
    assert set(files) == {"probability_histogram.png", "probability_histogram.svg"}
    counts, _ = np.histogram(PROBABILITIES, bins=20, range=(0, 1))
    shown = {
        r.findtext(f"{SVG}title").split(":")[0]: int(r.findtext(f"{SVG}title").split()[1])  # type: ignore[union-attr]
        for r in bars(str(files["probability_histogram.svg"]))
    }
    expected = {f"{i / 20:.2f}–{(i + 1) / 20:.2f}": int(n) for i, n in enumerate(counts) if n}
    assert shown == expected
    assert shown["0.95–1.00"] == 5  # 1.0 falls in the last bin
    heights = {
        r.findtext(f"{SVG}title").split(":")[0]: float(r.get("height", ""))  # type: ignore[union-attr]
        for r in bars(str(files["probability_histogram.svg"]))
    }
    per_candidate = heights["0.95–1.00"] / 5
    for label, n in expected.items():
        assert heights[label] == pytest.approx(n * per_candidate, abs=0.02)


def test_the_prefecture_chart_shows_each_mean_in_order_as_a_bar_length() -> None:
    files = plots.prefecture_chart(PREFECTURES, title="By prefecture")
    svg = str(files["prefecture_chances.svg"])
    shown = bars(svg)
    assert [r.findtext(f"{SVG}title") for r in shown] == [
        f"{name}: {value:.3f}" for name, value in PREFECTURES.items()
    ]
    widths = [float(r.get("width", "")) for r in shown]
    ys = [float(r.get("y", "")) for r in shown]
    assert ys == sorted(ys)  # first name on top
    for width, value in zip(widths, PREFECTURES.values(), strict=True):
        assert width == pytest.approx(widths[2] * value, abs=0.02)  # Hokkaido is 1.0
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert set(PREFECTURES) <= set(texts)  # names escaped in the file, intact when read


def test_the_png_bars_have_the_same_lengths_as_the_svg() -> None:
    files = plots.prefecture_chart(PREFECTURES, title="By prefecture")
    image = decode_png(bytes(files["prefecture_chances.png"]))
    width_pt = float(
        ET.fromstring(str(files["prefecture_chances.svg"])).get("viewBox", "").split()[2]
    )
    assert image.shape[1] == round(width_pt * plots.DPI / 72)
    red = np.all(image == (0xB3, 0x28, 0x2D), axis=2)
    lengths = red.sum(axis=1)
    runs = []  # bar lengths, top to bottom, one per bar
    for row in range(len(lengths)):
        if lengths[row] and (row == 0 or not lengths[row - 1]):
            runs.append(int(lengths[row]))
    assert len(runs) == len(PREFECTURES)
    longest = runs[2]
    for length, value in zip(runs, PREFECTURES.values(), strict=True):
        assert length == pytest.approx(longest * value, abs=1.5)


def test_the_png_histogram_draws_the_tallest_bar_in_the_first_bin() -> None:
    files = plots.probability_histogram([0.01] * 30 + [0.99] * 10, title="Chances")
    image = decode_png(bytes(files["probability_histogram.png"]))
    blue = np.all(image == (0x2F, 0x6D, 0xB5), axis=2)
    columns = np.flatnonzero(blue.any(axis=0))
    heights = blue.sum(axis=0)
    first, last = heights[columns[0] + 2], heights[columns[-1] - 2]
    assert first == pytest.approx(3 * last, rel=0.03)


def test_the_same_data_gives_the_same_bytes_and_no_data_still_draws() -> None:
    one = plots.probability_histogram(PROBABILITIES, title="x") | plots.prefecture_chart(
        PREFECTURES, title="y"
    )
    two = plots.probability_histogram(PROBABILITIES, title="x") | plots.prefecture_chart(
        PREFECTURES, title="y"
    )
    assert one == two
    empty = plots.probability_histogram([], title="x") | plots.prefecture_chart({}, title="y")
    for name, content in empty.items():
        if name.endswith(".svg"):
            assert not bars(str(content))
        else:
            decode_png(bytes(content))

"""Writes a realistic synthetic season folder (requests.csv, candidates.csv) of any size.

Usage: `.venv/bin/python benchmarks/season_generator.py OUTDIR --candidates 6000 --requests 1000`
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

PREFECTURES = [
    "Hokkaido", "Aomori", "Iwate", "Miyagi", "Akita", "Yamagata", "Fukushima", "Ibaraki",
    "Tochigi", "Gunma", "Saitama", "Chiba", "Tokyo", "Kanagawa", "Niigata", "Toyama",
    "Ishikawa", "Fukui", "Yamanashi", "Nagano", "Gifu", "Shizuoka", "Aichi", "Mie", "Shiga",
    "Kyoto", "Osaka", "Hyogo", "Nara", "Wakayama", "Tottori", "Shimane", "Okayama",
    "Hiroshima", "Yamaguchi", "Tokushima", "Kagawa", "Ehime", "Kochi", "Fukuoka", "Saga",
    "Nagasaki", "Kumamoto", "Oita", "Miyazaki", "Kagoshima", "Okinawa",
]  # fmt: skip
LEVELS = ["elementary", "junior_high", "senior_high", "special_needs"]
JLPT = ["none", "N5", "N4", "N3", "N2", "N1"]


def write_season(
    folder: Path, n_candidates: int, n_requests: int, seed: int, anywhere_share: float = 0.3
) -> None:
    """Requests spread over prefectures and BoEs; candidates state 1-3 prefectures, and a share
    of them accept anywhere (which makes their derived lists long)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "requests.csv").open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow([
            "request_id", "capacity", "boe", "prefecture", "school_levels", "area",
            "requires_driving_licence", "min_jlpt", "min_teaching_years", "weight_jlpt",
            "weight_teaching_years", "weight_school_levels", "weight_driving_licence",
        ])  # fmt: skip
        for r in range(n_requests):
            pref = PREFECTURES[int(rng.integers(len(PREFECTURES)))]
            out.writerow([
                f"R{r:05d}", int(rng.integers(1, 6)), f"{pref} BoE {int(rng.integers(1, 8))}", pref,
                LEVELS[int(rng.integers(3))], "rural" if rng.random() < 0.7 else "urban",
                "yes" if rng.random() < 0.2 else "no", JLPT[int(rng.integers(0, 3))],
                int(rng.integers(0, 2)), int(rng.integers(0, 4)), int(rng.integers(0, 4)),
                int(rng.integers(0, 4)), int(rng.integers(0, 3)),
            ])  # fmt: skip
    with (folder / "candidates.csv").open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow([
            "candidate_id", "jlpt", "teaching_years", "driving_licence", "school_experience",
            "interview_score", "preferred_prefectures", "preferred_area",
            "preferred_school_levels", "accepts_anywhere",
        ])  # fmt: skip
        for c in range(n_candidates):
            prefs = rng.choice(len(PREFECTURES), size=int(rng.integers(1, 4)), replace=False)
            out.writerow([
                f"C{c:06d}", JLPT[int(rng.integers(0, 6))], int(rng.integers(0, 6)),
                "yes" if rng.random() < 0.6 else "no", LEVELS[int(rng.integers(3))],
                int(rng.integers(50, 101)), ";".join(PREFECTURES[i] for i in prefs), "", "",
                "yes" if rng.random() < anywhere_share else "no",
            ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--candidates", type=int, default=6000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_season(args.out, args.candidates, args.requests, args.seed)


if __name__ == "__main__":
    main()

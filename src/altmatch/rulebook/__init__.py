"""Dated, sourced figures (pay, tax, eligibility, timelines), one YAML edition per year."""

from __future__ import annotations

from altmatch.rulebook.loader import RulebookError, available_years, load_rulebook, use_edition
from altmatch.rulebook.schema import Rulebook

__all__ = ["Rulebook", "RulebookError", "available_years", "load_rulebook", "use_edition"]

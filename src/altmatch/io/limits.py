"""How big an imported file may be, so a bad or hostile file costs bounded time and memory.

Every importer (CSV, XLSX, profile, season folder) takes one `ImportLimits`; services, the CLI
and the web build it from the settings (`ALTMATCH_IMPORT_MAX_BYTES`, `..._MAX_ROWS`,
`..._MAX_UNZIPPED_BYTES`) so each entry point enforces the same bounds. The other fields are
fixed by the file formats rather than by the deployment.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from altmatch.config import Settings

MIB = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    """Bounds checked before (or while) a file is parsed, never after loading it whole."""

    max_bytes: int = 50 * MIB  # the file as uploaded
    max_rows: int = 200_000  # data rows (blank rows are skipped but see max_physical_rows)
    max_unzipped_bytes: int = 200 * MIB  # an XLSX's parts, unpacked (zip bombs)
    # A real workbook's XML compresses about 5-30:1; a run of one repeated byte, ~1000:1.
    max_ratio: int = 200
    max_cell_chars: int = 10_000  # Excel's own cell limit is 32,767
    max_columns: int = 200  # every import uses fewer than 20
    max_profile_bytes: int = 1 * MIB  # an advisor profile is a few hundred bytes

    @property
    def max_physical_rows(self) -> int:
        """Rows including blank ones: a file of ten million empty lines is refused, not walked."""
        return 2 * self.max_rows + 10_000

    @property
    def max_line_chars(self) -> int:
        """The longest CSV line that can hold max_columns cells of max_cell_chars (quoted)."""
        return self.max_columns * (self.max_cell_chars + 3)

    def with_(self, **changes: int) -> ImportLimits:
        return replace(self, **changes)

    @classmethod
    def from_settings(cls, settings: Settings) -> ImportLimits:
        return cls(
            max_bytes=settings.import_max_bytes,
            max_rows=settings.import_max_rows,
            max_unzipped_bytes=settings.import_max_unzipped_bytes,
        )


DEFAULT_LIMITS = ImportLimits()

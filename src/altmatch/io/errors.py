"""Problems in an input file, each pointing at file, row and column, readable in en and ja."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from altmatch.i18n import Message, render

FILE = "-"  # the column of a problem with the whole file


@dataclass(frozen=True)
class RowError:
    """One problem in an input file; `row` is the file's row number (0 for the whole file).

    `message` is English. A RowError made by `file_error` also keeps its msgid and parameters
    so `localized` can say it in the reader's language; older ones are English only."""

    file: str
    row: int
    column: str
    message: str
    template: str = field(default="", compare=False, repr=False)
    params: tuple[tuple[str, object], ...] = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"

    def localized(self, locale: str) -> str:
        """The message in `locale` (English when it was not made translatable)."""
        if not self.template:
            return self.message
        if not self.params:  # a fixed sentence: translate it, never format it
            return render(self.template, locale)
        return render(Message(self.template, dict(self.params)), locale)


def file_error(file: str, row: int, column: str, template: str, /, **params: object) -> RowError:
    """A translatable RowError: `template` is an N_() msgid with {placeholders} (a template
    without parameters is taken as it is, braces and all)."""
    message = template.format(**params) if params else template
    return RowError(file, row, column, message, template, tuple(params.items()))


class TableError(ValueError):
    """The file cannot be read as a table at all; `errors` says why."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def refuse(file: str, row: int, column: str, template: str, /, **params: object) -> TableError:
    """A TableError with one translatable problem (to `raise`)."""
    return TableError([file_error(file, row, column, template, **params)])

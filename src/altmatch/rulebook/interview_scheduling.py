"""Typed shape of `interview_scheduling:`, the programme's rules for booking interview slots.

The programme publishes no booking rules, so each figure is an editorial default with its
rationale (`Reasoned`), never mistaken for an official one. The calendar reasoning that turns
them into slots, deadlines and reminders lives in `altmatch.domain.interview_schedule`.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from altmatch.rulebook.schema import Frozen, Reasoned


class Hours(Reasoned):
    hours: int = Field(ge=0, le=24 * 60)


class Count(Reasoned):
    count: int = Field(ge=0, le=100)


class Reminders(Reasoned):
    hours_before: list[int] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct(self) -> Reminders:
        if len(set(self.hours_before)) != len(self.hours_before) or min(self.hours_before) < 1:
            raise ValueError("reminder hours must be distinct and at least 1")
        return self


class LocalHours(Reasoned):
    """The hours of the candidate's own day a remote interview may be offered in."""

    earliest: int = Field(ge=0, le=23)
    latest: int = Field(ge=1, le=24)

    @model_validator(mode="after")
    def _order(self) -> LocalHours:
        if self.latest <= self.earliest:
            raise ValueError("latest must come after earliest")
        return self


class InterviewScheduling(Frozen):
    booking_closes: Hours
    rescheduling_closes: Hours
    reschedules: Count
    reminders: Reminders
    remote_local_hours: LocalHours

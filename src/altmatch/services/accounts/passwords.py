"""Argon2id password hashes: hash, verify, upgrade old hashes, and time unknown emails alike."""

from __future__ import annotations

import contextlib
import functools
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from altmatch.i18n import N_, Message

MIN_LENGTH = 10
MAX_LENGTH = 1024  # hashing megabytes of "password" would be a cheap way to load the server

# Argon2id with OWASP's recommended configuration (Password Storage Cheat Sheet, as read
# 2026-12-06: "a minimum configuration of 19 MiB of memory, an iteration count of 2, and 1
# degree of parallelism"). One lane keeps each sign-in on one core, so simultaneous sign-ins
# share the machine instead of queueing behind four-lane hashes (RFC 9106's second profile,
# argon2-cffi's default, which stored hashes before 2026-12: those are rehashed at the
# user's next sign-in). benchmarks/bench_sign_in.py measures both. Tests swap in a cheaper
# hasher.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@dataclass(frozen=True)
class PasswordCheck:
    ok: bool
    new_hash: str | None = None  # set when the stored hash used older parameters


def password_problem(password: str) -> Message | None:
    """Why a new password is unacceptable, or None. Length is what matters (NIST SP 800-63B)."""
    if len(password) < MIN_LENGTH:
        return Message(N_("Use at least {count} characters."), {"count": MIN_LENGTH})
    if len(password) > MAX_LENGTH:
        return Message(N_("Use at most {count} characters."), {"count": MAX_LENGTH})
    return None


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def check_password(stored_hash: str, password: str) -> PasswordCheck:
    """Verify `password`; an account without a usable hash costs the same time and fails."""
    if not stored_hash or len(password) > MAX_LENGTH:
        spend_verification_time(password[:MAX_LENGTH])
        return PasswordCheck(ok=False)
    try:
        HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return PasswordCheck(ok=False)
    if HASHER.check_needs_rehash(stored_hash):
        return PasswordCheck(ok=True, new_hash=HASHER.hash(password))
    return PasswordCheck(ok=True)


def spend_verification_time(password: str) -> None:
    """Verify against a throwaway hash, so an unknown email takes as long as a wrong password
    and response times do not reveal which emails have accounts."""
    dummy = _dummy_hash(HASHER.time_cost, HASHER.memory_cost, HASHER.parallelism)
    with contextlib.suppress(VerificationError):
        HASHER.verify(dummy, password)


@functools.cache
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return HASHER.hash(secrets.token_urlsafe(16))

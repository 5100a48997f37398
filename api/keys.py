"""The shape of an integrator key: pure functions, no database."""

from __future__ import annotations

import hashlib

KEY_PREFIX = "sdk_"


def api_key_hash(raw_key: str) -> str:
    """Return the stored form of a key: its SHA-256 in hex.

    A fast hash is right here: keys are 256-bit random secrets, not passwords.
    """
    return hashlib.sha256(raw_key.encode()).hexdigest()


def api_key_prefix(raw_key: str) -> str | None:
    """Return the public prefix of a key shaped ``sdk_<prefix>_<secret>``, else None."""
    if not raw_key.startswith(KEY_PREFIX):
        return None
    prefix, sep, secret = raw_key[len(KEY_PREFIX) :].partition("_")
    if not sep or len(prefix) != 8 or not secret:
        return None
    return prefix

"""Password hashing with Argon2id (argon2-cffi); nothing else in municms touches passwords.

The cost is OWASP's Password Storage recommendation for Argon2id: 19 MiB of memory, 2 passes, 1 lane (about
0.05 s per hash on one core). argon2-cffi's own default (RFC 9106's low-memory profile, 64 MiB and 4 lanes) is as
strong against guessing, but a login then holds 64 MiB and four threads, which lets a burst of logins starve the
two cores a municipality's server has; both are memory-hard, and throttling caps guesses per login
(municms.auth). A stored hash made with other parameters verifies as before and is rehashed at the next
successful login (`needs_rehash`).
"""

from __future__ import annotations

from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError

MEMORY_KIB = 19 * 1024
TIME_COST = 2
PARALLELISM = 1
_hasher = PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=PARALLELISM)

MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches; never raises for a wrong password or a malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True for a hash made with other parameters than today's (verify still accepts it)."""
    return _hasher.check_needs_rehash(password_hash)


def parameters(password_hash: str) -> str:
    """The cost an encoded hash was made with ("m=19456,t=2,p=1"), for the register's event."""
    found = extract_parameters(password_hash)
    return f"m={found.memory_cost},t={found.time_cost},p={found.parallelism}"

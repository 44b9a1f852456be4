"""SplitMix64, the one hash behind every random draw of the core.

Draws are counter-based: a value depends only on (seed, counter), never on what was drawn
before, so the same draw comes back in any order and on any thread. ``splitmix64`` is compiled
for the kernels (the order of a shuffled mini-batch) and, as ``splitmix64.py_func``, runs on
NumPy ``uint64`` arrays (the noise of the ``noisy`` gradient source, drawn before a run).
"""

from __future__ import annotations

import numpy as np

from landscapes.jit import jit

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S27, _S30, _S31 = np.uint64(27), np.uint64(30), np.uint64(31)
_TWO_POW_MINUS_53 = 2.0**-53
_S11 = np.uint64(11)


@jit(inline="always")
def splitmix64(z):
    """Steele, Lea and Flood's SplitMix64 finaliser of z + golden ratio: uint64 in, uint64 out
    (a scalar in compiled code, a scalar or an array in NumPy)."""
    z = z + GOLDEN
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    return z ^ (z >> _S31)


def standard_normals(seed: int, count: int) -> np.ndarray:
    """Draws 0 .. count - 1 of the standard normal sequence of ``seed``.

    Draw c is Box-Muller on the hashes of counters 2c and 2c + 1 under the key
    splitmix64(splitmix64(seed)), each cut to 53 bits: u1 in (0, 1], u2 in [0, 1).
    """
    mix = splitmix64.py_func
    with np.errstate(over="ignore"):
        key = mix(mix(np.uint64(seed)))
        counters = np.arange(2 * count, dtype=np.uint64)
        hashes = mix(key ^ counters)
    u1 = ((hashes[0::2] >> _S11).astype(np.float64) + 1.0) * _TWO_POW_MINUS_53
    u2 = (hashes[1::2] >> _S11).astype(np.float64) * _TWO_POW_MINUS_53
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)

"""The project's one Numba decorator, and a cache that notices edits to any kernel source.

Numba's on-disk cache checks only the timestamp of the file that defines the cached function.
Our kernels inline helpers from several files (surfaces here, update rules in ``optimizers``),
so an edit to a helper would leave a stale, silently wrong kernel in the cache. The locator
below stamps every cached function of this project with the state of *all* kernel source
files, so any edit recompiles everything once.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import numba
from numba.core import caching

_PROJECT_ROOT = Path(__file__).resolve().parent.parent
_KERNEL_PACKAGES = ("landscapes", "optimizers")


@functools.cache
def _kernel_sources_stamp() -> str:
    """A digest of the text of every kernel source file of the project (read once a process)."""
    digest = hashlib.sha256()
    for package in _KERNEL_PACKAGES:
        for source in sorted((_PROJECT_ROOT / package).glob("*.py")):
            digest.update(source.name.encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


class _ProjectStampMixin:
    """Stamp a project function with every kernel source; leave other functions alone."""

    def get_source_stamp(self):
        return _kernel_sources_stamp()

    @classmethod
    def from_function(cls, py_func, py_file):
        path = Path(py_file).resolve()
        if path.parent.name not in _KERNEL_PACKAGES or path.parent.parent != _PROJECT_ROOT:
            return None
        return super().from_function(py_func, py_file)


def _install_project_locators() -> None:
    locators = caching.CacheImpl._locator_classes
    for standard in (caching.InTreeCacheLocator, caching.UserProvidedCacheLocator):
        if any(getattr(cls, "_wraps", None) is standard for cls in locators):
            continue
        project = type(f"Project{standard.__name__}", (_ProjectStampMixin, standard),
                       {"_wraps": standard})
        locators.insert(locators.index(standard), project)


_install_project_locators()

jit = functools.partial(numba.njit, cache=True, error_model="numpy", _nrt=False)
"""``@jit``: nopython, cached on disk, and IEEE semantics (x / 0 gives inf, never raises)."""

"""The project's one Numba decorator, the dispatch it generates from a table, and a disk cache
that notices edits to any kernel source.

``@jit`` compiles in nopython mode, caches on disk and uses IEEE semantics (x / 0 gives inf,
never raises). ``@jit(forceinline=True)`` asks LLVM to inline the function into every compiled
caller, which costs Numba nothing extra to type and removes the call from hot loops.

``generate(name, source, namespace)`` compiles a function written as text, for the one place
each registry's dispatch lives: ``landscapes.kinds`` and ``optimizers.rules`` write a switch
from their table (``if code == 0: return rosenbrock(x, y, p) ...``) instead of a person writing
it, so adding a surface or an optimizer never means editing a switch. The text is registered
with ``linecache``, so tracebacks and ``inspect`` show it.

Numba's on-disk cache checks only the file that defines a cached function. Our kernels inline
helpers from several files, so an edit to a helper would leave a stale, silently wrong kernel
in the cache. The locator below stamps every cached function of this project (generated ones
included) with the state of *all* kernel source files, so any edit recompiles everything once.
"""

from __future__ import annotations

import functools
import hashlib
import linecache
import os
from pathlib import Path

import numba
from numba.core import caching, codegen


def _host_features_without_avx512() -> str:
    """This CPU's features for LLVM, with AVX-512 off (a CPU without it: its own features).

    With AVX-512, LLVM compiles a scalar ``a if c else b`` (Adam's amsgrad, a weight decay, a
    lerp) into a move under a mask register, ten in Adam's step. On this machine's AMD EPYC
    Adam's single-run kernel then ran at ~40 ns a step in some seconds and ~48-50 in others;
    without, at ~36-37 in most rounds and ~40.5 in others (the bare Adam loop ~30 throughout).
    python -m benchmarks core, paired runs at load 1, with -> without: median round of simulate
    / bare loop 1.65, 1.46 -> 1.32, 1.30 (rounds over 1.3: 15, 15 -> 11, 6 of 15); so the
    kernel still has two speeds, both lower. The batch kernels vectorise with 256-bit AVX2
    instead, no slower: basin map 12.8, 14.7 -> 12.0, 11.6 ms CPU per core, sweep 0.155, 0.121
    -> 0.122, 0.115 s."""
    features = codegen.get_host_cpu_features().split(",")  # "+avx2,-avx512f,..."
    return ",".join("-" + feature[1:] if feature[1:].startswith("avx512") else feature
                    for feature in features if feature)


# Read by Numba's code generator, which it creates for the first jitted function of the
# process (so before any here); one set by the user wins.
os.environ.setdefault("NUMBA_CPU_FEATURES", _host_features_without_avx512())
numba.core.config.reload_config()

_PROJECT_ROOT = Path(__file__).resolve().parent.parent
_KERNEL_PACKAGES = ("landscapes", "optimizers")
_GENERATED: dict[str, str] = {}  # "<generated name>" -> the file of the module that wrote it


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
        py_file = _GENERATED.get(py_file, py_file)
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

jit = functools.partial(numba.njit, cache=True, error_model="numpy", _nrt=False,
                        no_cfunc_wrapper=True)
"""``@jit``: nopython, cached on disk, and IEEE semantics (x / 0 gives inf, never raises)."""


def generate(name: str, source: str, namespace: dict, **options):
    """``@jit(**options)`` applied to the function ``name`` that ``source`` defines.

    ``namespace`` holds the globals the text refers to, and its ``__name__`` and ``__file__``
    say which module wrote it (its cache lives beside that module's).
    """
    filename = f"<generated {namespace['__name__']}.{name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    _GENERATED[filename] = namespace["__file__"]
    scope = dict(namespace)
    exec(compile(source, filename, "exec"), scope)
    return jit(**options)(scope[name])


def switch_source(name: str, arguments: str, cases: dict[int, str], default: str) -> str:
    """The text of ``def name(code, arguments)``: ``cases[code]`` (lines of code) runs for its
    code, ``default`` for any other."""
    lines = [f"def {name}(code, {arguments}):"]
    for k, (code, body) in enumerate(cases.items()):
        lines.append(f"    {'if' if k == 0 else 'elif'} code == {code}:")
        lines += ["        " + line for line in body.splitlines()]
    lines.append("    else:")
    lines += ["        " + line for line in default.splitlines()]
    return "\n".join(lines) + "\n"

"""Each page's whole configuration as one small frozen record, with its defaults, and the
ranges the pages accept. Pure (no streamlit); ``ui/query.py`` writes and reads them as URLs."""

from __future__ import annotations

from dataclasses import dataclass, field

from ui.settings import RunConfig, Setting, gradient_setting, run, schedule_setting, surface_setting

MAX_RUNS = 8
SEEDS_RANGE = (1, 10)
"""How many seeds of the same runs Explore draws at once."""
SEED_RANGE = (0, 2**31 - 1)
"""The seeds of the noise and of the mini-batches' order the pages accept."""
STEPS_RANGE = (1, 3000)
"""The steps the pages offer (the core accepts more; longer runs only slow the page)."""
RESOLUTION_RANGE = (3, 40)
BASIN_RESOLUTION_RANGE = (10, 150)
TOLERANCE_RANGE = (1e-12, 1e3)

@dataclass(frozen=True)
class ExploreConfig:
    surface: Setting = field(default_factory=lambda: surface_setting("rosenbrock"))
    runs: tuple[RunConfig, ...] = field(default_factory=lambda: (
        run("momentum", lr=1e-3), run("adam", lr=0.05), run("rmsprop", lr=0.01),
    ))
    schedule: Setting = field(default_factory=lambda: schedule_setting("constant"))
    gradient: Setting = field(default_factory=lambda: gradient_setting("analytic"))
    seed: int = 0
    steps: int = 500
    start: tuple[float, float] | None = None  # None: the surface's own start
    seeds: int = 1  # runs of each optimizer, with seeds seed .. seed + seeds - 1


@dataclass(frozen=True)
class CompareConfig:
    surface: Setting = field(default_factory=lambda: surface_setting("quadratic"))
    runs: tuple[RunConfig, ...] = field(default_factory=lambda: (
        run("sgd", lr=0.01), run("sgd", lr=0.05), run("sgd", lr=0.095),
        run("momentum", lr=0.01), run("adam", lr=0.5),
    ))
    steps: int = 300
    start: tuple[float, float] | None = None
    shared_lr: bool = False
    lr: float = 0.05
    tolerance: float = 1e-6
    seed: int = 0  # deals the mini-batches of every run that has a batch size
    rank_by: str = "steps to tolerance"  # a name in figures.RANKINGS


@dataclass(frozen=True)
class SchedulesConfig:
    surface: Setting = field(default_factory=lambda: surface_setting("rosenbrock"))
    run: RunConfig = field(default_factory=lambda: run("adam", lr=0.1))
    steps: int = 600
    start: tuple[float, float] | None = None
    schedules: tuple[Setting, ...] = field(default_factory=lambda: (
        schedule_setting("step", step_size=150, gamma=0.3),
        schedule_setting("cosine", T_max=600),
        schedule_setting("warmup_cosine", warmup_steps=60, T_max=540),
        schedule_setting("exponential", gamma=0.995),
    ))
    focus: str = "cosine"


@dataclass(frozen=True)
class SensitivityConfig:
    surface: Setting = field(default_factory=lambda: surface_setting("himmelblau"))
    run: RunConfig = field(default_factory=lambda: run("momentum", lr=1e-3))
    steps: int = 500
    start: tuple[float, float] | None = None
    x_param: str = "lr"
    y_param: str = "momentum"
    resolution: int = 20
    metric: str = "final_loss"
    tolerance: float = 1e-4
    basin_resolution: int = 80
    x_range: tuple[float, float] | None = None  # None: the range suggested for the run
    y_range: tuple[float, float] | None = None


METRICS = {"final_loss": "final loss", "steps": "steps to converge"}


@dataclass(frozen=True)
class LearnConfig:
    optimizer: str = "adam"
    surface: str = "rosenbrock"
    lr_small: float = 0.005
    lr_good: float = 0.05
    lr_large: float = 0.105
    batch_size: int = 4

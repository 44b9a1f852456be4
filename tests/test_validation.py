"""Bad input is refused at the boundary with torch's style of message.

Every row is one bad argument to ``optimizers.simulate`` (all the others valid) and the message
it must raise: the message names the parameter, repeats the value and says what is allowed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import landscapes
import optimizers

VALID = {"landscape": "rosenbrock", "optimizer": "sgd", "start": (-1.5, 2.0), "steps": 3}
ROSENBROCK_BOX = "(allowed: finite, with -100 <= x <= 100 and -99 <= y <= 101)"
STEPS_ALLOWED = "(allowed: an integer, 0 <= steps <= 1000000)"
SEED_ALLOWED = "(allowed: an integer, 0 <= seed < 2**63)"
MILESTONES_ALLOWED = "(allowed: a non-empty list of positive integer steps)"
NESTEROV = "Nesterov momentum requires a momentum and zero dampening"


def simulate(**changes):
    arguments = {**VALID, **changes}
    return optimizers.simulate(
        arguments.pop("landscape"), arguments.pop("optimizer"), arguments.pop("start"),
        arguments.pop("steps"), **arguments,
    )


BAD_INPUTS = [
    # names
    ("unknown surface", {"landscape": "banana"}, "Unknown surface: 'banana' (valid surfaces: "),
    ("unknown optimizer", {"optimizer": "adamm"},
     "Unknown optimizer: 'adamm' (valid optimizers: "),
    ("unknown schedule", {"schedule": "linear_lr"},
     "Unknown schedule: 'linear_lr' (valid schedules: "),
    ("schedule without a name", {"schedule": {"step_size": 3}},
     "Unknown schedule: None (valid schedules: "),
    ("schedule of the wrong type", {"schedule": 5},
     "Invalid schedule: 5 (allowed: a name or a dict with a 'name' key)"),
    ("unknown gradient source", {"gradient": "exact"},
     "Unknown gradient source: 'exact' (valid gradient sources: "),
    # hyperparameters
    ("hyperparameter sgd does not take", {"beta1": 0.9},
     "Invalid hyperparameter for sgd: 'beta1' (sgd takes: lr, momentum, dampening, nesterov, "
     "weight_decay)"),
    ("hyperparameter newton does not take", {"optimizer": "newton", "momentum": 0.9},
     "Invalid hyperparameter for newton: 'momentum' (newton takes: lr, damping)"),
    ("preset the nesterov optimizer fixes", {"optimizer": "nesterov", "dampening": 0.1},
     "Invalid hyperparameter for nesterov: 'dampening' (nesterov takes: lr, momentum, "
     "weight_decay)"),
    ("lr = 0", {"lr": 0}, "Invalid learning rate: 0.0 (allowed: 0 < lr <= 1000)"),
    ("lr < 0", {"lr": -1.0}, "Invalid learning rate: -1.0 (allowed: 0 < lr <= 1000)"),
    ("lr = nan", {"lr": math.nan}, "Invalid learning rate: nan (allowed: 0 < lr <= 1000)"),
    ("lr = inf", {"lr": math.inf}, "Invalid learning rate: inf (allowed: 0 < lr <= 1000)"),
    ("lr not a number", {"lr": "fast"}, "Invalid lr: 'fast' (allowed: a number)"),
    ("beta1 = 1", {"optimizer": "adam", "beta1": 1},
     "Invalid beta1 value: 1.0 (allowed: 0 <= beta1 < 1)"),
    ("beta2 = -0.1", {"optimizer": "adam", "beta2": -0.1},
     "Invalid beta2 value: -0.1 (allowed: 0 <= beta2 < 1)"),
    ("amsgrad not a boolean", {"optimizer": "adam", "amsgrad": 0.5},
     "Invalid amsgrad value: 0.5 (allowed: amsgrad is True or False)"),
    ("momentum preset at zero", {"optimizer": "momentum", "momentum": 0},
     "Invalid momentum value: 0.0 (allowed: 0 < momentum <= 1)"),
    ("weight_decay < 0", {"optimizer": "adamw", "weight_decay": -0.01},
     "Invalid weight_decay value: -0.01 (allowed: 0 <= weight_decay <= 10)"),
    ("rprop etaminus = 1", {"optimizer": "rprop", "etaminus": 1.0},
     "Invalid etaminus value: 1.0 (allowed: 0 < etaminus < 1)"),
    ("rprop etaplus = 1", {"optimizer": "rprop", "etaplus": 1},
     "Invalid etaplus value: 1.0 (allowed: 1 < etaplus <= 100)"),
    ("rprop step_size_max = 0", {"optimizer": "rprop", "step_size_max": 0.0},
     "Invalid step_size_max value: 0.0 (allowed: 0 < step_size_max <= 1e+06)"),
    ("asgd t0 < 0", {"optimizer": "asgd", "t0": -1},
     "Invalid t0 value: -1.0 (allowed: 0 <= t0 <= 1e+06)"),
    ("adafactor beta2_decay > 0", {"optimizer": "adafactor", "beta2_decay": 0.5},
     "Invalid beta2_decay value: 0.5 (allowed: -10 <= beta2_decay <= 0)"),
    ("adafactor d < 1", {"optimizer": "adafactor", "d": 0.5},
     "Invalid d value: 0.5 (allowed: 1 <= d <= 1e+06)"),
    ("adafactor eps1 < 0", {"optimizer": "adafactor", "eps1": -1e-3},
     "Invalid eps1 value: -0.001 (allowed: 0 <= eps1 <= 10)"),
    ("schedule-free beta1 = 0", {"optimizer": "adamw_schedule_free", "beta1": 0},
     "Invalid beta1 value: 0.0 (allowed: 0 < beta1 < 1)"),
    ("schedule-free warmup_steps not whole", {"optimizer": "adamw_schedule_free",
                                              "warmup_steps": 2.5},
     "Invalid warmup_steps value: 2.5 (allowed: an integer, 0 <= warmup_steps <= 1000000)"),
    ("lbfgs line search not torch's", {"optimizer": "lbfgs", "line_search_fn": "armijo"},
     "Invalid line_search_fn value: 'armijo' (allowed: None or 'strong_wolfe')"),
    ("lbfgs max_iter = 0", {"optimizer": "lbfgs", "max_iter": 0},
     "Invalid max_iter value: 0.0 (allowed: an integer, 1 <= max_iter <= 1000)"),
    ("lbfgs history_size not whole", {"optimizer": "lbfgs", "history_size": 2.5},
     "Invalid history_size value: 2.5 (allowed: an integer, 1 <= history_size <= 1000)"),
    ("lbfgs on noisy gradients", {"optimizer": "lbfgs", "gradient": "noisy"},
     "Invalid gradient source for lbfgs: 'noisy' (allowed: 'analytic', 'finite_difference'; "
     "its line search compares f at several points of one step, so f must be the same "
     "function at each)"),
    ("lbfgs on a plateau schedule", {"optimizer": "lbfgs", "schedule": "reduce_on_plateau"},
     "Invalid schedule for lbfgs: 'reduce_on_plateau' (allowed: a schedule of the step "
     "count)"),
    ("nesterov with zero momentum", {"nesterov": True}, NESTEROV),
    ("nesterov with dampening", {"nesterov": True, "momentum": 0.9, "dampening": 0.1},
     NESTEROV),
    # start
    ("start x = nan", {"start": (math.nan, 0.0)}, f"Invalid start: (nan, 0.0) {ROSENBROCK_BOX}"),
    ("start y = inf", {"start": (0.0, math.inf)}, f"Invalid start: (0.0, inf) {ROSENBROCK_BOX}"),
    ("start far outside", {"start": (1e6, 0.0)},
     f"Invalid start: (1000000.0, 0.0) {ROSENBROCK_BOX}"),
    ("start not a pair", {"start": (0.0,)},
     "Invalid start: (0.0,) (allowed: a pair of numbers (x, y))"),
    ("start not numbers", {"start": "ab"},
     "Invalid start: 'ab' (allowed: a pair of numbers (x, y))"),
    # steps
    ("steps < 0", {"steps": -1}, f"Invalid steps: -1 {STEPS_ALLOWED}"),
    ("steps > MAX_STEPS", {"steps": optimizers.MAX_STEPS + 1},
     f"Invalid steps: 1000001 {STEPS_ALLOWED}"),
    ("steps a float", {"steps": 10.0}, f"Invalid steps: 10.0 {STEPS_ALLOWED}"),
    ("steps a bool", {"steps": True}, f"Invalid steps: True {STEPS_ALLOWED}"),
    ("steps a string", {"steps": "10"}, f"Invalid steps: '10' {STEPS_ALLOWED}"),
    # schedules
    ("schedule missing a required parameter", {"schedule": {"name": "step"}},
     "Schedule 'step' requires step_size"),
    ("multistep without milestones", {"schedule": {"name": "multistep"}},
     "Schedule 'multistep' requires milestones"),
    ("schedule parameter it does not take", {"schedule": {"name": "step", "step_size": 10,
                                                          "decay": 0.5}},
     "Invalid parameter for schedule 'step': 'decay' (allowed: step_size, gamma)"),
    ("constant schedule with a parameter", {"schedule": {"name": "constant", "gamma": 0.5}},
     "Invalid parameter for schedule 'constant': 'gamma' (allowed: none)"),
    ("step_size not an integer", {"schedule": {"name": "step", "step_size": 1.5}},
     "Invalid step_size for schedule 'step': 1.5 (allowed: an integer, "
     "1 <= step_size <= 1000000)"),
    ("gamma = 0", {"schedule": {"name": "step", "step_size": 10, "gamma": 0}},
     "Invalid gamma for schedule 'step': 0 (allowed: 0 < gamma <= 1)"),
    ("T_max = nan", {"schedule": {"name": "cosine", "T_max": math.nan}},
     "Invalid T_max for schedule 'cosine': nan (allowed: an integer, 1 <= T_max <= 1000000)"),
    ("cyclic max_lr below base_lr", {"schedule": {"name": "cyclic", "base_lr": 0.1,
                                                  "max_lr": 0.01}},
     "Invalid max_lr for schedule 'cyclic': 0.01 (allowed: max_lr >= base_lr = 0.1)"),
    ("empty milestones", {"schedule": {"name": "multistep", "milestones": []}},
     f"Invalid milestones for schedule 'multistep': [] {MILESTONES_ALLOWED}"),
    ("milestone 0", {"schedule": {"name": "multistep", "milestones": [0, 5]}},
     f"Invalid milestones for schedule 'multistep': [0, 5] {MILESTONES_ALLOWED}"),
    ("fractional milestone", {"schedule": {"name": "multistep", "milestones": [2.5]}},
     f"Invalid milestones for schedule 'multistep': [2.5] {MILESTONES_ALLOWED}"),
    ("nan milestone", {"schedule": {"name": "multistep", "milestones": [math.nan]}},
     f"Invalid milestones for schedule 'multistep': [nan] {MILESTONES_ALLOWED}"),
    ("milestones not a list", {"schedule": {"name": "multistep", "milestones": 5}},
     f"Invalid milestones for schedule 'multistep': 5 {MILESTONES_ALLOWED}"),
    ("milestones a string", {"schedule": {"name": "multistep", "milestones": "12"}},
     f"Invalid milestones for schedule 'multistep': '12' {MILESTONES_ALLOWED}"),
    ("lambda without a formula", {"schedule": {"name": "lambda"}},
     "Schedule 'lambda' requires lr_lambda"),
    ("lambda formula not text", {"schedule": {"name": "lambda", "lr_lambda": 0.9}},
     "Invalid lr_lambda for schedule 'lambda': 0.9 (allowed: text)"),
    ("lambda formula with a name it does not know",
     {"schedule": {"name": "lambda", "lr_lambda": "0.9^epoch"}},
     "Invalid lr_lambda for schedule 'lambda': '0.9^epoch' (unknown name 'epoch' at column 5; "
     "allowed: t, pi, e, sin, cos, tan, exp, log, sqrt, abs, tanh)"),
    ("lambda formula that is Python", {"schedule": {"name": "lambda",
                                                    "lr_lambda": "__import__('os')"}},
     "Invalid lr_lambda for schedule 'lambda': \"__import__('os')\" (unknown name "
     "'__import__' at column 1; allowed: t, pi, e, sin, cos, tan, exp, log, sqrt, abs, tanh)"),
    ("multiplicative formula left open", {"schedule": {"name": "multiplicative",
                                                       "lr_lambda": "0.9*(1 + t"}},
     "Invalid lr_lambda for schedule 'multiplicative': '0.9*(1 + t' (missing ')' to close the "
     "'(' at column 5)"),
    ("lambda formula infinite at a step", {"schedule": {"name": "lambda",
                                                        "lr_lambda": "1/(t - 3)"}},
     "Invalid lr_lambda for schedule 'lambda': '1/(t - 3)' (at t = 3 it gives inf; allowed: a "
     "formula in t that is a finite number at every step)"),
    ("multiplicative factor undefined", {"schedule": {"name": "multiplicative",
                                                      "lr_lambda": "log(2 - t)"}},
     "Invalid lr_lambda for schedule 'multiplicative': 'log(2 - t)' (at t = 2 it gives -inf; "
     "allowed: a formula in t that is a finite number at every step)"),
    ("unknown cyclic mode", {"schedule": {"name": "cyclic", "mode": "sawtooth"}},
     "Invalid mode for schedule 'cyclic': 'sawtooth' (allowed: 'triangular', 'triangular2', "
     "'exp_range')"),
    ("constant factor 0", {"schedule": {"name": "constant_factor", "factor": 0}},
     "Invalid factor for schedule 'constant_factor': 0 (allowed: 0 < factor <= 1)"),
    ("linear start_factor above 1", {"schedule": {"name": "linear", "start_factor": 1.5}},
     "Invalid start_factor for schedule 'linear': 1.5 (allowed: 0 < start_factor <= 1)"),
    ("T_0 = 0", {"schedule": {"name": "cosine_warm_restarts", "T_0": 0}},
     "Invalid T_0 for schedule 'cosine_warm_restarts': 0 (allowed: an integer, "
     "1 <= T_0 <= 1000000)"),
    ("T_mult fractional", {"schedule": {"name": "cosine_warm_restarts", "T_0": 5,
                                        "T_mult": 1.5}},
     "Invalid T_mult for schedule 'cosine_warm_restarts': 1.5 (allowed: an integer, "
     "1 <= T_mult <= 1000000)"),
    ("sequential without its parts", {"schedule": {"name": "sequential", "milestones": [5]}},
     "Schedule 'sequential' requires schedulers"),
    ("chained parts not a list", {"schedule": {"name": "chained", "schedulers": "cosine"}},
     "Invalid schedulers for schedule 'chained': 'cosine' (allowed: a list of 1 to 8 "
     "schedules, each a name or a dict with a 'name' key, from: constant, constant_factor, "
     "linear, step, multistep, exponential, polynomial, inverse_time, cosine, "
     "cosine_warm_restarts, cyclic, one_cycle, lambda, multiplicative)"),
    ("a part that is not a schedule", {"schedule": {"name": "chained",
                                                    "schedulers": ["constant", "sawtooth"]}},
     "Invalid schedulers[2] for schedule 'chained': Unknown schedule: 'sawtooth' (valid "
     "schedules: "),
    ("a part with a bad parameter", {"schedule": {
        "name": "sequential", "milestones": [5],
        "schedulers": ["constant", {"name": "step", "step_size": 0}]}},
     "Invalid schedulers[2] for schedule 'sequential': Invalid step_size for schedule 'step': "
     "0 (allowed: an integer, 1 <= step_size <= 1000000)"),
    ("reduce_on_plateau as a part", {"schedule": {"name": "chained",
                                                  "schedulers": ["reduce_on_plateau"]}},
     "Invalid schedulers[1] for schedule 'chained': 'reduce_on_plateau' (allowed: constant, "
     "constant_factor, linear, step, multistep, exponential, polynomial, inverse_time, cosine, "
     "cosine_warm_restarts, cyclic, one_cycle, lambda, multiplicative; torch's SequentialLR and "
     "ChainedScheduler refuse ReduceLROnPlateau)"),
    ("nested composite", {"schedule": {"name": "chained", "schedulers": [
        {"name": "sequential", "schedulers": ["constant", "constant"], "milestones": [3]}]}},
     "Invalid schedulers[1] for schedule 'chained': 'sequential' (allowed: constant, "),
    ("a part with its own interval", {"schedule": {"name": "chained", "schedulers": [
        {"name": "step", "step_size": 3, "interval": "epoch"}]}},
     "Invalid schedulers[1] for schedule 'chained': interval='epoch' (allowed: no interval; "
     "the chained schedule's own interval counts every part)"),
    ("milestones that do not match the parts", {"schedule": {
        "name": "sequential", "schedulers": ["constant", "constant", "constant"],
        "milestones": [10]}},
     "Invalid milestones for schedule 'sequential': [10] (allowed: one milestone fewer than "
     "schedulers, here 2; torch says: Sequential Schedulers expects number of schedulers "
     "provided to be one more than the number of milestone points)"),
    ("the same milestone twice", {"schedule": {
        "name": "sequential", "schedulers": ["constant", "constant", "constant"],
        "milestones": [10, 10]}},
     "Invalid milestones for schedule 'sequential': [10, 10] (allowed: distinct steps, one "
     "where each schedule after the first takes over)"),
    ("a linear ramp of no steps after a milestone", {"schedule": {
        "name": "sequential", "milestones": [4],
        "schedulers": ["constant", {"name": "linear", "total_iters": 0}]}},
     "Invalid total_iters for schedule 'linear': 0 (allowed: total_iters >= 1 where a "
     "sequential schedule switches to it: torch's closed form divides by total_iters)"),
    ("unknown schedule interval", {"schedule": {"name": "step", "step_size": 2,
                                                "interval": "day"}},
     "Invalid interval for schedule 'step': 'day' (allowed: 'step', 'epoch')"),
    ("epochs on a surface without data", {"schedule": {"name": "exponential", "gamma": 0.9,
                                                       "interval": "epoch"}},
     "Invalid interval for surface 'rosenbrock': 'epoch' (allowed: 'step'; an epoch is one "
     "pass over a dataset, so it needs a data surface, see landscapes.from_data)"),
    # gradient sources
    ("finite-difference step 0", {"gradient": {"name": "finite_difference", "h": 0}},
     "Invalid h for gradient source 'finite_difference': 0 (allowed: 0 < h <= 1)"),
    ("batch size 0", {"gradient": {"name": "noisy", "batch_size": 0}},
     "Invalid batch_size for gradient source 'noisy': 0 (allowed: an integer, "
     "1 <= batch_size <= 1000000)"),
    ("negative noise", {"gradient": {"name": "noisy", "noise_scale": -1.0}},
     "Invalid noise_scale for gradient source 'noisy': -1.0 (allowed: "
     "0 <= noise_scale <= 1e+06)"),
    ("parameter the analytic gradient does not take", {"gradient": {"name": "analytic",
                                                                    "h": 1e-3}},
     "Invalid parameter for gradient source 'analytic': 'h' (allowed: none)"),
    # seed
    ("seed < 0", {"seed": -1}, f"Invalid seed: -1 {SEED_ALLOWED}"),
    ("seed >= 2**63", {"seed": 2**63}, f"Invalid seed: 9223372036854775808 {SEED_ALLOWED}"),
    ("seed a float", {"seed": 1.5}, f"Invalid seed: 1.5 {SEED_ALLOWED}"),
    ("seed a bool", {"seed": True}, f"Invalid seed: True {SEED_ALLOWED}"),
    ("seed a string", {"seed": "0"}, f"Invalid seed: '0' {SEED_ALLOWED}"),
]


def bad_inputs():
    return [pytest.param(*row, id=row[0]) for row in BAD_INPUTS]


@pytest.mark.parametrize(("case", "changes", "message"), bad_inputs())
def test_bad_input_is_refused_with_a_message_naming_it(case, changes, message):
    with pytest.raises(ValueError) as refused:
        simulate(**changes)
    assert message in str(refused.value)


@pytest.mark.parametrize(("kind", "changes", "valid"), [
    ("surfaces", {"landscape": "banana"}, landscapes.names()),
    ("optimizers", {"optimizer": "adamm"}, optimizers.names()),
    ("schedules", {"schedule": "linear_lr"}, optimizers.schedule_names()),
    ("gradient sources", {"gradient": "exact"}, optimizers.gradient_names()),
])
def test_an_unknown_name_is_answered_with_every_valid_name(kind, changes, valid):
    with pytest.raises(ValueError) as refused:
        simulate(**changes)
    assert str(refused.value).endswith(f"(valid {kind}: {', '.join(valid)})")


@pytest.mark.parametrize("optimizer", optimizers.names())
def test_every_hyperparameter_is_range_checked(optimizer):
    """A value just outside each hyperparameter's range is refused, naming the hyperparameter."""
    spec = optimizers.OPTIMIZERS_BY_NAME[optimizer]
    for hp in spec.hyperparameters:
        too_low = 0.5 if hp.boolean else hp.low - 1.0 if not hp.low_open else hp.low
        with pytest.raises(ValueError, match=f"Invalid .*{too_low!r}"):
            simulate(optimizer=optimizer, **{hp.name: too_low})
        with pytest.raises(ValueError, match=r"Invalid "):
            simulate(optimizer=optimizer, **{hp.name: math.nan})


@pytest.mark.parametrize("optimizer", optimizers.names())
def test_every_hyperparameter_accepts_the_ends_of_its_slider(optimizer):
    """Each end of each slider is valid, reaches the run as given, and makes a step from the
    start (or is reported as a divergence)."""
    spec = optimizers.OPTIMIZERS_BY_NAME[optimizer]
    for hp in spec.hyperparameters:
        for value in hp.slider_range:
            if hp.name == "nesterov" and value:
                continue  # needs momentum as well; covered by the table
            assert hp.problem(value) is None, (hp.name, value)
            path = simulate(optimizer=optimizer, steps=1, **{hp.name: value})
            assert path.config["hyperparameters"][hp.name] == float(value)
            assert path.xy[0].tolist() == list(VALID["start"])
            assert path.xy.shape[0] == 2 or path.diverged_at == 1


def test_valid_inputs_in_other_spellings_are_accepted():
    """Integers, NumPy scalars, a NumPy start and booleans for switches are all fine."""
    path = simulate(optimizer="adam", start=np.array([-1, 2]), steps=np.int32(3),
                    lr=np.float32(0.5), amsgrad=True, seed=np.uint64(7))
    assert path.xy.shape == (4, 2)
    assert path.config["hyperparameters"]["amsgrad"] == 1.0
    assert path.config["seed"] == 7


def test_steps_zero_gives_the_start_alone():
    path = simulate(steps=0)
    assert path.xy.tolist() == [[-1.5, 2.0]]
    assert path.lr.shape == (0,) and path.steps == 0 and path.diverged_at is None


def test_a_start_on_the_edge_of_the_escape_box_is_accepted():
    box = optimizers.api.escape_box(landscapes.get("rosenbrock"))
    simulate(start=(box[0], box[3]), steps=0)

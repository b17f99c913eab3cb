"""hyperpush from Python: decentralized bilevel optimization on MPI.

Every function runs the C++ core in this process. Under ``mpirun -np N python3 script.py`` the N
processes make one job: call the same functions in the same order on every rank, and each returns
the same result on every rank. MPI starts with the import (or earlier, if the script imported
mpi4py first).

    import hyperpush
    result = hyperpush.run("experiments/quickstart.toml", {"outer.steps": 5})
    print(result["final_validation_loss"], len(result.metrics))

Errors are exceptions with the CLI's one-line messages: ConfigError (the config), DataError (other
bad input), DivergenceError, PeerError, Preempted; all derive from hyperpush.Error.
"""
import ctypes
import json
import os
import sys
import tempfile
from contextlib import contextmanager

import numpy as np

from . import _hyperpush as _core
from ._hyperpush import (ConfigError, DataError, DivergenceError, Error, PeerError,  # noqa: F401
                         Preempted)

__all__ = ["run", "hypergradient", "schedule", "analyse", "push_sum", "rank", "ranks", "Results",
           "Error", "ConfigError", "DataError", "DivergenceError", "PeerError", "Preempted"]


def rank():
    """This process's MPI rank."""
    return _core.rank()


def ranks():
    """The number of MPI ranks in the job."""
    return _core.ranks()


class Results(dict):
    """A run's summary.json as a dict, with the run's other outputs as attributes.

    metrics: metrics.jsonl, one dict per line; timings: timings.json; files: every result file's
    text by name (config.resolved.toml, hypergradients.json, ...).
    """

    def __init__(self, files):
        super().__init__(json.loads(files["summary.json"]))
        self.files = files
        self.metrics = [json.loads(line) for line in files.get("metrics.jsonl", "").splitlines()
                        if line]
        self.timings = json.loads(files["timings.json"]) if "timings.json" in files else {}


def _toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return repr(value.item() if isinstance(value, np.generic) else value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise ConfigError(f"config: a value of type {type(value).__name__} ({value!r}) has no TOML "
                      "form; valid: bool, int, float, str, lists of them, dicts for sections")


def _toml(config, prefix=""):
    """A config dict as TOML text: keys with plain values, then one [section] per nested dict."""
    plain = {k: v for k, v in config.items() if not isinstance(v, dict)}
    lines = [f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in plain.items()]
    for key, section in config.items():
        if isinstance(section, dict):
            name = f"{prefix}{key}"
            lines.append(f"\n[{name}]")
            lines.append(_toml(section, name + "."))
    return "\n".join(lines)


@contextmanager
def _config_file(config):
    """A path to `config`: a TOML file's path as given, or a dict written to a temporary file in
    the working directory (a config's relative paths are relative to its file's folder)."""
    if isinstance(config, dict):
        with tempfile.NamedTemporaryFile("w", suffix=".toml", prefix=".hyperpush-", dir=".",
                                         delete=False) as f:
            f.write(_toml(config) + "\n")
        try:
            yield f.name
        finally:
            os.unlink(f.name)
    else:
        yield os.fspath(config)


def _overrides(overrides):
    """{"outer.steps": 5} as the CLI's ["outer.steps=5"]."""
    out = []
    for key, value in (overrides or {}).items():
        out.append(f"{key}={value if isinstance(value, str) else _toml_value(value)}")
    return out


@contextmanager
def _quiet_stdout(quiet):
    """The C++ core's lines on standard output (what the CLI prints) dropped when `quiet`; its
    warnings on standard error stay."""
    if not quiet:
        yield
        return
    libc = ctypes.CDLL(None)
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        libc.fflush(None)
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def run(config, overrides=None, out=None, verbose=False):
    """Runs the task of `config` (a TOML file's path, or a dict of the same keys and sections).

    overrides: {"key": value} as the CLI's --set key=value. out: the results folder (as --out);
    None runs into a temporary folder removed afterwards. verbose: print what the CLI prints.
    Returns Results: summary.json as a dict, with .metrics, .timings and .files. The files are
    byte for byte the CLI's.
    """
    with _config_file(config) as path, _quiet_stdout(not verbose):
        files = _core.run_files(path, _overrides(overrides), "" if out is None else os.fspath(out))
    return Results(files)


def hypergradient(config, overrides=None, out=None, verbose=False):
    """Runs task `hypergradient` of `config`; every agent's hyper-gradient v_i (agents × p).

    The array's .exact (the exact formula's, when the run computed it) and .results (the run's
    Results) come with it.
    """
    merged = dict(overrides or {})
    merged["task"] = "hypergradient"
    results = run(config, merged, out, verbose)
    agents = json.loads(results.files["hypergradients.json"])["agents"]
    v = np.array([a["hypergradient"] for a in agents], dtype=float)
    exact = [a["exact"] for a in agents]
    v = v.view(_Hypergradients)
    v.exact = None if any(e is None for e in exact) else np.array(exact, dtype=float)
    v.results = results
    return v


class _Hypergradients(np.ndarray):
    """hypergradient()'s array: with .exact and .results."""


def _schedule_config(kind, agents, seed, options):
    return {"task": "average", "agents": int(agents), "seed": int(seed),
            "topology": {"kind": kind, **options}}


def schedule(kind, agents, seed=1, rounds=10, **options):
    """The mixing matrices P(0), ..., P(rounds − 1) of a schedule (topology.kind and its options).

    Each is agents × agents and column-stochastic: P[j, i] = 1/|out-neighbours of i| for each edge
    i → j (self-loops included), as push-sum mixes.
    """
    with _config_file(_schedule_config(kind, agents, seed, options)) as path:
        return _core.mixing_matrices(path, [], 0, int(rounds))


def analyse(kind, agents, seed=1, rounds=None, **options):
    """`hyperpush topology`'s analysis of rounds [0, rounds) (None: topology.check_rounds) as a dict:
    B-strong connectivity, degrees, union diameter, contraction rate, exact-after rounds."""
    with _config_file(_schedule_config(kind, agents, seed, options)) as path:
        text = _core.topology_json(path, [], "" if rounds is None else f"0:{int(rounds)}")
    return json.loads(text)


def push_sum(values, kind="one-peer-exponential", rounds=50, seed=1, **options):
    """Push-sum averaging of the rows of `values` (agents × d) for `rounds` rounds of a schedule.

    Every rank mixes its own agents' rows through the C++ core's exchange, as a run does. Returns
    every agent's estimate w_i/ω_i (agents × d), on every rank.
    """
    values = np.ascontiguousarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    with _config_file(_schedule_config(kind, values.shape[0], seed, options)) as path:
        return _core.push_sum(path, [], values, int(rounds))

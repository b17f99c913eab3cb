"""The Python module against the CLI (byte for byte), an exported schedule file, a numpy replay of
push-sum, the exact hyper-gradient, and its exceptions. Run by run.sh under mpirun (1 and 2 ranks):
every rank runs every test and must get the same."""
import json
import os
import re
import tomllib

import numpy as np
import pytest

import hyperpush

SRC = os.environ["HYPERPUSH_SOURCE_DIR"]
CLI = os.environ["HYPERPUSH_CLI_RESULTS"]
QUIET = {"output.progress": False}
QUIET_SECTION = {"progress": False}


def cli_file(run, name):
    with open(os.path.join(CLI, run, name), encoding="utf-8") as f:
        return f.read()


def test_run_writes_what_the_cli_writes(tmp_path):
    out = tmp_path / "py-average" if hyperpush.ranks() == 1 else None
    result = hyperpush.run(os.path.join(SRC, "experiments/average.toml"),
                           {"agents": 8, **QUIET}, out)
    for name in ("summary.json", "metrics.jsonl", "config.resolved.toml"):
        assert result.files[name] == cli_file("cli-average", name), name
    assert result == json.loads(cli_file("cli-average", "summary.json"))
    assert result["consensus_error"] < 1e-12
    assert len(result.metrics) == len(cli_file("cli-average", "metrics.jsonl").splitlines())
    assert result.timings["ranks"] == hyperpush.ranks()


def test_a_dict_config_runs_as_its_toml_file():
    with open(os.path.join(SRC, "experiments/average.toml"), "rb") as f:
        config = tomllib.load(f)
    config["agents"] = 8
    config["output"]["progress"] = False
    assert hyperpush.run(config).files["summary.json"] == cli_file("cli-average", "summary.json")


def test_hypergradient_returns_every_agents_v_and_equals_the_cli():
    v = hyperpush.hypergradient(os.path.join(SRC, "experiments/hypergradient-quadratic.toml"),
                                QUIET)
    cli = json.loads(cli_file("cli-hypergradient", "hypergradients.json"))["agents"]
    assert v.shape == (len(cli), len(cli[0]["hypergradient"]))
    assert np.array_equal(np.asarray(v), np.array([a["hypergradient"] for a in cli]))
    assert np.abs(np.asarray(v) - v.exact).max() <= 1e-8 * np.abs(v.exact).max()
    # metrics.jsonl: the error at every depth 1..M, the last one summary.json's
    depths = [m["depth"] for m in v.results.metrics]
    errors = [m["hypergradient_error"] for m in v.results.metrics]
    assert depths == list(range(1, v.results["depth"] + 1))
    assert errors[-1] == v.results["hypergradient_error"]
    assert errors[0] > 1e3 * errors[-1]


def read_schedule_file(path):
    """rounds × agents × agents adjacency (i → j as [t, j, i]) of an edge-list schedule file."""
    lines = [l.split("#")[0].split() for l in open(path, encoding="utf-8")]
    lines = [l for l in lines if l]
    n, rounds = int(lines[0][1]), int(lines[1][1])
    adjacency = np.zeros((rounds, n, n), dtype=bool)
    for t, u, v in (map(int, l) for l in lines[2:]):
        adjacency[t, v, u] = True
    return adjacency


def test_schedule_is_column_stochastic_and_equals_the_exported_file():
    matrices = hyperpush.schedule("random-directed", 16, seed=3, rounds=6)
    exported = read_schedule_file(os.path.join(CLI, "schedule.txt"))
    assert len(matrices) == 6
    for t, p in enumerate(matrices):
        assert p.shape == (16, 16)
        np.testing.assert_allclose(p.sum(axis=0), 1.0, rtol=0, atol=1e-15)
        edges = (p > 0) & ~np.eye(16, dtype=bool)
        assert np.array_equal(edges, exported[t]), f"round {t}"
        for i in range(16):  # uniform weights over i's out-neighbours, itself included
            column = p[:, i][p[:, i] > 0]
            assert np.all(column == 1.0 / len(column))


def test_push_sum_equals_a_numpy_replay_and_averages():
    rng = np.random.default_rng(5)
    values = rng.normal(size=(9, 4))
    rounds = 30
    estimates = hyperpush.push_sum(values, "random-directed", rounds=rounds, seed=7)
    w, omega = values.copy(), np.ones(9)
    for p in hyperpush.schedule("random-directed", 9, seed=7, rounds=rounds):
        w, omega = p @ w, p @ omega
    np.testing.assert_allclose(estimates, w / omega[:, None], rtol=0, atol=1e-12)
    np.testing.assert_allclose(estimates, np.broadcast_to(values.mean(axis=0), values.shape),
                               rtol=0, atol=1e-10)


def test_analyse_gives_the_topology_commands_figures():
    report = hyperpush.analyse("one-peer-exponential", 16, rounds=40)
    assert report["b_strongly_connected"] and report["agents"] == 16
    assert report["exact_after_rounds"] == 4  # log2(16): exact averaging after one period
    assert report["rounds"] == [0, 40]


def test_a_bad_key_raises_config_error_with_the_clis_message():
    with pytest.raises(hyperpush.ConfigError) as error:
        hyperpush.run(os.path.join(SRC, "experiments/average.toml"), {"agnets": 8})
    assert str(error.value).startswith("--set agnets=8: unknown key 'agnets' (did you mean "
                                       "'agents'?)")


def test_bad_data_raises_data_error():
    with pytest.raises(hyperpush.DataError,
                       match=re.escape('data.train: data.dataset = "libsvm" needs a training '
                                       'file')):
        hyperpush.run({"task": "hpo", "data": {"dataset": "libsvm"}, "output": QUIET_SECTION})


def test_a_value_with_no_toml_form_is_refused():
    with pytest.raises(hyperpush.ConfigError, match="a value of type object"):
        hyperpush.run({"task": "average", "seed": object()})


def test_divergence_raises_divergence_error():
    with pytest.raises(hyperpush.DivergenceError, match="diverged"):
        hyperpush.run(os.path.join(SRC, "experiments/quickstart.toml"),
                      {"inner.step": 1000, "outer.steps": 1, "outer.baseline_local": False,
                       **QUIET})

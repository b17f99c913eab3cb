#!/usr/bin/python3
"""The README's Python example: PYTHONPATH=build/python /usr/bin/python3 examples/python/quickstart.py
(or under scripts/mpirun.sh N: every rank prints the same)."""
import numpy as np
import hyperpush

result = hyperpush.run("experiments/quickstart.toml", {"outer.steps": 5, "output.progress": False})
print(f"validation loss {result['initial_validation_loss']:.4f} -> {result['final_validation_loss']:.4f}")
print("metrics lines:", len(result.metrics), "| ranks:", hyperpush.ranks())

P = hyperpush.schedule("one-peer-exponential", agents=8, rounds=3)
print("column sums of P(0):", P[0].sum(axis=0))
x = np.arange(16.0).reshape(8, 2)
print("push-sum estimate of agent 0 after 3 rounds:", hyperpush.push_sum(x, rounds=3)[0])

#!/usr/bin/env python3
"""Exports the example TorchScript models of hyperpush's torch backend ([model] kind = "torchscript").

    python3 examples/torchscript/export_model.py [output directory]

writes, next to this script unless a directory is given:
  small_cnn.pt   a small CNN for 28 × 28 one-channel images (fashion-mnist) given as m × 784 rows
  digits_mlp.pt  64 → 16 → 10 for the digits data set (the unit tests and the e2e test use it)

The contract hyperpush relies on (README.md): double precision; forward maps m × q features, one
sample per row, to m × C logits (or m / m × 1 for one logit of 2 classes); smooth activations
(tanh, softplus, average pooling: no ReLU, max pooling) so that the Hessian-vector products of
the hyper-gradient exist everywhere. An optional method `hidden` returns the hidden activations
(a list of m × … tensors) for the explanations. The weights are a fixed draw (torch.manual_seed):
hyperpush starts every agent at them (θ0) and learns θ = θ0 + x.
"""
import os
import sys
from typing import List

import torch
from torch import nn


class SmallCNN(nn.Module):
    """conv 1→4 5×5 (pad 2), tanh, avg-pool 2, conv 4→8 5×5 (pad 2), tanh, avg-pool 2, linear 392→10."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=5, padding=2)
        self.conv2 = nn.Conv2d(4, 8, kernel_size=5, padding=2)
        self.pool = nn.AvgPool2d(2)
        self.out = nn.Linear(8 * 7 * 7, 10)

    @torch.jit.export
    def hidden(self, x: torch.Tensor) -> List[torch.Tensor]:
        # x.size(0), not -1: a batch of zero rows must reshape too.
        h1 = self.pool(torch.tanh(self.conv1(x.reshape(x.size(0), 1, 28, 28))))  # m × 4 × 14 × 14
        h2 = self.pool(torch.tanh(self.conv2(h1)))  # m × 8 × 7 × 7
        return [h1.flatten(1), h2.flatten(1)]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.hidden(x)[1])  # m × 10


class DigitsMLP(nn.Module):
    """64 → 16 (tanh) → 10."""

    def __init__(self) -> None:
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(64, 16), nn.Tanh(), nn.Linear(16, 10))

    @torch.jit.export
    def hidden(self, x: torch.Tensor) -> List[torch.Tensor]:
        return [torch.tanh(self.layers[0](x))]  # m × 16

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)  # m × 10


def export(model: nn.Module, features: int, path: str) -> None:
    model = model.double().eval()
    scripted = torch.jit.script(model)
    batch = torch.randn(3, features, dtype=torch.float64)
    assert torch.allclose(scripted(batch), model(batch))
    torch.jit.save(scripted, path)
    count = sum(p.numel() for p in model.parameters())
    print(f"{path}: {count} parameters, {os.path.getsize(path)} bytes")


def main() -> None:
    # TorchScript writes a module's constants in set order: fix the string hash so that the same
    # script writes the same bytes.
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, "PYTHONHASHSEED": "0"})
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    torch.manual_seed(0)
    export(SmallCNN(), 784, os.path.join(directory, "small_cnn.pt"))
    torch.manual_seed(0)
    export(DigitsMLP(), 64, os.path.join(directory, "digits_mlp.pt"))


if __name__ == "__main__":
    main()

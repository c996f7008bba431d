#!/usr/bin/python3
"""Fixture for the ONNX Runtime peer of the speed benchmark: exports the inference cell's model — the GRU layer alone,
as in pytorch_bench.py — for each shape with torch.onnx.export (Debian's PyTorch), to DIR/gru-SHAPE.onnx.

Usage: export_models.py DIR [SHAPE ...]   (default: every shape). Input "x" is (T, B, E) float32, output "y" (T, B, H).
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pytorch_bench import SHAPES  # noqa: E402  (one definition of the shapes)


class Layer(torch.nn.Module):
    """The GRU's output sequence only, as the benchmark's inference step uses it."""

    def __init__(self, e, h):
        super().__init__()
        self.gru = torch.nn.GRU(e, h)

    def forward(self, x):
        return self.gru(x)[0]


def main():
    if len(sys.argv) < 2:
        sys.exit("export_models.py: usage: export_models.py DIR [SHAPE ...]")
    folder, shapes = sys.argv[1], sys.argv[2:] or list(SHAPES)
    os.makedirs(folder, exist_ok=True)
    for shape in shapes:
        if shape not in SHAPES:
            sys.exit(f"export_models.py: unknown shape '{shape}' (choose from {','.join(SHAPES)})")
        e, h, b, t = SHAPES[shape]
        torch.manual_seed(1234)
        path = os.path.join(folder, f"gru-{shape}.onnx")
        with torch.no_grad():
            torch.onnx.export(Layer(e, h).eval(), torch.randn(t, b, e), path, input_names=["x"], output_names=["y"], opset_version=14)
        print(f"export_models.py: {path}")


if __name__ == "__main__":
    main()

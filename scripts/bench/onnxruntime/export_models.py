#!/usr/bin/python3
"""Fixture for the ONNX Runtime peer of the speed benchmark: exports each inference cell's model — the recurrent layer
alone, as in pytorch_bench.py (rnn: tanh RNN, gru, lstm, bigru: bidirectional GRU) — for each shape with
torch.onnx.export (Debian's PyTorch), to DIR/MODEL-SHAPE.onnx.

Beside each model it saves PyTorch's answer on a fixed input, for onnxruntime-bench to check ONNX Runtime against
before it times anything (there is no onnxruntime for Python here): DIR/MODEL-SHAPE.input.bin (x, (T, B, E)) and
DIR/MODEL-SHAPE.output.bin (y, (T, B, directions × H)), raw little-endian float32 in C order.

Usage: export_models.py DIR [SHAPE ...]   (default: every shape; always every model).
Input "x" is (T, B, E) float32, output "y" (T, B, directions × H).
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pytorch_bench import MODELS, SHAPES, Model  # noqa: E402  (one definition of the models and shapes)


class Layer(torch.nn.Module):
    """The recurrent layer's output sequence only, as the benchmark's inference step uses it."""

    def __init__(self, recurrent):
        super().__init__()
        self.recurrent = recurrent

    def forward(self, x):
        return self.recurrent(x)[0]


def save(tensor, path):
    with open(path, "wb") as handle:
        handle.write(tensor.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes())


def main():
    if len(sys.argv) < 2:
        sys.exit("export_models.py: usage: export_models.py DIR [SHAPE ...]")
    folder, shapes = sys.argv[1], sys.argv[2:] or list(SHAPES)
    os.makedirs(folder, exist_ok=True)
    for shape in shapes:
        if shape not in SHAPES:
            sys.exit(f"export_models.py: unknown shape '{shape}' (choose from {','.join(SHAPES)})")
    for shape in shapes:
        e, h, b, t = SHAPES[shape]
        for model in MODELS:
            torch.manual_seed(1234)
            layer = Layer(Model(model, e, h).recurrent).eval()
            stem = os.path.join(folder, f"{model}-{shape}")
            x = torch.randn(t, b, e)
            with torch.no_grad():
                torch.onnx.export(layer, x, stem + ".onnx", input_names=["x"], output_names=["y"], opset_version=14)
                y = layer(x)
            save(x, stem + ".input.bin")
            save(y, stem + ".output.bin")
            print(f"export_models.py: {stem}.onnx, y {tuple(y.shape)}")


if __name__ == "__main__":
    main()

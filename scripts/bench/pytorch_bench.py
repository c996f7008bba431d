#!/usr/bin/python3
"""PyTorch side of the speed benchmark: the same models, shapes and step as `workbench bench`.

Training step: embedding (65 -> E), the recurrent layer, a Linear head at every step, softmax cross-entropy,
backward and an Adam step, in float32 on random tokens. Inference: forward of the model's recurrent layer alone
(every model, bidirectional for bigru), over the embedded batch, without autograd.
Writes CSV with the columns of `workbench bench --csv` (allocs_per_step is empty: not measured here).
Run with Debian's /usr/bin/python3; run.sh sets OMP_WAIT_POLICY=PASSIVE before torch starts its threads.
"""
import argparse
import os
import statistics
import sys
import time

import torch

VOCAB = 65
SHAPES = {  # E, H, B, T
    "tiny": (16, 32, 1, 50),
    "small": (64, 128, 32, 100),
    "medium": (128, 256, 64, 100),
    "large": (256, 512, 64, 100),
}
MODELS = ["rnn", "gru", "lstm", "bigru"]
MODES = ["train", "infer"]


def parse_shape(name):
    """A shape by name, or spelled out as ExHxBxT (e.g. 64x256x16x400, the scaling runs); None if neither."""
    if name in SHAPES:
        return SHAPES[name]
    parts = name.split("x")
    if len(parts) == 4 and all(p.isdigit() and 0 < int(p) <= 100_000 for p in parts):
        return tuple(int(p) for p in parts)
    return None
GATES = {"rnn": 1, "gru": 3, "lstm": 4, "bigru": 3}


class Model(torch.nn.Module):
    def __init__(self, model, e, h):
        super().__init__()
        self.embedding = torch.nn.Embedding(VOCAB, e)
        if model == "rnn":
            self.recurrent = torch.nn.RNN(e, h, nonlinearity="tanh")
        elif model == "lstm":
            self.recurrent = torch.nn.LSTM(e, h)
        else:
            self.recurrent = torch.nn.GRU(e, h, bidirectional=(model == "bigru"))
        directions = 2 if model == "bigru" else 1
        self.head = torch.nn.Linear(directions * h, VOCAB)

    def forward(self, ids):
        output, _ = self.recurrent(self.embedding(ids))
        return self.head(output)


def flops(model, e, h, b, t, mode):
    directions = 2 if model == "bigru" else 1
    layer = 2.0 * t * b * GATES[model] * h * directions * (e + h)
    head = 2.0 * t * b * directions * h * VOCAB
    return layer if mode == "infer" else 3 * (layer + head)


def measure(model_name, shape, mode, reps):
    e, h, b, t = parse_shape(shape)
    torch.manual_seed(1234)
    model = Model(model_name, e, h)
    ids = torch.randint(0, VOCAB, (t, b))
    targets = torch.randint(0, VOCAB, (t * b,))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    embedded = model.embedding(ids).detach()

    def train_step():
        logits = model(ids)
        loss = loss_fn(logits.reshape(t * b, VOCAB), targets)
        optimizer.zero_grad(set_to_none=False)
        loss.backward()
        optimizer.step()

    def infer_step():
        with torch.no_grad():
            model.recurrent(embedded)

    step = train_step if mode == "train" else infer_step
    start, warm = time.perf_counter(), 0
    while warm < 3 or time.perf_counter() - start < 0.3:
        step()
        warm += 1
    per_step = (time.perf_counter() - start) / warm
    steps_per_rep = int(min(10_000, max(1, 0.2 / per_step)))
    seconds = []
    for _ in range(reps):
        start = time.perf_counter()
        for _ in range(steps_per_rep):
            step()
        seconds.append((time.perf_counter() - start) / steps_per_rep)
    median = statistics.median(seconds)
    return t * b / median, flops(model_name, e, h, b, t, mode) / median / 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--csv")
    args = parser.parse_args()
    models = [m for m in args.models.split(",") if m]
    shapes = [s for s in args.shapes.split(",") if s]
    modes = [m for m in args.modes.split(",") if m]
    for name in modes:
        if name not in MODES:
            sys.exit(f"pytorch_bench.py: unknown mode '{name}' (choose from {','.join(MODES)})")
    for name in models:
        if name not in MODELS:
            sys.exit(f"pytorch_bench.py: unknown model '{name}' (choose from {','.join(MODELS)})")
    for name in shapes:
        if parse_shape(name) is None:
            sys.exit(f"pytorch_bench.py: unknown shape '{name}' (choose from {','.join(SHAPES)} or ExHxBxT)")
    torch.set_num_threads(args.threads)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(unset)')}", file=sys.stderr)
    rows = ["model,shape,mode,tokens_per_s,gflops,allocs_per_step"]
    for shape in shapes:
        cells = ([(m, "train") for m in models] if "train" in modes else []) + \
            ([(m, "infer") for m in models] if "infer" in modes else [])
        for model, mode in cells:
            tokens, gflops = measure(model, shape, mode, args.reps)
            print(f"{model:6} {shape:7} {mode:6} {tokens:12,.0f} tokens/s {gflops:7.1f} GFLOP/s", file=sys.stderr)
            rows.append(f"{model},{shape},{mode},{tokens:.1f},{gflops:.3f},")
    text = "\n".join(rows) + "\n"
    if args.csv:
        temporary = f"{args.csv}.tmp-{os.getpid()}"
        with open(temporary, "w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, args.csv)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()

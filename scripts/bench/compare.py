#!/usr/bin/python3
"""Runs the speed benchmark's cases for the workbench and its peers, one process per case, quiet-gated, and writes the
report (scripts/bench/run.sh builds everything and calls this; see its header for the options).

A case is (implementation, model, shape, mode). Before each case the machine must be quiet: the CPU busy share over a
one-second window (/proc/stat) below --quiet-busy, waited for at most --quiet-timeout seconds, after which the case runs
anyway and is flagged "not quiet". While it runs, the CPU time of everything else is measured (busy time from
/proc/stat minus the case's own, from wait4's rusage); a case where that foreign share exceeds --disturbed is run again
(at most --retries times; the least disturbed attempt is kept, flagged "disturbed" if it is still above).
"""
import argparse
import csv
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pytorch_bench import SHAPES  # noqa: E402  (one definition of the shapes)

NAMES = {"workbench": "workbench", "pytorch": "PyTorch", "torchsharp": "TorchSharp", "onnxruntime": "ONNX Runtime"}
INFER_ONLY = {"onnxruntime"}
SCALING_BASE = (64, 256, 16, 100)  # E, H, B, T of the scaling runs: T and H vary around it


def cpu_times():
    with open("/proc/stat") as handle:
        fields = [int(v) for v in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])  # busy, total (guest time is already in user)


def busy_share(seconds):
    busy0, total0 = cpu_times()
    time.sleep(seconds)
    busy1, total1 = cpu_times()
    return (busy1 - busy0) / max(1, total1 - total0)


def wait_until_quiet(args):
    """True once a one-second window is below --quiet-busy; False after --quiet-timeout."""
    deadline = time.monotonic() + args.quiet_timeout
    while True:
        if busy_share(1.0) <= args.quiet_busy:
            return True
        if time.monotonic() >= deadline:
            return False


def run_measured(command, env):
    """Runs command; returns (exit code, stdout, stderr, foreign CPU share of the machine while it ran)."""
    ticks, cpus = os.sysconf("SC_CLK_TCK"), os.cpu_count()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy0, _ = cpu_times()
        start = time.monotonic()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - start
        busy1, _ = cpu_times()
        own = usage.ru_utime + usage.ru_stime
        foreign = max(0.0, ((busy1 - busy0) / ticks - own) / (wall * cpus))
        out.seek(0)
        err.seek(0)
        return process.returncode, out.read().decode(), err.read().decode(), foreign


def case_command(args, impl, model, shape, mode, folder):
    """The command line of one case and how to read its result row (a CSV file or stdout)."""
    env = dict(os.environ)
    if impl == "workbench":
        path = os.path.join(folder, "case.csv")
        return ["dotnet", args.workbench, "bench", "--models", model, "--shapes", shape, "--modes", mode,
                "--reps", str(args.reps), "--csv", path], env, path
    if impl == "pytorch":
        path = os.path.join(folder, "case.csv")
        env["OMP_WAIT_POLICY"] = "PASSIVE"
        return ["/usr/bin/python3", os.path.join(HERE, "pytorch_bench.py"), "--models", model, "--shapes", shape,
                "--modes", mode, "--reps", str(args.reps), "--threads", "2", "--csv", path], env, path
    if impl == "torchsharp":
        env["LD_PRELOAD"] = args.torchsharp_preload
        env["OMP_WAIT_POLICY"] = "PASSIVE"
        return ["dotnet", args.torchsharp, model, shape, mode, str(args.reps)], env, None
    if impl == "onnxruntime":
        return ["dotnet", args.onnxruntime, args.onnx_models, model, shape, str(args.reps)], env, None
    raise ValueError(impl)


def parse_row(text):
    header = "model,shape,mode,tokens_per_s,gflops,allocs_per_step,gemm_peak_gflops,settled".split(",")
    lines = [l for l in text.splitlines() if l and not l.startswith("model,")]
    if not lines:
        return None
    row = dict(zip(header, lines[-1].split(",")))
    return row


def run_case(args, impl, model, shape, mode):
    """Quiet gate, then the case (again while disturbed); a result dict, or None with a one-line reason printed."""
    attempts = []
    for attempt in range(1 + args.retries):
        quiet = wait_until_quiet(args)
        with tempfile.TemporaryDirectory() as folder:
            command, env, path = case_command(args, impl, model, shape, mode, folder)
            code, out, err, foreign = run_measured(command, env)
            if code != 0:
                reason = (err.strip().splitlines() or ["no message"])[-1]
                print(f"  {NAMES[impl]} {model} {shape} {mode}: failed (exit {code}): {reason}", flush=True)
                return None
            row = parse_row(open(path).read() if path else out)
        if row is None:
            print(f"  {NAMES[impl]} {model} {shape} {mode}: printed no result", flush=True)
            return None
        row.update(impl=impl, quiet=quiet, foreign=foreign, attempts=attempt + 1)
        attempts.append(row)
        if foreign <= args.disturbed:
            break
    best = min(attempts, key=lambda r: r["foreign"])
    best["attempts"] = len(attempts)
    flags = [] if best["quiet"] else ["not quiet"]
    if best["foreign"] > args.disturbed:
        flags.append(f"disturbed {100 * best['foreign']:.0f}%")
    if best.get("settled") == "0":
        flags.append("warm-up not settled")
    best["flags"] = flags
    print(f"  {NAMES[impl]:12} {model:5} {shape:14} {mode:5} {float(best['tokens_per_s']):14,.0f} tokens/s"
          f"  foreign CPU {100 * best['foreign']:3.0f}%  attempts {best['attempts']}  {' '.join(flags)}", flush=True)
    return best


def cells(models, shapes):
    """Per shape, each model's training step, then each model's inference — the order of `workbench bench`."""
    for shape in shapes:
        for model in models:
            yield model, shape, "train"
        for model in models:
            yield model, shape, "infer"


def flag_notes(rows):
    """'workbench: not quiet, disturbed 70%; PyTorch: …' — each implementation's flags over its passes, once each."""
    flags = {}
    for row in rows:
        items = flags.setdefault(NAMES[row["impl"]], [])
        items.extend(f for f in row["flags"] if f not in items)
    return "; ".join(f"{impl}: {', '.join(items)}" for impl, items in flags.items() if items)


def spread(values):
    return (max(values) - min(values)) / statistics.median(values) if len(values) > 1 else float("nan")


def percent(value):
    return "–" if value != value else f"{100 * value:.0f}%"


def cpu_description():
    model, flags = None, ""
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name") and model is None:
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags"):
                flags = line.split(":", 1)[1].strip()
                break
    return model or platform.machine(), flags


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default="rnn,gru,lstm,bigru")
    parser.add_argument("--shapes", default="tiny,small,medium,large")
    parser.add_argument("--peers", default="pytorch,torchsharp,onnxruntime")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--out", required=True)
    parser.add_argument("--scaling", default="gru,lstm", help="models of the scaling section ('' for none)")
    parser.add_argument("--scaling-t", default="50,100,200,400")
    parser.add_argument("--scaling-h", default="128,256,512,1024")
    parser.add_argument("--quiet-busy", type=float, default=0.15)
    parser.add_argument("--quiet-timeout", type=float, default=60)
    parser.add_argument("--disturbed", type=float, default=0.10)
    parser.add_argument("--retries", type=int, default=2)
    parser.add_argument("--workbench", required=True)
    parser.add_argument("--torchsharp")
    parser.add_argument("--torchsharp-preload", default="")
    parser.add_argument("--onnxruntime")
    parser.add_argument("--onnx-models")
    parser.add_argument("--note", action="append", default=[], help="a line for the report's header")
    args = parser.parse_args()
    models = [m for m in args.models.split(",") if m]
    shapes = [s for s in args.shapes.split(",") if s]
    peers = [p for p in args.peers.split(",") if p]
    for p in peers:
        if p not in NAMES or p == "workbench":
            sys.exit(f"compare.py: unknown peer '{p}' (choose from pytorch,torchsharp,onnxruntime)")
    impls = ["workbench"] + [p for p in NAMES if p in peers]  # fixed column order
    os.makedirs(args.out, exist_ok=True)

    results = []  # every kept case of every pass
    for number in range(1, args.passes + 1):
        print(f"== pass {number} of {args.passes}", flush=True)
        for model, shape, mode in cells(models, shapes):
            for impl in impls:
                if mode == "train" and impl in INFER_ONLY:
                    continue
                row = run_case(args, impl, model, shape, mode)
                if row is not None:
                    row["pass"] = number
                    results.append(row)

    scaling_models = [m for m in args.scaling.split(",") if m]
    scaling = []
    if scaling_models:
        e, h, b, t = SCALING_BASE
        points = [("T", v, f"{e}x{h}x{b}x{v}") for v in map(int, args.scaling_t.split(","))] + \
                 [("H", v, f"{e}x{v}x{b}x{t}") for v in map(int, args.scaling_h.split(","))]
        print(f"== scaling: training step time vs T (E={e}, H={h}, B={b}) and vs H (E={e}, B={b}, T={t})", flush=True)
        for model in scaling_models:
            for axis, value, shape in points:
                for impl in [i for i in impls if i not in INFER_ONLY]:
                    row = run_case(args, impl, model, shape, "train")
                    if row is not None:
                        row.update(axis=axis, value=value)
                        scaling.append(row)

    fields = ["pass", "impl", "model", "shape", "mode", "tokens_per_s", "gflops", "allocs_per_step", "gemm_peak_gflops",
              "settled", "quiet", "foreign", "attempts", "flags"]
    with open(os.path.join(args.out, "cases.csv"), "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields + ["axis", "value"], extrasaction="ignore")
        writer.writeheader()
        for row in results + scaling:
            writer.writerow({**row, "flags": ";".join(row["flags"])})

    report = render(args, models, shapes, impls, results, scaling, scaling_models)
    with open(os.path.join(args.out, "report.md"), "w") as handle:
        handle.write(report)
    print()
    print(report)
    print(f"report: {os.path.join(args.out, 'report.md')}; every case: {os.path.join(args.out, 'cases.csv')}")


def render(args, models, shapes, impls, results, scaling, scaling_models):
    cpu, flags = cpu_description()
    peaks = [float(r["gemm_peak_gflops"]) for r in results + scaling
             if r["impl"] == "workbench" and r.get("gemm_peak_gflops")]
    peak = max(peaks) if peaks else float("nan")
    lines = [
        "# Speed benchmark: workbench and peers",
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- CPU: {cpu}, {os.cpu_count()} logical CPUs; kernel {platform.release()}",
        f"- CPU flags: `{flags}`",
        f"- workbench GEMM peak (float 1024³, best of the run's measurements): {peak:.0f} GFLOP/s",
        f"- {args.passes} pass(es), {args.reps} timed repetitions per case (median), every case in its own process; "
        f"quiet gate: CPU busy ≤ {100 * args.quiet_busy:.0f}% over 1 s (waited ≤ {args.quiet_timeout:.0f} s), "
        f"repeated while other processes took > {100 * args.disturbed:.0f}% of the CPU (≤ {args.retries} times)",
        "- tokens/s: time steps × batch per second (median over passes); training = embedding, recurrent layer, "
        "Linear head, cross-entropy, backward, Adam; inference = the model's recurrent layer's forward over the batch (every model)",
    ] + [f"- {note}" for note in args.note] + [""]
    peers = impls[1:]
    header = ["model", "shape", "mode"] + [f"{NAMES[i]} tokens/s" for i in impls] + \
        ["workbench / best peer", "workbench GFLOP/s", "% GEMM peak", "spread workbench", "spread best peer",
         "alloc bytes/step", "notes"]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * 3 + "---:|" * (len(impls) + 6) + "---|"]
    by_key = {}
    for row in results:
        by_key.setdefault((row["impl"], row["model"], row["shape"], row["mode"]), []).append(row)
    for model, shape, mode in cells(models, shapes):
        def rate(impl):
            rows = by_key.get((impl, model, shape, mode), [])
            return statistics.median(float(r["tokens_per_s"]) for r in rows) if rows else None
        rates = {impl: rate(impl) for impl in impls}
        present = {p: v for p, v in rates.items() if p != "workbench" and v is not None}
        best = max(present, key=present.get) if present else None
        ours = by_key.get(("workbench", model, shape, mode), [])
        mine = rates["workbench"]
        gflops = statistics.median(float(r["gflops"]) for r in ours) if ours else float("nan")
        allocs = statistics.median(int(r["allocs_per_step"]) for r in ours) if ours else None
        notes = flag_notes([r for key, rows in by_key.items() if key[1:] == (model, shape, mode) for r in rows])
        row = [model, shape, mode] + [f"{v:,.0f}" if v is not None else "–" for v in rates.values()] + [
            f"{mine / present[best]:.2f}× ({NAMES[best]})" if best and mine else "–",
            f"{gflops:.1f}",
            percent(gflops / peak),
            percent(spread([float(r["tokens_per_s"]) for r in ours])) if ours else "–",
            percent(spread([float(r["tokens_per_s"]) for r in by_key[(best, model, shape, mode)]])) if best else "–",
            f"{allocs:,.0f}" if allocs is not None else "–",
            notes,
        ]
        lines.append("| " + " | ".join(row) + " |")
    missing = [NAMES[p] for p in peers if not any(r["impl"] == p for r in results)]
    if missing and results:
        lines += ["", f"No result from: {', '.join(missing)} (see the run's output)."]

    if scaling:
        e, h, b, t = SCALING_BASE
        lines += ["", "## Scaling: training step time", "",
                  f"T varies with E={e}, H={h}, B={b}; H varies with E={e}, B={b}, T={t}. One pass; ms per step.", "",
                  "| model | varies | value | workbench ms | best peer ms | best peer | workbench / best peer (time) | notes |",
                  "|---|---|---:|---:|---:|---|---:|---|"]
        for model in scaling_models:
            for axis in ("T", "H"):
                for value in sorted({r["value"] for r in scaling if r["axis"] == axis and r["model"] == model}):
                    rows = [r for r in scaling if r["axis"] == axis and r["value"] == value and r["model"] == model]
                    tokens = (b * value) if axis == "T" else (b * t)
                    ms = {r["impl"]: 1000 * tokens / float(r["tokens_per_s"]) for r in rows}
                    peer_ms = {k: v for k, v in ms.items() if k != "workbench"}
                    best = min(peer_ms, key=peer_ms.get) if peer_ms else None
                    ours = ms.get("workbench")
                    notes = flag_notes(rows)
                    lines.append("| " + " | ".join([
                        model, axis, str(value), f"{ours:.2f}" if ours else "–",
                        f"{peer_ms[best]:.2f}" if best else "–", NAMES[best] if best else "–",
                        f"{ours / peer_ms[best]:.2f}" if best and ours else "–", notes]) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()

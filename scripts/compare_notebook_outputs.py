"""Compare what two kernels printed for the same notebook: exit 1, naming the cell and the first difference, unless
every code cell's text outputs agree. Used by scripts/test.sh to check that a notebook gives the same results under
the official .NET Interactive kernel as under the Workbench runner. Run with /usr/bin/python3.

    compare_notebook_outputs.py OURS.ipynb THEIRS.ipynb

Compared per code cell: the stdout stream and the text/markdown of displays and results (the kernels format other
values differently by design: HTML tables, chart HTML; and a display updated in place keeps its first value in
nbconvert's copy under the official kernel). Wall-clock times ("in 19.4 s", "35 ms") are masked, and so is every
number on a line that reports speed (it mentions speed, "took", "faster" or "slower"); every other number must
agree to a relative 1e-9, which allows the last-digit noise of a different summation order and nothing more.
"""
import json
import re
import sys

NUMBER = re.compile(r"[-+]?(?:\d[\d,]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
TIME = re.compile(r"\b\d[\d,]*(?:\.\d+)?\s?(?:ms|s|min)\b")
SPEED_LINE = re.compile(r"\b(?:speed|took|faster|slower)\b", re.IGNORECASE)


def texts(path):
    cells = [c for c in json.load(open(path, encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    result = []
    for cell in cells:
        parts = {"stdout": ""}
        rich = {"text/markdown": []}
        for output in cell.get("outputs", []):
            kind = output["output_type"]
            if kind == "stream" and output.get("name") == "stdout":
                parts["stdout"] += "".join(output["text"])
            elif kind in ("display_data", "execute_result"):
                for mime in rich:
                    if mime in output.get("data", {}):
                        rich[mime].append("".join(output["data"][mime]))
        parts.update({mime: "\n".join(v) for mime, v in rich.items() if v})
        result.append(parts)
    return result


def masked(text):
    lines = [NUMBER.sub("<speed>", line) if SPEED_LINE.search(line) else line for line in text.split("\n")]
    return TIME.sub("<time>", "\n".join(lines))


def same(a, b):
    a, b = masked(a), masked(b)
    if NUMBER.sub("#", a) != NUMBER.sub("#", b):
        return False
    for x, y in zip(NUMBER.findall(a), NUMBER.findall(b)):
        try:
            fx, fy = float(x.replace(",", "")), float(y.replace(",", ""))
        except ValueError:
            if x != y:
                return False
            continue
        if fx != fy and abs(fx - fy) > 1e-9 * max(abs(fx), abs(fy)):
            return False
    return True


def first_difference(a, b):
    for la, lb in zip(a.splitlines(), b.splitlines()):
        if not same(la, lb):
            return la, lb
    return a[-200:], b[-200:]


ours, theirs = texts(sys.argv[1]), texts(sys.argv[2])
problems = []
if len(ours) != len(theirs):
    problems.append(f"{len(ours)} code cells here, {len(theirs)} there")
for index, (a, b) in enumerate(zip(ours, theirs), start=1):
    for key in a.keys() & b.keys():
        if not same(a[key], b[key]):
            mine, other = first_difference(a[key], b[key])
            problems.append(f"code cell {index} ({key}): workbench printed {mine!r}, the official kernel {other!r}")
for p in problems:
    print(f"{sys.argv[2]}: {p}")
sys.exit(1 if problems else 0)

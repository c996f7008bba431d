"""Exit 1, naming the cell and the error, when an executed notebook holds any error output (or an execution stopped
before a code cell). Used by scripts/test.sh after nbconvert --allow-errors. Run with /usr/bin/python3."""
import json
import sys

path = sys.argv[1]
cells = json.load(open(path))["cells"]
errors = []
for index, cell in enumerate(cells):
    if cell["cell_type"] != "code":
        continue
    for output in cell.get("outputs", []):
        if output["output_type"] == "error":
            errors.append(f"cell {index}: {output['ename']}: {output['evalue'][:500]}")
    if cell["source"] and cell.get("execution_count") is None:
        errors.append(f"cell {index}: not executed")
for e in errors:
    print(f"{path}: {e}")
sys.exit(1 if errors else 0)

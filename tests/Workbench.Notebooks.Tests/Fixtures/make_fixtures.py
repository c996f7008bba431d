#!/usr/bin/python3
"""Writes roundtrip.ipynb with Jupyter's own nbformat library (run with Debian's /usr/bin/python3).

The C# tests read it and check that NotebookWriter writes it back byte for byte, i.e. that the workbench formats
notebooks exactly as Jupyter does. The test itself does not need Python.
"""
import os
import nbformat
from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell, new_raw_cell, new_output

here = os.path.dirname(os.path.abspath(__file__))
nb = new_notebook(metadata={
    "kernelspec": {"display_name": "C# (Workbench)", "language": "csharp", "name": "workbench-csharp"},
    "language_info": {"name": "csharp", "file_extension": ".cs"},
    "custom": {"nested": [1, 2.5, True, None, "é ü 中文"]},
})
nb.cells = [
    new_markdown_cell("# Title\n\nSome *text* with $x^2$ and a \"quote\" and a tab\there.", id="md-1"),
    new_code_cell("int epochs = 3;\ndouble lr = 0.01;", id="params", metadata={"tags": ["parameters"]}),
    new_code_cell("Console.WriteLine(\"hi\");\nepochs * 2", id="code-2", execution_count=2, outputs=[
        new_output("stream", name="stdout", text="hi\nthere\n"),
        new_output("execute_result", execution_count=2, data={"text/plain": "6", "text/html": "<b>6</b>\n<i>x</i>"}),
        new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<image>"}, metadata={"image/png": {"width": 10}}),
        new_output("error", ename="System.Exception", evalue="boom", traceback=["line 1", "line 2"]),
    ]),
    new_code_cell("", id="empty", execution_count=None),
    new_raw_cell("raw\ntext\n", id="raw-1"),
]
nbformat.validate(nb)
with open(os.path.join(here, "roundtrip.ipynb"), "w", encoding="utf-8") as f:
    nbformat.write(nb, f)

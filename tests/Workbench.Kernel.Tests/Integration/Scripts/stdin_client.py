"""Drives the workbench-csharp kernel's stdin channel with jupyter_client (input_request / input_reply, interrupt while
waiting, allow_stdin=False) and its execution counter; prints what it observed as one JSON object for the C# test."""
import json
import queue

from jupyter_client.manager import KernelManager

results = {}


def shell_reply(msg_id, timeout=60):
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r["parent_header"].get("msg_id") == msg_id:
            return r["content"]


def run(code, answer=None, allow_stdin=True, store_history=True, interrupt=False):
    """Executes code; answers its one input_request with `answer` (or interrupts instead); returns what happened."""
    msg_id = kc.execute(code, allow_stdin=allow_stdin, store_history=store_history)
    seen = {}
    if answer is not None or interrupt:
        req = kc.get_stdin_msg(timeout=60)
        seen["request"] = {"type": req["msg_type"], "prompt": req["content"]["prompt"], "password": req["content"]["password"],
                           "parent": req["parent_header"].get("msg_id") == msg_id}
        if interrupt:
            km.interrupt_kernel()
        else:
            kc.input(answer)
    seen["reply"] = shell_reply(msg_id)
    outputs = []
    while True:
        try:
            m = kc.get_iopub_msg(timeout=2)
        except queue.Empty:
            break
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "execute_result":
            outputs.append(m["content"]["data"]["text/plain"])
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    seen["results"] = outputs
    return seen


km = KernelManager(kernel_name="workbench-csharp")
km.start_kernel()
kc = km.client()
kc.start_channels()
try:
    kc.wait_for_ready(timeout=60)
    results["name"] = run('using Microsoft.DotNet.Interactive;\nvar name = await Kernel.GetInputAsync("Your name");\nname', answer="Ada")
    results["password"] = run('var token = await Kernel.GetPasswordAsync("Token");\ntoken.GetClearTextPassword() + " " + token', answer="s3cret")
    results["readline"] = run('Console.ReadLine()', answer="a line")
    results["interrupt"] = run('await Kernel.GetInputAsync("Never answered")', interrupt=True)
    results["after_interrupt"] = run("name")
    results["no_stdin"] = run('Console.ReadLine()', allow_stdin=False)
    # One execution counter: a store_history=False request neither advances nor skips it.
    results["counts"] = [run("1")["reply"]["execution_count"], run("2", store_history=False)["reply"]["execution_count"],
                         run("3")["reply"]["execution_count"]]
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
print("RESULTS " + json.dumps(results))

"""Interrupts C# cells of the workbench-csharp kernel through jupyter_client (interrupt_request, as the kernelspec's
interrupt_mode "message" asks): a loop, a recursion, sleeps and waits. For each case: the reply, the error output,
the seconds from the interrupt to the cell's idle status (reported, not asserted: speed is for scripts/bench) and
whether the next cell sees the state from before. Prints one JSON line "RESULTS {...}". Run with /usr/bin/python3."""
import json
import sys
import time

from jupyter_client.manager import KernelManager

CASES = {
    "while_true": "while (true) { }",
    "for_increment": "long x = 0;\nfor (;;) x++;",
    "recursion_in_loop": "int Depth(int n) => n == 0 ? 0 : 1 + Depth(n - 1);\nwhile (true) Depth(10000);",
    "thread_sleep": "Thread.Sleep(600000);",
    "task_delay_wait": "Task.Delay(600000).Wait();",
    "await_task_delay": "await Task.Delay(600000);",
    "semaphore_wait": "new SemaphoreSlim(0).Wait();",
    "tight_numeric": "double s = 0;\nfor (long i = 0; i < long.MaxValue; i++) s += Math.Sqrt(i) * 1e-9;",
    "monitor_wait": "var gate = new object();\nlock (gate) Monitor.Wait(gate);",
}

results = {}
km = KernelManager(kernel_name="workbench-csharp")
km.start_kernel()
kc = km.client()
kc.start_channels()


def until_idle(msg_id, timeout=60):
    """The messages of msg_id on IOPub up to its idle status."""
    seen = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return seen


def shell_reply(msg_id, timeout=60):
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r["parent_header"].get("msg_id") == msg_id:
            return r


def run(code):
    msg_id = kc.execute(code)
    seen = until_idle(msg_id)
    reply = shell_reply(msg_id)
    return reply["content"]["status"], [m["content"]["data"]["text/plain"] for m in seen if m["msg_type"] == "execute_result"]


try:
    kc.wait_for_ready(timeout=120)
    run("var kept = 21;")
    only = sys.argv[1:]
    for name, code in CASES.items():
        if only and name not in only:
            continue
        msg_id = kc.execute('Console.WriteLine("started");\n' + code)
        # Interrupt once the cell is inside its loop or wait: after its "started" stream and a moment more.
        while True:
            m = kc.get_iopub_msg(timeout=120)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream" and "started" in m["content"]["text"]:
                break
        time.sleep(0.3)
        t0 = time.time()
        km.interrupt_kernel()
        seen = until_idle(msg_id)
        seconds = time.time() - t0
        reply = shell_reply(msg_id)["content"]
        errors = [m["content"] for m in seen if m["msg_type"] == "error"]
        after_status, after = run("kept * 2")
        results[name] = {
            "status": reply["status"],
            "ename": reply.get("ename"),
            "error_output": errors[0]["ename"] if errors else None,
            "traceback": errors[0]["traceback"] if errors else [],
            "seconds": seconds,
            "after": after,
            "after_status": after_status,
        }
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    km.cleanup_resources()

print("RESULTS " + json.dumps(results))
del kc  # closes the client now, while logging still works, not during interpreter shutdown

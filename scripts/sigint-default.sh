# Sourced first (before any cd, so that "$0" still names the script) by scripts/test.sh and scripts/stress-tests.sh.
# Tests send SIGINT to the processes they start (Ctrl+C of a training run, interrupting a kernel), and a process
# ignores SIGINT when a non-interactive shell started it in the background (`bash scripts/test.sh &`, as a job runner
# or `nohup` may): its children inherit that, so those tests would wait for an interrupt that never comes. When SIGINT
# is ignored here, the script restarts itself with the default action, through Debian's python3 (bash cannot undo a
# signal ignored at its start).
if [ -z "${WORKBENCH_SIGINT_RESTORED:-}" ] && [ -r /proc/$$/status ] \
   && (( 0x$(awk '/^SigIgn:/ { print $2 }' /proc/$$/status) & 2 )); then
  if [ -x /usr/bin/python3 ]; then
    exec env WORKBENCH_SIGINT_RESTORED=1 /usr/bin/python3 -c \
      'import os, signal, sys
# Python itself ignores SIGPIPE and SIGXFSZ: those go back to the default too, with SIGINT and SIGQUIT.
for s in (signal.SIGINT, signal.SIGQUIT, signal.SIGPIPE, signal.SIGXFSZ): signal.signal(s, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' \
      bash "$0" "$@"
  fi
  echo "warning: SIGINT is ignored in this shell (started in the background?) and /usr/bin/python3 is missing to" \
       "restore it; the tests that interrupt a process will fail" >&2
fi

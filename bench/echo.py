#!/usr/bin/env python3
"""echo.py - keystroke echo as issue 3 defines it: `send-keys` into a pane
running `cat`, timed until an attached client's terminal shows the echo,
side by side with tmux (muxbench's method: step-by-step alternation,
median of paired ratios).

A session runs `cat`; a client attaches on an 80x24 pty whose output is
drained. Each step waits for the client's output to go quiet, runs
`send-keys -t e }` (one key, so that exactly one new cell is drawn), and
stops the clock when the client writes `}` to its terminal. Every 40 keys
an Enter starts a new line. Also reported, per key, the CPU time the
server and the client used (from /proc/PID/schedstat), which shows where
the two designs spend it: tmux's client hands its terminal to the server
and does nothing per key.

With --typed the key is typed into the client's terminal instead (the
path a person's keystroke takes; muxbench's "typed into attached client"
metric): since agmux's server holds the client's terminal as tmux's does,
its client too should use no CPU per key.

    python3 bench/echo.py [--typed] [--reps N] [--keys N] CANDIDATE [BASELINE]
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import muxbench as mb  # noqa: E402
import sides  # noqa: E402


def cpu_us(pid):
    with open("/proc/%d/schedstat" % pid) as f:
        return int(f.read().split()[0]) / 1e3


def setup(ad):
    srv = mb.Server(ad)
    srv.new_session("e", "exec cat")
    client = mb.PtyClient(ad.attach(srv.sock, "e"), srv.env)
    try:
        client.wait_quiet()
    except mb.BenchError:
        client.close()
        srv.kill()
        raise
    return {"srv": srv, "client": client, "col": 0, "pid": srv.server_pids()[0]}


TYPED = False


def step(ad, ctx, i):
    srv, client = ctx["srv"], ctx["client"]
    client.wait_quiet(quiet=0.03, need_output=False)
    cpu0 = (cpu_us(ctx["pid"]), cpu_us(client.pid))
    t0 = mb.perf()
    if TYPED:
        os.write(client.fd, b"}")
    else:
        rc, _ = srv.cmd(ad.send_keys(srv.sock, "e", "}"), 10)
        if rc != 0:
            raise mb.BenchError("send-keys exited %d%s" % (rc, srv.errtail()))
    t1 = client.wait_for(b"}", 5)
    cpu1 = (cpu_us(ctx["pid"]), cpu_us(client.pid))
    ctx["col"] += 1
    if ctx["col"] >= 40:
        srv.cmd(ad.send_keys(srv.sock, "e", "Enter"), 10)
        ctx["col"] = 0
    how = "typed into" if TYPED else "send-keys ->"
    return {"echo %s attached client [ms]" % how: ((t1 - t0) * 1e3, "ms", "med"),
            "server CPU per key [us]": (cpu1[0] - cpu0[0], "us", "med"),
            "client CPU per key [us]": (cpu1[1] - cpu0[1], "us", "med")}


def teardown(ad, ctx):
    ctx["client"].close()
    ctx["srv"].kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("candidate")
    ap.add_argument("baseline", nargs="?", default="/usr/bin/tmux")
    ap.add_argument("--reps", type=int, default=4)
    ap.add_argument("--keys", type=int, default=100)
    ap.add_argument("--typed", action="store_true", help="type the key into the client's terminal")
    args = ap.parse_args()
    global TYPED
    TYPED = args.typed

    cand, base = sides.prepare(args.candidate, args.baseline)
    what = "a key typed into" if TYPED else "send-keys seen by"
    mb.log("- echo of %s an attached client, %d keys x %d repetitions" % (what, args.keys, args.reps))
    mb.ab_steps("echo", cand, base, step, args.keys, args.reps, setup, teardown)
    mb.report(cand, base)


if __name__ == "__main__":
    main()

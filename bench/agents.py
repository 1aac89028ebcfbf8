#!/usr/bin/env python3
"""agents.py - the agent layer's round trips against tmux's nearest
commands, side by side, with muxbench's method (step-by-step alternation,
median of paired ratios).

  durable write : agmux `agent-share -t s0 g k=N` (the reply waits for the
                  change to be synced to disk) vs tmux `set-option -g @x N`
  peers of 32   : agmux `agent-peers -t s0` in a group of 32 agents vs tmux
                  `list-sessions` with 32 sessions
  spawn 100     : agmux `agent-spawn -t root true` (run mode) 100 times vs
                  tmux `new-session -d true` 100 times, on a fresh server
  message       : agmux `agent-send -t r --wait 10 ping`, answered by a
                  scripted agent blocked on `agent-inbox --wait` that replies
                  with `agent-reply`, vs tmux `display-message -p`

    python3 bench/agents.py [--reps N] [--calls N] CANDIDATE [BASELINE]
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import muxbench as mb  # noqa: E402
import sides  # noqa: E402

GROUP = 32


def is_agmux(ad):
    return "agmux" in os.path.basename(ad.path)


def setup(ad):
    srv = mb.Server(ad)
    for i in range(GROUP):
        name = "s%d" % i
        if is_agmux(ad):
            rc, _ = srv.cmd(ad.c(srv.sock, "new-session", "-d", "-s", name, "-G", "shell", "exec sleep 100000"))
            if rc != 0:
                raise mb.BenchError("new-session -G exited %d%s" % (rc, srv.errtail()))
            rc, _ = srv.cmd(ad.c(srv.sock, "agent-join-group", "-t", name, "g"))
            if rc != 0:
                raise mb.BenchError("agent-join-group exited %d%s" % (rc, srv.errtail()))
        else:
            srv.new_session(name, "exec sleep 100000")
    return srv


def step(ad, srv, i):
    if is_agmux(ad):
        write = ad.c(srv.sock, "agent-share", "-t", "s0", "g", "k=%d" % i)
        listing = ad.c(srv.sock, "agent-peers", "-t", "s0")
    else:
        write = ad.c(srv.sock, "set-option", "-g", "@x", str(i))
        listing = ad.c(srv.sock, "list-sessions")
    out = {}
    for key, argv in (("durable write: agent-share vs set-option -g @x [ms]", write),
                      ("32 peers: agent-peers vs list-sessions [ms]", listing)):
        rc, dt = srv.cmd(argv, 10)
        if rc != 0:
            raise mb.BenchError("%s exited %d%s" % (argv[3], rc, srv.errtail()))
        out[key] = (dt * 1e3, "ms", "med")
    return out


RESPONDER = """while line=$(%(bin)s agent-inbox --mark-read --wait 600 | tail -1); do
  set -- $line
  %(bin)s agent-reply $2 pong
done
"""


def spawn_setup(ad):
    srv = mb.Server(ad)
    if is_agmux(ad):
        rc, _ = srv.cmd(ad.c(srv.sock, "new-session", "-d", "-s", "root", "-G", "shell", "exec sleep 100000"))
        if rc != 0:
            raise mb.BenchError("new-session -G exited %d%s" % (rc, srv.errtail()))
        for opt, v in (("agent-max-children", "1000"), ("agent-max-concurrent", "1000"),
                       ("agent-history-time", "0")):
            srv.cmd(ad.c(srv.sock, "set", "-s", opt, v))
    else:
        srv.new_session("root", "exec sleep 100000")
    return srv


def spawn_trial(ad, _ctx):
    srv = spawn_setup(ad)
    try:
        if is_agmux(ad):
            argv = ad.c(srv.sock, "agent-spawn", "-t", "root", "true")
        else:
            argv = ad.c(srv.sock, "new-session", "-d", "true")
        t0 = mb.perf()
        for _ in range(100):
            rc, _ = srv.cmd(argv, 10)
            if rc != 0:
                raise mb.BenchError("spawn exited %d%s" % (rc, srv.errtail()))
        return {"100 run-mode spawns vs 100 new-session -d true [s]": (mb.perf() - t0, "s")}
    finally:
        srv.kill()


def message_setup(ad):
    srv = mb.Server(ad)
    if is_agmux(ad):
        script = os.path.join(mb.WORK, "respond.sh")
        with open(script, "w") as f:
            f.write(RESPONDER % {"bin": ad.path})
        rc, _ = srv.cmd(ad.c(srv.sock, "new-session", "-d", "-s", "r", "-G", "shell", "sh " + script))
        if rc != 0:
            raise mb.BenchError("responder exited %d%s" % (rc, srv.errtail()))
    else:
        srv.new_session("r", "exec sleep 100000")
    return srv


def message_step(ad, srv, i):
    if is_agmux(ad):
        argv = ad.c(srv.sock, "agent-send", "-t", "r", "--wait", "10", "ping")
    else:
        argv = ad.c(srv.sock, "display-message", "-p", "#{session_name}")
    rc, dt = srv.cmd(argv, 20)
    if rc != 0:
        raise mb.BenchError("message exited %d%s" % (rc, srv.errtail()))
    return {"message round trip vs display-message -p [ms]": (dt * 1e3, "ms", "med")}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("candidate")
    ap.add_argument("baseline", nargs="?", default="/usr/bin/tmux")
    ap.add_argument("--reps", type=int, default=4)
    ap.add_argument("--calls", type=int, default=50)
    args = ap.parse_args()

    cand, base = sides.prepare(args.candidate, args.baseline)

    mb.log("- agent round trips, %d calls x %d repetitions" % (args.calls, args.reps))
    mb.ab_steps("agents", cand, base, step, args.calls, args.reps, setup, lambda ad, srv: srv.kill())
    mb.log("- 100 spawns, %d pairs" % args.reps)
    mb.ab("agents", cand, base, spawn_trial, args.reps)
    mb.log("- message round trips, %d calls x %d repetitions" % (args.calls, args.reps))
    mb.ab_steps("agents", cand, base, message_step, args.calls, args.reps, message_setup,
                lambda ad, srv: srv.kill())
    mb.report(cand, base)


if __name__ == "__main__":
    main()

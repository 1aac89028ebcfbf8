#!/usr/bin/env python3
"""parallel.py - N panes each catting the same file at once, candidate vs
baseline, side by side, with muxbench's method (alternating pairs, median of
paired ratios). tmux parses every pane on its one thread; agmux parses each
pane on its own, so this is where that shows.

    python3 bench/parallel.py [--quick] [--reps N] [--panes N] [--mib N] CANDIDATE [BASELINE]
"""
import argparse
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import datagen  # noqa: E402
import muxbench as mb  # noqa: E402
import sides  # noqa: E402


def trial_for(path, panes, label):
    def trial(ad, _ctx):
        srv = mb.Server(ad)
        fds = []
        try:
            go, gfd = mb.mkfifo("pgo-" + srv.sock)
            fds.append(gfd)
            done = []
            for i in range(panes):
                p, fd = mb.mkfifo("pdone-%s-%d" % (srv.sock, i))
                fds.append(fd)
                done.append(fd)
                srv.new_session("p%d" % i, "read _ < %s; cat %s; echo done > %s; exec sleep 100000" % (go, path, p))
            # Let every pane reach its `read` so that all start together.
            time.sleep(0.5)
            cpu0 = srv.cpu_s()
            t0 = mb.perf()
            os.write(gfd, b"go\n" * panes)
            for fd in done:
                mb.wait_fd(fd, 30 + panes * 60, "pane output to finish")
            t1 = mb.perf()
            return {label + " [s]": (t1 - t0, "s"),
                    label + " server cpu [s]": (srv.cpu_s() - cpu0, "s")}
        finally:
            for fd in fds:
                os.close(fd)
            srv.kill()
    return trial


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("candidate")
    ap.add_argument("baseline", nargs="?", default="/usr/bin/tmux")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reps", type=int, default=None)
    ap.add_argument("--panes", type=int, default=4)
    ap.add_argument("--mib", type=int, default=None)
    ap.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "muxbench-data"))
    args = ap.parse_args()

    cand, base = sides.prepare(args.candidate, args.baseline)

    mib = args.mib or (10 if args.quick else 50)
    reps = args.reps or (2 if args.quick else 3)
    for kind in ("ascii", "sgr"):
        path = datagen.ensure(args.data_dir, kind, mib)
        one = "1 pane cat %s %dMiB" % (kind, mib)
        many = "%d panes each cat %s %dMiB at once" % (args.panes, kind, mib)
        mb.log("- " + one)
        mb.ab("parallel", cand, base, trial_for(path, 1, one), reps)
        mb.log("- " + many)
        mb.ab("parallel", cand, base, trial_for(path, args.panes, many), reps)
    mb.report(cand, base)


if __name__ == "__main__":
    main()

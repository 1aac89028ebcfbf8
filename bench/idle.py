#!/usr/bin/env python3
"""idle.py - CPU used by an idle attached client and its server over 10 s,
candidate and baseline side by side (alternating trials).

A session runs `sleep`; a client attaches on an 80x24 pty and its output is
drained. Once the first screen is drawn and the output has been quiet for a
second, the CPU time (utime+stime, from /proc) of the server and of the
client is read, again 10 s later, and the difference is reported with the
bytes the client wrote in that time. Both should be zero, or nearly: the
only expected work is the status line's clock.

    python3 bench/idle.py [--reps N] [--secs S] CANDIDATE [BASELINE]
"""
import argparse
import os
import select
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import muxbench as mb  # noqa: E402
import sides  # noqa: E402


def trial(ad, secs):
    srv = mb.Server(ad)
    client = None
    try:
        srv.new_session("idle", "exec sleep 100000")
        client = mb.PtyClient(ad.attach(srv.sock, "idle"), srv.env)
        client.wait_quiet(quiet=1.0)
        cpu_srv, cpu_cli, b0 = srv.cpu_s(), client.cpu_s(), client.nbytes
        t_end = mb.perf() + secs
        while True:
            left = t_end - mb.perf()
            if left <= 0:
                break
            r, _, _ = select.select([client.fd], [], [], left)
            if r:
                client.drain()
        return (srv.cpu_s() - cpu_srv, client.cpu_s() - cpu_cli, client.nbytes - b0)
    finally:
        if client:
            client.close()
        srv.kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("candidate")
    ap.add_argument("baseline", nargs="?", default="/usr/bin/tmux")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--secs", type=float, default=10.0)
    args = ap.parse_args()

    cand, base = sides.prepare(args.candidate, args.baseline)

    results = {cand: [], base: []}
    for i in range(args.reps):
        order = (cand, base) if i % 2 == 0 else (base, cand)
        for ad in order:
            mb.log("- idle %s, trial %d" % (ad.label, i + 1))
            results[ad].append(trial(ad, args.secs))
    print("idle attached client, %.0f s, median of %d trials" % (args.secs, args.reps))
    print("%-24s %14s %14s %14s" % ("", "server cpu ms", "client cpu ms", "client bytes"))
    for ad in (cand, base):
        rows = sorted(results[ad])
        srv = mb.med([r[0] for r in rows]) * 1000
        cli = mb.med([r[1] for r in rows]) * 1000
        out = mb.med([r[2] for r in rows])
        print("%-24s %14.1f %14.1f %14d" % (os.path.basename(ad.path), srv, cli, out))


if __name__ == "__main__":
    main()

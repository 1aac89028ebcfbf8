#!/usr/bin/env python3
"""hosts.py - what sharing a store across hosts costs (issue 14's targets).

    python3 bench/hosts.py [--rounds 100] target/release/agmux

Two set-ups, measured side by side with the order alternating:

- one: a single server with its own SQLite store; the operator sends a
  message with --wait to an agent of that server (examples/reviewer.sh,
  which answers everything it is sent), and shares a context key, then
  reads it back.
- two: two servers standing for hosts (own sockets, agent-host-name alpha
  and beta) sharing one redis-server started here on a private loopback
  port (appendfsync always, as the tests run it); the operator on alpha
  sends to the reviewer on beta with --wait, and shares a key on alpha,
  then polls beta until it reads the new version.

Reported: medians of each, and the median of the paired ratios two/one
(target: at most 2). Times include starting the agmux client process, as
a script's would.
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REVIEWER = os.path.join(os.path.dirname(HERE), "examples", "reviewer.sh")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """One agmux server with a private socket directory and HOME."""

    def __init__(self, binary, root, name, conf=""):
        self.binary = os.path.abspath(binary)
        self.dir = os.path.join(root, name)
        self.home = os.path.join(self.dir, "home")
        os.makedirs(self.home)
        with open(os.path.join(self.home, ".agmux.conf"), "w") as f:
            f.write(conf)
        bindir = os.path.dirname(os.path.abspath(binary))
        self.env = dict(os.environ, AGMUX_TMPDIR=self.dir, HOME=self.home,
                        SHELL="/bin/sh", PATH=bindir + ":" + os.environ["PATH"])
        for k in ("AGMUX", "AGMUX_PANE", "TMUX", "TMUX_PANE", "AGMUX_STORE"):
            self.env.pop(k, None)

    def run(self, *args, check=True):
        r = subprocess.run([self.binary, *args], env=self.env, cwd=self.dir,
                           capture_output=True, text=True)
        if check and r.returncode != 0:
            raise SystemExit(f"{args}: {r.stderr.strip()}")
        return r.stdout

    def stop(self):
        self.run("kill-server", check=False)


def listening(port):
    try:
        socket.create_connection(("127.0.0.1", port)).close()
        return True
    except OSError:
        return False


def wait_for(what, f, secs=20):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        v = f()
        if v:
            return v
        time.sleep(0.01)
    raise SystemExit(f"timed out waiting for {what}")


def version(server, group, key):
    r = server.run("agent-context", "--json", group, key, check=False)
    try:
        return json.loads(r)["version"]
    except (ValueError, KeyError):
        return 0


def send_round_trip(sender, i):
    t = time.perf_counter()
    out = sender.run("agent-send", "-t", "reviewer", "--wait", "30", f"m{i}")
    dt = time.perf_counter() - t
    assert out.strip() == f"reviewed: m{i}", out
    return dt


def share_round_trip(writer, reader, i):
    want = version(reader, "g", "k") + 1
    t = time.perf_counter()
    writer.run("agent-share", "g", f"k=v{i}")
    wait_for("the share to be read", lambda: version(reader, "g", "k") >= want)
    return time.perf_counter() - t


def setup(server, reviewer_host):
    server.run("new-session", "-d", "-s", "base")
    if reviewer_host is server:
        start_reviewer(server)
    server.run("new-session", "-d", "-s", "member", "-G", "shell")
    server.run("agent-join-group", "-t", "member", "g")


def start_reviewer(server):
    # The first round trips (below, before measuring) wait for it to be
    # ready: --wait holds until it answers.
    server.run("new-session", "-d", "-s", "reviewer", "-G", "script", REVIEWER)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("binary")
    a = ap.parse_args()
    if not shutil.which("redis-server"):
        raise SystemExit("needs redis-server (Debian's redis-server package)")
    root = tempfile.mkdtemp(prefix="agmux-hosts-")
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "yes", "--appendfsync", "always", "--dir", root],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    servers = []
    try:
        wait_for("redis", lambda: listening(port))
        url = f"redis://127.0.0.1:{port}/0"
        one = Server(a.binary, root, "one")
        alpha = Server(a.binary, root, "alpha",
                       f"set -g agent-store {url}\nset -g agent-host-name alpha\n")
        beta = Server(a.binary, root, "beta",
                      f"set -g agent-store {url}\nset -g agent-host-name beta\n")
        servers = [one, alpha, beta]
        setup(one, one)
        beta.run("new-session", "-d", "-s", "base")
        start_reviewer(beta)
        setup(alpha, None)
        # Warm both paths up (first connections, the reviewer's first wait).
        for _ in range(3):
            send_round_trip(one, 0)
            send_round_trip(alpha, 0)
        rows = {"send --wait": ([], []), "share, read elsewhere": ([], [])}
        for i in range(a.rounds):
            pairs = [
                ("send --wait", lambda: send_round_trip(one, i),
                 lambda: send_round_trip(alpha, i)),
                ("share, read elsewhere", lambda: share_round_trip(one, one, i),
                 lambda: share_round_trip(alpha, beta, i)),
            ]
            for name, f_one, f_two in pairs:
                if i % 2 == 0:
                    x, y = f_one(), f_two()
                else:
                    y, x = f_two(), f_one()
                rows[name][0].append(x)
                rows[name][1].append(y)
        print(f"{'metric':28} {'one (SQLite)':>14} {'two (Redis)':>14} {'ratio':>7}")
        for name, (xs, ys) in rows.items():
            ratio = statistics.median(y / x for x, y in zip(xs, ys))
            print(f"{name:28} {statistics.median(xs) * 1000:11.2f} ms "
                  f"{statistics.median(ys) * 1000:11.2f} ms {ratio:7.2f}")
    finally:
        for s in servers:
            s.stop()
        redis.terminate()
        redis.wait()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

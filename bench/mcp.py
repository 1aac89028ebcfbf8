#!/usr/bin/env python3
"""mcp.py - the agents' own door against the command line, side by side.

  tool call   : a tools/call of sessions_list over one `agmux mcp`
                connection (raw JSON-RPC on its stdin, no SDK in the way) vs
                the same command, `agmux list-agents --json`, run as a
                process; alternating call by call, median of paired ratios
  event       : an `agmux subscribe --json` process and `agmux agent-share`
                run as a process: how long after the command returns (its
                change is on disk by then) the subscriber has the event; and
                how long after the command started

    python3 bench/mcp.py [--calls N] AGMUX_BIN
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def run(env, *args):
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class Mcp:
    """One `agmux mcp` process spoken to in raw JSON-RPC."""

    def __init__(self, binary, env):
        self.p = subprocess.Popen([binary, "mcp"], env=env, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.n = 0
        self.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                    "clientInfo": {"name": "bench", "version": "1"}})
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def send(self, msg):
        self.p.stdin.write(json.dumps(msg) + "\n")
        self.p.stdin.flush()

    def request(self, method, params):
        self.n += 1
        self.send({"jsonrpc": "2.0", "id": self.n, "method": method, "params": params})
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError("agmux mcp exited")
            msg = json.loads(line)
            if msg.get("id") == self.n:
                if "error" in msg or msg["result"].get("isError"):
                    raise RuntimeError("tool failed: %s" % line)
                return msg["result"]

    def close(self):
        self.p.stdin.close()
        self.p.wait(10)


def ms(samples):
    return statistics.median(samples) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("binary")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    tmp = tempfile.mkdtemp(prefix="agmux-bench-mcp-")
    env = dict(os.environ, AGMUX_TMPDIR=tmp, HOME=tmp)
    for k in ("AGMUX", "AGMUX_PANE", "TMUX", "TMUX_PANE"):
        env.pop(k, None)
    try:
        run(env, binary, "new-session", "-d", "-s", "a", "-G", "shell", "exec sleep 100000")
        run(env, binary, "agent-join-group", "-t", "a", "g")
        mcp = Mcp(binary, env)
        tool, cli, ratio = [], [], []
        for i in range(a.calls):
            pair = []
            for side in ("mcp", "cli") if i % 2 == 0 else ("cli", "mcp"):
                t0 = time.perf_counter()
                if side == "mcp":
                    mcp.request("tools/call", {"name": "sessions_list", "arguments": {}})
                else:
                    run(env, binary, "list-agents", "--json")
                dt = time.perf_counter() - t0
                (tool if side == "mcp" else cli).append(dt)
                pair.append((side, dt))
            d = dict(pair)
            ratio.append(d["mcp"] / d["cli"])
        mcp.close()
        print("tool call: sessions_list over agmux mcp %.3f ms, agmux list-agents --json %.3f ms,"
              " ratio %.2f (%.2f..%.2f)" % (ms(tool), ms(cli), statistics.median(ratio),
                                            min(ratio), max(ratio)))

        sub = subprocess.Popen([binary, "subscribe", "--json", "--events", "share"], env=env,
                               stdout=subprocess.PIPE, text=True)
        arrivals = {}
        ready = threading.Event()

        def reader():
            for line in sub.stdout:
                now = time.perf_counter()
                ev = json.loads(line)
                arrivals[(ev["key"], ev["version"])] = now
                ready.set()

        threading.Thread(target=reader, daemon=True).start()
        # The subscription is live once it sees a change made after it.
        while not ready.is_set():
            run(env, binary, "agent-share", "-t", "a", "g", "warm=1")
            ready.wait(0.05)
        after_reply, after_start = [], []
        for i in range(a.calls):
            t0 = time.perf_counter()
            run(env, binary, "agent-share", "-t", "a", "g", "k=%d" % i)
            t1 = time.perf_counter()
            deadline = time.perf_counter() + 5
            while ("k", i + 1) not in arrivals and time.perf_counter() < deadline:
                time.sleep(0.0001)
            t2 = arrivals.get(("k", i + 1))
            if t2 is None:
                raise RuntimeError("event %d never came" % (i + 1))
            after_reply.append(t2 - t1)
            after_start.append(t2 - t0)
        sub.kill()
        print("event: at the subscriber %.3f ms after the command returned (median; negative:"
              " before), %.3f ms after it started" % (ms(after_reply), ms(after_start)))
    finally:
        subprocess.run([binary, "kill-server"], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

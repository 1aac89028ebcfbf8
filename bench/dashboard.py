#!/usr/bin/env python3
"""dashboard.py - what the dashboard costs (issue 15's targets).

    python3 bench/dashboard.py [--agents 20] [--rate 1000000] [--secs 10] target/release/agmux

1. Load: N agents each print RATE bytes a second; CPU of the server over
   SECS seconds without a dashboard, then with `agmux web` and one browser
   connection focused on one agent and subscribed to everything. Reported:
   the web process's CPU plus the extra server CPU, as a share of one core
   (target: at most 10%).
2. Latency: 200 agent-share calls, one at a time, while the agents print;
   from each event's own time (stamped by the server as it happens) to its
   ACTIVITY message arriving at the browser connection, p50 and p90
   (target: p50 at most 50 ms).
3. Idle: no agent prints; CPU of the web process and the server over SECS
   seconds with a browser connected (target: none).

There is no tmux counterpart: these targets are absolute. The browser is a
minimal WebSocket client written here (no dependency), reading every
message as a browser would.
"""
import argparse
import base64
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime

FLOOD = r'''
import sys, time
rate = int(sys.argv[1])
line = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-+ .:;!?\n"
chunk = line * max(1, rate // 20 // len(line))
out = sys.stdout.buffer
next_at = time.monotonic()
while True:
    out.write(chunk)
    out.flush()
    next_at += 0.05
    time.sleep(max(0.0, next_at - time.monotonic()))
'''

TICK = os.sysconf("SC_CLK_TCK")


def cpu(pid):
    """CPU seconds (user + system) of a process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


class Browser:
    """A WebSocket client of `agmux web`, as small as the protocol allows."""

    def __init__(self, port, token):
        self.sock = socket.create_connection(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        req = (f"GET /ws?token={token} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
               f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               f"Sec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:{port}\r\n\r\n")
        self.sock.sendall(req.encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self.sock.recv(4096)
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            sys.exit(f"web refused the socket: {head[:80]!r}")

    def send(self, kind, agent=None, payload=None):
        data = json.dumps({"protocol": "agmux-dashboard", "version": 2, "type": kind,
                           "agent_id": agent, "payload": payload or {}}).encode()
        mask = os.urandom(4)
        n = len(data)
        head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + n.to_bytes(2, "big"))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _need(self, n):
        while len(self.buf) < n:
            more = self.sock.recv(65536)
            if not more:
                raise EOFError
            self.buf += more

    def recv(self, timeout=None):
        """The next text message as JSON, or None on timeout."""
        self.sock.settimeout(timeout)
        try:
            while True:
                self._need(2)
                op, n = self.buf[0] & 0x0F, self.buf[1] & 0x7F
                at = 2
                if n == 126:
                    self._need(4)
                    n, at = int.from_bytes(self.buf[2:4], "big"), 4
                elif n == 127:
                    self._need(10)
                    n, at = int.from_bytes(self.buf[2:10], "big"), 10
                self._need(at + n)
                data, self.buf = self.buf[at:at + n], self.buf[at + n:]
                if op == 1:
                    return json.loads(data)
        except socket.timeout:
            return None

    def drain(self, secs):
        """Reads everything for secs seconds; the count of messages."""
        end = time.monotonic() + secs
        count = 0
        while (left := end - time.monotonic()) > 0:
            if self.recv(left) is not None:
                count += 1
        return count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("agmux")
    ap.add_argument("--agents", type=int, default=20)
    ap.add_argument("--rate", type=int, default=1_000_000)
    ap.add_argument("--secs", type=float, default=10)
    ap.add_argument("--shares", type=int, default=200)
    a = ap.parse_args()
    binary = os.path.abspath(a.agmux)
    work = tempfile.mkdtemp(prefix="dashbench-")
    env = dict(os.environ, AGMUX_TMPDIR=work, HOME=work, SHELL="/bin/sh", TERM="xterm-256color")
    for k in ("AGMUX", "AGMUX_PANE", "TMUX", "TMUX_PANE"):
        env.pop(k, None)
    flood = os.path.join(work, "flood.py")
    with open(flood, "w") as f:
        f.write(FLOOD)

    def agmux(*args):
        return subprocess.run([binary, *args], env=env, check=True, capture_output=True, text=True).stdout

    agmux("new-session", "-d", "-s", "idle", "-G", "shell")
    agmux("agent-join-group", "-t", "idle", "bench")
    server = int(agmux("display", "-p", "#{pid}").strip())
    web = subprocess.Popen([binary, "web", "--listen", "127.0.0.1:0"], env=env,
                           stdout=subprocess.PIPE, text=True)
    url = web.stdout.readline().strip()
    port = int(url.split(":")[2].split("/")[0])
    token = url.split("token=")[1]
    try:
        # 3. Idle first: nothing prints.
        b = Browser(port, token)
        b.send("SUBSCRIBE", None, {"agents": [], "global": True})
        b.send("FOCUS_AGENT", "agent:idle", {"agent_id": "agent:idle"})
        b.drain(1)
        s0, w0 = cpu(server), cpu(web.pid)
        b.drain(a.secs)
        idle_server, idle_web = cpu(server) - s0, cpu(web.pid) - w0

        # 1. Load.
        for i in range(a.agents):
            agmux("new-session", "-d", "-s", f"a{i}", "-x", "80", "-y", "24", "-G", "shell",
                  f"exec python3 {flood} {a.rate}")
        b.drain(1)
        b.sock.close()
        time.sleep(1)  # the flood settles: what is measured is its steady state
        s0 = cpu(server)
        time.sleep(a.secs)
        base = cpu(server) - s0
        b = Browser(port, token)
        b.send("SUBSCRIBE", None, {"agents": [], "global": True})
        b.send("FOCUS_AGENT", "agent:a0", {"agent_id": "agent:a0"})
        b.drain(1)
        s0, w0 = cpu(server), cpu(web.pid)
        msgs = b.drain(a.secs)
        loaded_server, loaded_web = cpu(server) - s0, cpu(web.pid) - w0

        # 2. Latency, under the same load.
        lat = []
        for i in range(a.shares):
            agmux("agent-share", "-t", "idle", "bench", f"k={i}")
            while True:
                m = b.recv(5)
                if m is None:
                    sys.exit("no ACTIVITY for a share within 5 s")
                p = m.get("payload") or {}
                if m["type"] == "ACTIVITY" and p.get("type") == "share" and p.get("version") == i + 1:
                    t = datetime.fromisoformat(p["time"].replace("Z", "+00:00")).timestamp()
                    lat.append((time.time() - t) * 1000)
                    break
        lat.sort()
        extra = (loaded_server - base + loaded_web) / a.secs
        print(f"agents {a.agents} x {a.rate / 1e6:.1f} MB/s, {a.secs:.0f} s windows")
        print(f"server CPU without dashboard     {base / a.secs * 100:6.1f}% of a core")
        print(f"server CPU with dashboard        {loaded_server / a.secs * 100:6.1f}%")
        print(f"web process CPU                  {loaded_web / a.secs * 100:6.1f}%  ({msgs} messages to the browser)")
        print(f"dashboard's cost (web + extra)   {extra * 100:6.1f}%   target <= 10%")
        print(f"event to browser p50 / p90       {statistics.median(lat):6.1f} / {lat[int(len(lat) * 0.9)]:.1f} ms   target p50 <= 50 ms")
        print(f"idle: web / server CPU           {idle_web / a.secs * 100:6.2f}% / {idle_server / a.secs * 100:.2f}%   target 0")
    finally:
        web.kill()
        subprocess.run([binary, "kill-server"], env=env, capture_output=True)


if __name__ == "__main__":
    main()

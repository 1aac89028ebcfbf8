"""Drives a tmux server through libtmux's Server/Session/Window/Pane API
and prints what it saw as JSON, for tests/libtmux.rs to compare between
agmux-as-tmux and tmux itself. argv[1]: the tmux binary."""

import json
import sys
import time

import libtmux
from libtmux.constants import PaneDirection

tmux_bin = sys.argv[1]
server = libtmux.Server(socket_name="libtmux-test", tmux_bin=tmux_bin)
seen = {}


def waited(pane, text, secs=20):
    """The pane's lines once `text` shows on a line of its own."""
    deadline = time.time() + secs
    while time.time() < deadline:
        lines = pane.capture_pane()
        if text in lines:
            return lines
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {text!r}: {pane.capture_pane()!r}")


session = server.new_session(session_name="lt", attach=False, x=120, y=40,
                             window_name="main")
session.set_option("automatic-rename", "off", global_=True)
seen["session"] = [session.session_id, session.session_name]
seen["sessions"] = [s.session_name for s in server.sessions]
seen["has_session"] = [server.has_session("lt"), server.has_session("nope")]

window = session.new_window(window_name="two", attach=False)
seen["windows"] = [(w.window_index, w.window_name) for w in session.windows]

pane = window.split(attach=False)
right = window.split(direction=PaneDirection.Right, attach=False)
seen["panes"] = [p.pane_id for p in window.panes]
window.select_layout("tiled")
seen["tiled"] = window.window_layout
window.select_layout("main-vertical")
seen["main_vertical"] = window.window_layout
pane.resize(height=10)
window.refresh()
seen["resized"] = window.window_layout
seen["sizes"] = [(p.pane_id, p.pane_width, p.pane_height) for p in window.panes]

pane.send_keys("printf 'hello %s\\n' libtmux", enter=True)
seen["captured"] = "hello libtmux" in waited(pane, "hello libtmux")

session.set_option("status", "off")
seen["status"] = session.show_option("status")
window.set_option("automatic-rename", "off")
seen["window_options"] = window.show_options()
pane.set_option("remain-on-exit", "on")
seen["pane_option"] = pane.show_option("remain-on-exit")

session.set_hook("session-renamed", "set -g @renamed yes")
seen["hook"] = session.show_hook("session-renamed")
session.rename_session("renamed")
seen["renamed_to"] = session.session_name
seen["hook_ran"] = server.cmd("show-options", "-gv", "@renamed").stdout

session.set_environment("FOO", "bar")
seen["environment"] = session.show_environment().get("FOO")
window.rename_window("three")
seen["window_name"] = window.window_name

right.kill()
window.refresh()
seen["after_kill"] = [p.pane_id for p in window.panes]
window.kill()
seen["windows_after_kill"] = [w.window_name for w in session.windows]
session.kill()
# The server exits once its last session is gone, in its own time (tmux
# answers a moment longer): poll, within a deadline.
deadline = time.monotonic() + 10
while server.is_alive() and time.monotonic() < deadline:
    time.sleep(0.02)
seen["alive"] = server.is_alive()
print(json.dumps(seen, sort_keys=True))

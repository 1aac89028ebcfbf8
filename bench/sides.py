"""sides.py - what the project's own benchmarks share: the two binaries as
muxbench adapters, and the private, config-free environment muxbench's
own main() sets up (HOME, TERM, socket directories), so that they measure
the way the team's harness does."""
import atexit
import os
import tempfile

import muxbench as mb


def prepare(candidate, baseline):
    """Returns (cand, base) adapters, with muxbench's environment set up."""
    cand = mb.make_adapter(candidate, "cand", "auto")
    base = mb.make_adapter(baseline, "base", "auto")
    mb.ADAPTERS[:] = [cand, base]
    home = os.path.join(tempfile.gettempdir(), "muxbench-home")
    os.makedirs(home, exist_ok=True)
    for k in list(mb.ENV):
        if k.startswith(("TMUX", "ZELLIJ", "AGMUX")) or k in ("LC_ALL", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR"):
            del mb.ENV[k]
    mb.ENV.update(HOME=home, SHELL="/bin/sh", TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    mb.WORK = tempfile.mkdtemp(prefix="muxbench-")
    mb.ENV["TMUX_TMPDIR"] = os.path.join(mb.WORK, "sock")
    mb.ENV["AGMUX_TMPDIR"] = os.path.join(mb.WORK, "sock")
    os.makedirs(mb.ENV["TMUX_TMPDIR"], mode=0o700)
    atexit.register(mb.cleanup_all)
    return cand, base

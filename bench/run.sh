#!/usr/bin/env bash
# Benchmarks agmux against tmux, side by side, on this machine.
#
#   bench/run.sh [--quick] [AGMUX_BIN [TMUX_BIN]]
#
# AGMUX_BIN defaults to target/release/agmux (build it first with
# `cargo build --release`), TMUX_BIN to /usr/bin/tmux. Runs muxbench.py (the
# team's harness: throughput, latency, memory, echo, create), parallel.py
# (N panes catting at once), idle.py (an idle attached client's CPU),
# echo.py (send-keys echoed to an attached client) and agents.py (the agent
# commands' round trips).
# Read bench/README.md for the method.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
quick=()
if [ "${1:-}" = "--quick" ]; then
    quick=(--quick)
    shift
fi
cand="${1:-$here/../target/release/agmux}"
base="${2:-/usr/bin/tmux}"
python3 "$here/muxbench.py" "${quick[@]}" "$cand" "$base"
python3 "$here/parallel.py" "${quick[@]}" "$cand" "$base"
python3 "$here/idle.py" "$cand" "$base"
python3 "$here/echo.py" "$cand" "$base"
python3 "$here/agents.py" "$cand" "$base"
python3 "$here/mcp.py" "$cand"

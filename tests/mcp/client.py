"""Drives `agmux mcp` with the official MCP Python SDK, for tests/mcp.rs.

Usage: client.py STEPS_JSON. Each step is one of
  {"list": true}                      tools/list, kept in "tools"
  {"call": NAME, "args": {...}}       a tool call, kept in "calls"
  {"logs": N, "timeout": S}           wait until N notifications came
  {"wait_file": PATH, "timeout": S}   wait until a file exists
  {"touch": PATH}                     create a file (to say how far it got)
Prints one JSON object: tools, calls (text, error), logs (notification
data). The server is $AGMUX_BIN mcp, with this process's environment.
"""

import json
import os
import sys

import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


async def main() -> None:
    steps = json.loads(sys.argv[1])
    logs: list = []

    async def on_log(params) -> None:
        logs.append(params.data)

    server = StdioServerParameters(
        command=os.environ["AGMUX_BIN"], args=["mcp"], env=dict(os.environ)
    )
    out: dict = {"calls": [], "logs": logs}
    async with stdio_client(server) as (read, write):
        async with ClientSession(
            read, write, logging_callback=on_log, read_timeout_seconds=60
        ) as session:
            await session.initialize()
            for step in steps:
                if "list" in step:
                    tools = (await session.list_tools()).tools
                    out["tools"] = [
                        {
                            "name": t.name,
                            "description": t.description,
                            "schema": t.input_schema,
                        }
                        for t in tools
                    ]
                elif "call" in step:
                    try:
                        r = await session.call_tool(step["call"], step.get("args", {}))
                        body = r.content[0].text if r.content else ""
                        out["calls"].append({"error": bool(r.is_error), "text": body})
                    except Exception as e:  # a JSON-RPC error
                        out["calls"].append({"error": True, "rpc": str(e)})
                elif "logs" in step:
                    with anyio.move_on_after(step.get("timeout", 30)):
                        while len(logs) < step["logs"]:
                            await anyio.sleep(0.02)
                elif "touch" in step:
                    open(step["touch"], "w").close()
                elif "wait_file" in step:
                    with anyio.move_on_after(step.get("timeout", 30)):
                        while not os.path.exists(step["wait_file"]):
                            await anyio.sleep(0.02)
    print(json.dumps(out), flush=True)


anyio.run(main)

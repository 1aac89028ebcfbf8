#!/bin/sh
# A small agent, for the README's tour: it answers every message it is
# sent. Inside its pane agmux commands act as this agent, without -t.
# Exit status 2 from `agent-inbox --wait` only means nothing came yet;
# anything else (the server gone) ends the agent.
while msgs=$(agmux agent-inbox --unread --wait 3600 --mark-read) || [ $? -eq 2 ]; do
    printf '%s\n' "$msgs" | while read -r id day time thread kind from text; do
        [ "$kind" = message ] && agmux agent-reply "$thread" "reviewed: $text"
    done
done

// The agmux dashboard: a view of the server's agents over one WebSocket.
// It keeps what the server sent (agents, groups, events, the focused
// screen) and draws it; every action is a message back to `agmux web`.

const PROTOCOL = "agmux-dashboard";
const VERSION = 2;
const KEEP_EVENTS = 1000;
const DOTS = { active: "●", running: "●", waiting: "◐", paused: "◐", idle: "◐", completed: "○", stopped: "○", failed: "✗", lost: "⊘" };
const BADGES = ["#6cb6ff", "#57c76a", "#e3b341", "#f0625f", "#c678dd", "#56b6c2", "#d19a66", "#98c379", "#e06c75", "#61afef"];

const state = {
  agents: new Map(),      // key -> record
  order: [],              // keys by registration
  groups: new Map(),      // name -> group, with .context {key: entry}
  events: [],             // newest first
  kinds: new Set(),
  lastId: null,
  focus: null,
  screen: null,
  inbox: [],
  transcript: null,
  writers: new Map(),     // "group\0key" -> Set of writers
  readers: new Map(),     // "group\0key" -> Set of readers
};

const $ = (id) => document.getElementById(id);
let socket = null;

function send(type, agent, payload) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({ protocol: PROTOCOL, version: VERSION, type, agent_id: agent ?? null, payload: payload ?? {} }));
  }
}

function connect() {
  const token = new URLSearchParams(location.search).get("token");
  const params = new URLSearchParams();
  if (token) params.set("token", token);
  if (state.lastId !== null) params.set("since", String(state.lastId));
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws?${params}`;
  socket = new WebSocket(url);
  socket.onopen = () => {
    $("conn").textContent = "live";
    $("conn").classList.add("up");
    send("SUBSCRIBE", null, { agents: [], global: true });
    if (state.focus) send("FOCUS_AGENT", state.focus, { agent_id: state.focus });
  };
  socket.onmessage = (m) => {
    let msg;
    try { msg = JSON.parse(m.data); } catch { return; }
    if (msg.protocol !== PROTOCOL) return;
    receive(msg);
  };
  socket.onclose = () => {
    $("conn").textContent = "reconnecting…";
    $("conn").classList.remove("up");
    setTimeout(connect, 1000);
  };
}

function receive(msg) {
  const p = msg.payload;
  switch (msg.type) {
    case "AGENT_LIST":
      state.agents.clear();
      state.order = [];
      for (const a of p.agents) addAgent(a);
      state.groups.clear();
      for (const g of p.groups) state.groups.set(g.name, g);
      if (state.lastId === null) state.lastId = p.last_event_id;
      drawAll();
      break;
    case "AGENT_REGISTERED":
    case "AGENT_STATUS":
      addAgent(p);
      drawAgents();
      break;
    case "AGENT_UNREGISTERED":
      state.agents.delete(msg.agent_id);
      state.order = state.order.filter((k) => k !== msg.agent_id);
      drawAgents();
      break;
    case "ACTIVITY":
      activity(p);
      break;
    case "CONTEXT":
      context(p);
      break;
    case "SCREEN":
    case "ROWS":
      if (msg.agent_id === state.focus) screen(p);
      break;
    case "TRANSCRIPT":
      if (msg.agent_id === state.focus) { state.transcript = p; drawTranscript(); }
      break;
    case "INBOX":
      if (msg.agent_id === state.focus) { state.inbox = p.messages; drawInbox(); }
      break;
    case "DONE":
      showError(p.what === "GROUP_SAVE" ? `saved ${p.group} to ${p.file}` : `restored ${p.file}`);
      break;
    case "ERROR":
      showError(p.message);
      break;
  }
}

function addAgent(a) {
  if (!state.agents.has(a.key)) state.order.push(a.key);
  state.agents.set(a.key, a);
}

function badge(key) {
  const i = state.order.indexOf(key);
  return i < 0 ? "#8a93a3" : BADGES[i % BADGES.length];
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "style") e.style.cssText = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function name(key) { return key.replace(/^agent:/, ""); }
function dot(status) { return el("span", { class: `dot s-${status}`, title: status }, DOTS[status] ?? "·"); }

function focus(key) {
  if (!key || !state.agents.has(key)) return;
  state.focus = key;
  state.screen = null;
  state.inbox = [];
  state.transcript = null;
  $("focus-name").textContent = name(key);
  send("FOCUS_AGENT", key, { agent_id: key });
  drawAgents();
  drawScreen();
  drawInbox();
  drawTranscript();
  drawEvents();
}

function drawAll() { drawAgents(); drawEvents(); }

function drawAgents() {
  drawTabs();
  drawCards();
  drawTree();
  drawGroups();
  drawPast();
  drawWhoFilter();
}

const ENDED = new Set(["completed", "stopped", "failed", "lost"]);

// Agents that ended: their result, and their transcript a click away.
function drawPast() {
  $("past").replaceChildren(...state.order.filter((k) => ENDED.has(state.agents.get(k).status)).map((k) => {
    const a = state.agents.get(k);
    return el("li", { "data-agent": k, tabindex: "0", onclick: () => focus(k), onkeydown: (e) => { if (e.key === "Enter") focus(k); } },
      dot(a.status), " ", el("span", { class: "badge", style: `--badge: ${badge(k)}` }, name(k)),
      a.result ? `→ ${a.result}` : a.reason ? `(${a.reason})` : "");
  }));
}

function drawTranscript() {
  const t = state.transcript;
  $("transcript").textContent = t ? t.output ?? "" : "";
  const lines = t ? [...t.messages.map((m) => ({ time: m.time, text: `${name(m.from ?? "")} → ${name(m.to ?? "")}: ${m.body ?? ""}` })),
    ...t.events.map((e) => ({ time: e.time, text: `${e.kind} ${e.detail ?? ""}` }))] : [];
  lines.sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : 0));
  $("history").replaceChildren(...lines.map((l) => el("li", {}, el("time", {}, fmtTime(l.time)), " ", l.text)));
}

function drawTabs() {
  const tabs = $("tabs");
  tabs.replaceChildren(...state.order.map((k, i) => {
    const a = state.agents.get(k);
    return el("button", {
      role: "tab", "data-agent": k, "aria-selected": String(k === state.focus),
      title: `${name(k)} (${a.status})${i < 9 ? ` — Alt+${i + 1}` : ""}`,
      onclick: () => focus(k),
    }, dot(a.status), " ", name(k));
  }));
}

function fmtTime(t) { return t ? new Date(t).toLocaleTimeString() : ""; }

function drawCards() {
  $("cards").replaceChildren(...state.order.map((k) => {
    const a = state.agents.get(k);
    const rows = [
      ["type", a.type], ["objective", a.objective], ["role", a.role], ["status", a.status + (a.reason ? ` (${a.reason})` : "")],
      ["parent", a.parent ? name(a.parent) : ""], ["group", a.group ? a.group + (a.coordinator ? " ★ coordinator" : "") : ""],
      ["messages", String(a.interactions ?? 0)], ["tokens", a.tokens ? String(a.tokens) : ""],
      ["cost", a.cost ? `$${Number(a.cost).toFixed(4)}` : ""], ["last activity", fmtTime(a.activity)],
      ["result", a.result ?? ""],
    ].filter(([, v]) => v);
    return el("article", {
      class: "card", "data-agent": k, style: `--badge: ${badge(k)}`, "aria-current": String(k === state.focus),
      tabindex: "0", onclick: () => focus(k), onkeydown: (e) => { if (e.key === "Enter") focus(k); },
    }, el("div", { class: "name" }, dot(a.status), " ", name(k)),
      el("dl", {}, ...rows.flatMap(([t, v]) => [el("dt", {}, t), el("dd", {}, v)])));
  }));
}

function drawTree() {
  const children = new Map();
  for (const k of state.order) {
    const p = state.agents.get(k).parent;
    const at = p && state.agents.has(p) ? p : "";
    if (!children.has(at)) children.set(at, []);
    children.get(at).push(k);
  }
  const branch = (at) => (children.get(at) ?? []).map((k) => el("li", {},
    el("span", { class: "badge", style: `--badge: ${badge(k)}` }, name(k)), dot(state.agents.get(k).status),
    children.has(k) ? el("ul", {}, ...branch(k)) : null));
  $("tree").replaceChildren(...branch(""));
}

function drawGroups() {
  $("groups").replaceChildren(...[...state.groups.values()].map((g) => {
    const ctx = Object.entries(g.context ?? {});
    return el("div", { class: "group", "data-group": g.name },
      el("div", {}, el("strong", {}, g.name), ` — coordinator ${g.coordinator ? name(g.coordinator) : "none"} `,
        el("button", { type: "button", class: "save", title: `agent-group-save ${g.name} ${g.name}.json`,
          onclick: () => send("GROUP_SAVE", null, { group: g.name }) }, "save")),
      el("table", {}, el("tr", {}, el("th", {}, "key"), el("th", {}, "value"), el("th", {}, "v"), el("th", {}, "writer")),
        ...ctx.map(([key, e]) => el("tr", { "data-key": key },
          el("td", {}, key), el("td", {}, typeof e.value === "string" ? e.value : JSON.stringify(e.value)),
          el("td", {}, String(e.version)), el("td", {}, name(e.writer ?? ""))))),
      edges(g.name));
  }));
}

// Who wrote each key of a group's context and who read it, as the events
// told: writer → key → reader, the artifact edges between agents.
function edges(group) {
  const keys = new Set([...state.writers.keys(), ...state.readers.keys()].filter((gk) => gk.split("\u0000")[0] === group));
  const items = [...keys].sort().map((gk) => {
    const key = gk.split("\u0000")[1];
    const who = (m) => [...(m.get(gk) ?? [])].map(name).join(", ") || "?";
    return el("li", { "data-edge": key }, `${who(state.writers)} → ${key} → ${state.readers.has(gk) ? who(state.readers) : "(unread)"}`);
  });
  return items.length ? el("ul", { class: "edges" }, ...items) : null;
}

function drawWhoFilter() {
  const who = $("who");
  // Rebuilt only when the agents change, so a choice being made stays.
  const keys = ["all", "focused", ...state.order];
  if ([...who.options].map((o) => o.value).join("\n") === keys.join("\n")) return;
  const chosen = who.value;
  const opts = [el("option", { value: "all" }, "All agents"), el("option", { value: "focused" }, "Focused agent"),
    ...state.order.map((k) => el("option", { value: k }, name(k)))];
  who.replaceChildren(...opts);
  who.value = [...who.options].some((o) => o.value === chosen) ? chosen : "all";
}

function context(p) {
  let g = state.groups.get(p.group);
  if (!g) { g = { name: p.group, coordinator: null, context: {} }; state.groups.set(p.group, g); }
  g.context ??= {};
  if (p.deleted) delete g.context[p.key];
  else g.context[p.key] = p.entry ?? { version: p.version, writer: p.writer, value: null };
  drawGroups();
}

function activity(e) {
  if (typeof e.id === "number") state.lastId = Math.max(state.lastId ?? 0, e.id);
  const edge = (map, who) => {
    const k = `${e.group}\u0000${e.key}`;
    if (!map.has(k)) map.set(k, new Set());
    map.get(k).add(who);
    drawGroups();
  };
  if (e.type === "share" && e.writer) edge(state.writers, e.writer);
  if (e.type === "read-context" && e.agent) edge(state.readers, e.agent);
  state.events.unshift(e);
  if (state.events.length > KEEP_EVENTS) state.events.length = KEEP_EVENTS;
  if (!state.kinds.has(e.type)) {
    state.kinds.add(e.type);
    $("kind").append(el("option", { value: e.type }, e.type));
  }
  const li = eventItem(e);
  if (li && shown(e)) $("events").prepend(li);
  const list = $("events");
  while (list.childElementCount > KEEP_EVENTS) list.lastElementChild.remove();
}

function shown(e) {
  const who = $("who").value;
  const kind = $("kind").value;
  if (kind && e.type !== kind) return false;
  if (who === "all") return true;
  const target = who === "focused" ? state.focus : who;
  return !!target && (e.agent === target || e.actor === target);
}

function eventItem(e) {
  const agent = e.agent || "";
  return el("li", { "data-agent": agent, "data-id": String(e.id ?? ""), onclick: () => focus(agent) },
    el("time", { datetime: e.time }, fmtTime(e.time)),
    agent ? el("span", { class: "badge", style: `--badge: ${badge(agent)}` }, name(agent)) : null,
    el("span", { class: "kind" }, e.type),
    e.detail ?? "");
}

function drawEvents() {
  $("events").replaceChildren(...state.events.filter(shown).map(eventItem));
}

// The focused terminal.
const PALETTE = (() => {
  const base = ["#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
    "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff"];
  const p = [...base];
  const v = [0, 95, 135, 175, 215, 255];
  for (let r = 0; r < 6; r++) for (let g = 0; g < 6; g++) for (let b = 0; b < 6; b++) p.push(`rgb(${v[r]},${v[g]},${v[b]})`);
  for (let i = 0; i < 24; i++) { const c = 8 + i * 10; p.push(`rgb(${c},${c},${c})`); }
  return p;
})();

function colour(c) {
  if (c < 0) return null;
  if (c >= 0x1000000) { const n = c - 0x1000000; return `rgb(${n >> 16},${(n >> 8) & 255},${n & 255})`; }
  return PALETTE[c] ?? null;
}

function screen(p) {
  if (p.closed) { if (state.screen) state.screen.closed = true; drawScreen(); return; }
  if (p.full || !state.screen) state.screen = { lines: new Array(p.rows).fill([]) };
  const s = state.screen;
  Object.assign(s, { cols: p.cols, rows: p.rows, cursor: p.cursor, cursor_visible: p.cursor_visible,
    app_cursor: p.app_cursor, bracketed_paste: p.bracketed_paste, pane: p.pane, closed: false });
  s.lines.length = p.rows;
  for (const l of p.lines) s.lines[l.y] = l.runs;
  drawScreen(p.full ? null : p.lines.map((l) => l.y));
}

function rowElement(runs, y, s) {
  const row = el("div", { class: "row", "data-y": String(y) });
  let x = 0;
  const [cx, cy] = s.cursor ?? [-1, -1];
  for (const r of runs ?? []) {
    const [fg0, bg0, attrs] = r.s;
    let fg = colour(fg0), bg = colour(bg0);
    if (attrs & 16) [fg, bg] = [bg ?? "#000", fg ?? "#ddd"];
    const css = [fg && `color:${fg}`, bg && `background:${bg}`, attrs & 1 && "font-weight:bold", attrs & 2 && "opacity:.7",
      attrs & 4 && "font-style:italic", attrs & 8 && "text-decoration:underline", attrs & 128 && "text-decoration:line-through",
      attrs & 64 && "visibility:hidden"].filter(Boolean).join(";");
    const chars = [...r.t];
    if (y === cy && s.cursor_visible && cx >= x && cx < x + chars.length) {
      const at = cx - x;
      if (at > 0) row.append(el("span", { style: css }, chars.slice(0, at).join("")));
      row.append(el("span", { class: "cursor", style: css }, chars[at]));
      if (at + 1 < chars.length) row.append(el("span", { style: css }, chars.slice(at + 1).join("")));
    } else {
      row.append(css ? el("span", { style: css }, r.t) : r.t);
    }
    x += chars.length;
  }
  if (y === cy && s.cursor_visible && cx >= x) {
    row.append(" ".repeat(cx - x), el("span", { class: "cursor" }, " "));
  }
  return row;
}

let lastCursorRow = -1;
function drawScreen(changed) {
  const term = $("term");
  const s = state.screen;
  term.classList.toggle("closed", !!(s && s.closed));
  if (!s) { term.replaceChildren(); lastCursorRow = -1; return; }
  term.style.width = `calc(${s.cols}ch + 8px + 1em)`;
  const cy = s.cursor ? s.cursor[1] : -1;
  if (!changed || term.childElementCount !== s.rows) {
    term.replaceChildren(...s.lines.map((runs, y) => rowElement(runs, y, s)));
  } else {
    const rows = new Set(changed);
    if (lastCursorRow >= 0) rows.add(lastCursorRow);
    if (cy >= 0) rows.add(cy);
    for (const y of rows) if (y < s.rows) term.children[y].replaceWith(rowElement(s.lines[y], y, s));
  }
  lastCursorRow = cy;
}

function drawInbox() {
  $("inbox").replaceChildren(...state.inbox.map((m) => el("li", {},
    el("strong", {}, name(m.from ?? "")), m.thread ? ` [thread ${m.thread}]` : "", `: ${m.body ?? m.text ?? JSON.stringify(m)}`)));
}

// Keys as a terminal sends them, so the pane gets what an attached client
// would give it.
const CSI = "\x1b[";
function encodeKey(e, s) {
  const app = s && s.app_cursor;
  const arrows = { ArrowUp: "A", ArrowDown: "B", ArrowRight: "C", ArrowLeft: "D", Home: "H", End: "F" };
  if (arrows[e.key]) return (app ? "\x1bO" : CSI) + arrows[e.key];
  const tilde = { Insert: 2, Delete: 3, PageUp: 5, PageDown: 6, F5: 15, F6: 17, F7: 18, F8: 19, F9: 20, F10: 21, F11: 23, F12: 24 };
  if (tilde[e.key]) return `${CSI}${tilde[e.key]}~`;
  const ss3 = { F1: "P", F2: "Q", F3: "R", F4: "S" };
  if (ss3[e.key]) return "\x1bO" + ss3[e.key];
  const plain = { Enter: "\r", Backspace: "\x7f", Tab: e.shiftKey ? `${CSI}Z` : "\t", Escape: "\x1b" };
  let out = plain[e.key];
  if (out === undefined && e.key.length === 1) {
    out = e.key;
    if (e.ctrlKey) {
      const c = e.key.toUpperCase().charCodeAt(0);
      if (c >= 64 && c <= 95) out = String.fromCharCode(c - 64);
      else if (e.key === " ") out = "\x00";
      else if (e.key === "?") out = "\x7f";
    }
  }
  if (out === undefined) return null;
  return e.altKey ? "\x1b" + out : out;
}

function setupKeys() {
  const term = $("term");
  term.addEventListener("keydown", (e) => {
    if (!state.focus || e.metaKey) return;
    if (e.altKey && /^[1-9]$/.test(e.key)) return;
    const keys = encodeKey(e, state.screen);
    if (keys === null) return;
    e.preventDefault();
    send("INPUT", state.focus, { agent_id: state.focus, keys });
  });
  term.addEventListener("paste", (e) => {
    if (!state.focus) return;
    e.preventDefault();
    let text = (e.clipboardData?.getData("text") ?? "").replace(/\r?\n/g, "\r");
    if (state.screen?.bracketed_paste) text = `\x1b[200~${text}\x1b[201~`;
    send("INPUT", state.focus, { agent_id: state.focus, keys: text });
  });
  document.addEventListener("keydown", (e) => {
    if (e.altKey && /^[1-9]$/.test(e.key)) {
      e.preventDefault();
      focus(state.order[Number(e.key) - 1]);
    }
  });
  $("send").addEventListener("submit", (e) => {
    e.preventDefault();
    const content = $("msg").value;
    if (!state.focus || !content) return;
    send("USER_MESSAGE", state.focus, { agent_id: state.focus, content, inject: $("inject").checked });
    $("msg").value = "";
  });
  $("show-transcript").addEventListener("click", () => {
    if (state.focus) send("REQUEST_TRANSCRIPT", state.focus, { agent_id: state.focus });
  });
  $("restore").addEventListener("submit", (e) => {
    e.preventDefault();
    const file = $("restore-file").value;
    if (file) send("GROUP_RESTORE", null, { file });
  });
  $("who").addEventListener("change", drawEvents);
  $("kind").addEventListener("change", drawEvents);
}

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => { box.hidden = true; }, 6000);
}

setupKeys();
connect();

// The chat simulator: shows one persona's LINE chat and turns their taps into webhook events.
"use strict";

(() => {
  const POLL_MS = 1000;
  const COLOR = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/;
  const state = {
    personas: [],
    current: null,
    entries: [],
    next: 0,
    seen: {},     // entries each persona has had on screen, for the unread badges
    busy: false,
    offline: false,
  };
  const $ = (id) => document.getElementById(id);

  // --- talking to the demo server ---------------------------------------------------------------

  async function api(path, body) {
    const options = body === undefined ? {} : {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    };
    const response = await fetch("api/" + path, options);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || response.statusText);
    return data;
  }

  let chain = Promise.resolve();
  let queued = 0;

  // Polls run one after another, so entries are never appended twice.
  function poll() {
    if (queued > 1) return chain;
    queued += 1;
    chain = chain.then(pollOnce).catch((err) => {
      state.offline = true;
      say("デモのサーバーにつながりません：" + err.message);
    }).finally(() => {
      queued -= 1;
    });
    return chain;
  }

  async function pollOnce() {
    const key = state.current;
    const data = await api(`chat/${key}?after=${state.next}`);
    if (state.offline) {
      state.offline = false;
      say("");
    }
    if (key !== state.current) return;
    if (data.reset && state.next !== 0) clearChat();
    for (const entry of data.entries) {
      state.entries.push(entry);
      $("log").append(renderEntry(entry));
    }
    state.next = data.next;
    updateBadges(data.counts);
    if (data.entries.length) {
      renderQuickReplies();
      $("log").lastElementChild?.scrollIntoView({ block: "end" });
    }
  }

  async function send(payload) {
    if (state.busy) return;
    setBusy(true);
    try {
      await api("send", { persona: state.current, ...payload });
      say("");
    } catch (err) {
      say("送れませんでした：" + err.message);
    } finally {
      setBusy(false);
      await poll();
    }
  }

  function setBusy(busy) {
    state.busy = busy;
    document.body.classList.toggle("busy", busy);
    $("send").disabled = busy;
    $("send-location").disabled = busy;
    // Quick replies go while a tap is on its way, and come back if it failed.
    if (busy) $("quick").replaceChildren();
    else renderQuickReplies();
  }

  function say(text) {
    $("status").textContent = text;
  }

  // --- personas -----------------------------------------------------------------------------------

  function renderPersonas() {
    const nav = $("personas");
    nav.replaceChildren();
    for (const persona of state.personas) {
      const button = el("button", "persona");
      button.type = "button";
      button.dataset.key = persona.key;
      button.append(el("span", "persona-name", persona.name), el("span", "persona-role", persona.roleLabel));
      const badge = el("span", "badge");
      badge.hidden = true;
      badge.setAttribute("aria-hidden", "true");
      button.append(badge, el("span", "visually-hidden unread"));
      button.addEventListener("click", () => choose(persona.key));
      nav.append(button);
    }
  }

  function choose(key) {
    const persona = state.personas.find((p) => p.key === key);
    if (!persona) return;
    state.current = key;
    clearChat();
    for (const button of $("personas").children) {
      button.setAttribute("aria-pressed", String(button.dataset.key === key));
    }
    $("chat-title").textContent = `${persona.name}（${persona.roleLabel}）のトーク`;
    const detail = [`場所：${persona.address}`];
    if (persona.skills.length) detail.push(`できること：${persona.skills.join("、")}`);
    $("persona-detail").textContent = detail.join("　");
    $("send-location").title = `${persona.address} を送る`;
    history.replaceState(null, "", "#" + key);
    say("");
    poll();
  }

  function clearChat() {
    state.entries = [];
    state.next = 0;
    $("log").replaceChildren();
    $("quick").replaceChildren();
  }

  function updateBadges(counts) {
    for (const button of $("personas").children) {
      const key = button.dataset.key;
      const count = counts[key] ?? 0;
      // What was already there when the page opened does not count as new.
      if (state.seen[key] === undefined || key === state.current) state.seen[key] = count;
      const unread = count - state.seen[key];
      const badge = button.querySelector(".badge");
      badge.hidden = unread <= 0;
      badge.textContent = unread > 0 ? String(unread) : "";
      button.querySelector(".unread").textContent = unread > 0 ? `（新しいメッセージ ${unread}件）` : "";
    }
  }

  // --- messages -----------------------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderEntry(entry) {
    const item = el("li", `entry from-${entry.from}`);
    if (entry.from === "bot") {
      const avatar = el("span", "avatar", "お");
      avatar.setAttribute("aria-hidden", "true");
      item.append(avatar);
    }
    const body = el("div", "entry-body");
    if (entry.from === "bot") body.append(el("span", "sender", "お互いさま"));
    body.append(renderMessage(entry.message), el("time", "time", entry.time));
    item.append(body);
    return item;
  }

  function renderMessage(message) {
    switch (message.type) {
      case "text":
        return el("div", "bubble text", message.text);
      case "note":
        return el("div", "note", message.text);
      case "location":
        return renderLocation(message);
      case "flex":
        return renderFlex(message.contents);
      case "template":
        return renderTemplate(message);
      case "image": {
        const image = el("img", "bubble image");
        image.src = message.previewImageUrl || message.originalContentUrl || "";
        image.alt = "写真";
        return image;
      }
      case "sticker":
        return el("div", "bubble text", "（スタンプ）");
      default:
        return el("div", "bubble text", `[${message.type}] ${message.altText || ""}`.trim());
    }
  }

  function renderLocation(message) {
    const box = el("div", "bubble location");
    const title = el("strong", "location-title", message.title || "位置情報");
    const pin = el("span", "pin");
    pin.setAttribute("aria-hidden", "true");
    title.prepend(pin);
    box.append(title);
    box.append(el("span", "location-address", message.address || ""));
    const map = el("a", "map-link", "地図で見る");
    map.href = `https://www.openstreetmap.org/?mlat=${message.latitude}&mlon=${message.longitude}` +
      `#map=17/${message.latitude}/${message.longitude}`;
    map.target = "_blank";
    map.rel = "noopener noreferrer";
    box.append(map);
    return box;
  }

  function renderTemplate(message) {
    const box = el("div", "bubble template-bubble");
    const template = message.template || {};
    box.append(el("span", "flex-text", template.text || message.altText || ""));
    for (const action of template.actions || []) box.append(actionButton(action, "secondary"));
    return box;
  }

  // Flex: enough of the format to show the bot's cards as LINE lays them out, with live buttons.
  function renderFlex(node) {
    if (!node || typeof node !== "object") return el("span");
    switch (node.type) {
      case "carousel": {
        const row = el("div", "carousel");
        for (const bubble of node.contents || []) row.append(renderFlex(bubble));
        return row;
      }
      case "bubble": {
        const card = el("div", "bubble flex-bubble");
        for (const part of ["header", "hero", "body", "footer"]) {
          if (!node[part]) continue;
          const section = renderFlex(node[part]);
          section.classList.add(`flex-${part}`);
          card.append(section);
        }
        return card;
      }
      case "box": {
        const box = el("div", `flex-box layout-${node.layout || "vertical"}`);
        for (const child of node.contents || []) box.append(renderFlex(child));
        return sized(box, node);
      }
      case "text": {
        const text = el("span", `flex-text size-${node.size || "md"}`, node.text || "");
        if (node.weight === "bold") text.classList.add("bold");
        if (COLOR.test(node.color || "")) text.style.color = node.color;
        return sized(text, node);
      }
      case "button":
        return sized(actionButton(node.action || {}, node.style || "link"), node);
      case "separator":
        return el("hr", "flex-separator");
      case "image": {
        const image = el("img", "flex-image");
        image.src = node.url || "";
        image.alt = "";
        return image;
      }
      default:
        return el("span");
    }
  }

  function sized(node, flex) {
    if (Number.isInteger(flex.flex)) node.style.flex = String(flex.flex);
    return node;
  }

  // --- actions ------------------------------------------------------------------------------------

  function actionButton(action, style) {
    const button = el("button", `action ${style}`, action.label || "");
    button.type = "button";
    button.addEventListener("click", () => act(action));
    return button;
  }

  function renderQuickReplies() {
    const quick = $("quick");
    quick.replaceChildren();
    const last = state.entries[state.entries.length - 1];
    // LINE shows quick replies only under the newest message, and only until the user answers.
    if (!last || last.from !== "bot" || !last.message.quickReply) return;
    for (const item of last.message.quickReply.items || []) {
      quick.append(actionButton(item.action || {}, "quick-item"));
    }
  }

  function act(action) {
    if (state.busy) return;
    switch (action.type) {
      case "message":
        return send({ kind: "text", text: action.text });
      case "postback":
        return send({ kind: "postback", data: action.data, display_text: action.displayText || "" });
      case "datetimepicker":
        return openPicker(action);
      case "location":
        return send({ kind: "location" });
      case "uri":
        if (/^https?:\/\//.test(action.uri || "")) window.open(action.uri, "_blank", "noopener");
        return undefined;
      default:
        say(`「${action.label || action.type}」は、このデモでは使えません。`);
        return undefined;
    }
  }

  function openPicker(action) {
    const mode = action.mode || "datetime";
    const input = $("picker-input");
    input.type = { date: "date", time: "time" }[mode] || "datetime-local";
    input.min = action.min || "";
    input.max = action.max || "";
    input.value = action.initial || "";
    const dialog = $("picker");
    dialog.returnValue = "";
    dialog.onclose = () => {
      if (dialog.returnValue === "ok" && input.value) {
        send({ kind: "postback", data: action.data, params: { [mode]: input.value } });
      }
    };
    dialog.showModal();
    input.focus();
  }

  // --- start --------------------------------------------------------------------------------------

  async function start() {
    $("composer").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = $("text").value.trim();
      if (!text || state.busy) return;
      $("text").value = "";
      send({ kind: "text", text });
    });
    $("send-location").addEventListener("click", () => send({ kind: "location" }));
    try {
      state.personas = (await api("personas")).personas;
    } catch (err) {
      say("デモのサーバーにつながりません：" + err.message);
      return;
    }
    renderPersonas();
    const wanted = location.hash.slice(1);
    choose(state.personas.some((p) => p.key === wanted) ? wanted : state.personas[0].key);
    setInterval(poll, POLL_MS);
  }

  start();
})();

// The chat simulator: shows one persona's LINE chat and turns their taps into webhook events.
"use strict";

(() => {
  const POLL_MS = 1000;
  const COLOR = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/;
  const PHONE = window.matchMedia("(max-width: 480px)");
  const TOUR_KEY = "otagai-demo-tour";
  const state = {
    personas: [],
    stickers: [],
    photos: [],
    current: null,
    entries: [],
    next: 0,
    epoch: 0,
    lastDay: null,
    seen: {},     // entries each persona has had on screen, for the unread badges
    busy: false,
    offline: false,
    richMenuId: null,
    richMenuOpen: !PHONE.matches,
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
    if (!response.ok) throw new Error(data.error || `サーバーがエラーを返しました（${response.status}）`);
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
    const data = await api(`chat/${key}?after=${state.next}&epoch=${state.epoch}`);
    if (state.offline) {
      state.offline = false;
      say("");
    }
    if (key !== state.current) return;
    $("now").textContent = data.now;
    if (data.epoch !== state.epoch) {
      state.epoch = data.epoch;
      state.seen = {};
    }
    if (data.reset && state.next !== 0) clearChat();
    for (const entry of data.entries) {
      state.entries.push(entry);
      appendEntry(entry);
    }
    state.next = data.next;
    updateBadges(data.counts);
    if (data.richMenu !== state.richMenuId) loadRichMenu(key, data.richMenu);
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
      say("送れませんでした。" + err.message);
    } finally {
      setBusy(false);
      await poll();
    }
  }

  function setBusy(busy) {
    state.busy = busy;
    document.body.classList.toggle("busy", busy);
    for (const id of ["send", "send-location", "attach", "time-button", "reset-button"]) $(id).disabled = busy;
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
    $("who-now").textContent = `今：${persona.name}（${persona.roleLabel}）`;
    const detail = [`場所：${persona.address}`];
    if (persona.skills.length) detail.push(`できること：${persona.skills.join("、")}`);
    $("persona-detail").textContent = detail.join("　");
    $("send-location").title = `${persona.address} を送る`;
    const desk = $("desk-link");
    desk.hidden = !persona.desk;
    if (persona.desk) desk.href = persona.desk;
    // On a phone the chooser folds away once someone is chosen: the chat needs the room.
    if (PHONE.matches) $("chooser").open = false;
    // Each chat opens with its menu shown (the menus are "selected"), except on a phone.
    state.richMenuId = undefined;
    state.richMenuOpen = !PHONE.matches;
    history.replaceState(null, "", "#" + key);
    say("");
    poll();
  }

  function clearChat() {
    state.entries = [];
    state.next = 0;
    state.lastDay = null;
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

  function appendEntry(entry) {
    // LINE puts the date between messages of different days; time travel makes that common here.
    if (entry.day && entry.day !== state.lastDay) {
      state.lastDay = entry.day;
      const day = el("li", "day-separator");
      day.append(el("span", "", entry.day));
      $("log").append(day);
    }
    $("log").append(renderEntry(entry));
  }

  function renderEntry(entry) {
    if (entry.from === "problem") {
      const item = el("li", "entry from-problem");
      const box = el("div", "problem");
      box.setAttribute("role", "alert");
      box.append(el("strong", "problem-title", entry.message.title), el("span", "problem-text", entry.message.text));
      item.append(box);
      return item;
    }
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
      case "textV2":
        return el("div", "bubble text", message.text);
      case "note":
        return el("div", "note", message.text);
      case "location":
        return renderLocation(message);
      case "flex":
        return renderFlex(message.contents, true);
      case "template":
        return renderTemplate(message);
      case "image":
        return renderImage(message);
      case "sticker":
        return renderSticker(message);
      case "video":
      case "audio":
        return el("div", "bubble text", message.type === "video" ? "（動画）" : "（音声）");
      default:
        return el("div", "bubble text", `[${message.type}] ${message.altText || ""}`.trim());
    }
  }

  function renderImage(message) {
    const link = el("a", "photo");
    link.href = message.originalContentUrl || "";
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    const image = el("img", "bubble image");
    image.src = message.previewImageUrl || message.originalContentUrl || "";
    image.alt = "写真";
    link.append(image);
    return link;
  }

  function renderSticker(message) {
    const known = state.stickers.find((s) => s.packageId === message.packageId && s.stickerId === message.stickerId);
    if (!known) return el("div", "bubble text", "（スタンプ）");
    const image = el("img", "sticker");
    image.src = known.url;
    image.alt = `スタンプ：${known.label}`;
    return image;
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

  // Templates: buttons (with an optional picture and title), confirm (two choices side by side), and
  // the carousels, each shown the way LINE lays them out.
  function renderTemplate(message) {
    const template = message.template || {};
    switch (template.type) {
      case "confirm": {
        const box = el("div", "bubble template-bubble confirm");
        box.append(el("span", "template-text", template.text || ""));
        const row = el("div", "confirm-actions");
        for (const action of template.actions || []) row.append(actionButton(action, "secondary"));
        box.append(row);
        return box;
      }
      case "carousel":
      case "image_carousel": {
        const row = el("div", "carousel");
        for (const column of template.columns || []) row.append(templateCard(column, template.type));
        return row;
      }
      default:
        return templateCard(template, "buttons");
    }
  }

  function templateCard(column, kind) {
    const box = el("div", "bubble template-bubble");
    const picture = column.thumbnailImageUrl || column.imageUrl;
    if (picture) {
      const image = el("img", "template-image");
      image.src = picture;
      image.alt = "";
      box.append(image);
    }
    if (column.title) box.append(el("strong", "template-title", column.title));
    if (column.text) box.append(el("span", "template-text", column.text));
    const actions = kind === "image_carousel" ? [column.action] : column.actions || [];
    for (const action of actions) if (action) box.append(actionButton(action, "secondary"));
    return box;
  }

  // Flex: enough of the format to show the bot's cards as LINE lays them out, with live buttons.
  function renderFlex(node, top) {
    if (!node || typeof node !== "object") return el("span");
    switch (node.type) {
      case "carousel": {
        const row = el("div", "carousel");
        row.setAttribute("role", "group");
        row.setAttribute("aria-label", "横に動かせるカード");
        for (const bubble of node.contents || []) row.append(renderFlex(bubble));
        return row;
      }
      case "bubble": {
        const card = el("div", `bubble flex-bubble size-${node.size || "mega"}`);
        if (top) card.classList.add("single");
        for (const part of ["header", "hero", "body", "footer"]) {
          if (!node[part]) continue;
          const section = renderFlex(node[part]);
          section.classList.add(`flex-${part}`);
          const style = (node.styles || {})[part] || {};
          if (COLOR.test(style.backgroundColor || "")) section.style.backgroundColor = style.backgroundColor;
          card.append(section);
        }
        return card;
      }
      case "box": {
        const box = el("div", `flex-box layout-${node.layout || "vertical"}`);
        if (node.spacing) box.classList.add(`spacing-${node.spacing}`);
        if (COLOR.test(node.backgroundColor || "")) box.style.backgroundColor = node.backgroundColor;
        if (node.cornerRadius && /^\d+px$/.test(node.cornerRadius)) box.style.borderRadius = node.cornerRadius;
        if (node.paddingAll && /^\d+px$/.test(node.paddingAll)) box.style.padding = node.paddingAll;
        for (const child of node.contents || []) box.append(renderFlex(child));
        if (node.action) makeTappable(box, node.action);
        return sized(box, node);
      }
      case "text": {
        const text = el("span", `flex-text size-${node.size || "md"}`);
        if (Array.isArray(node.contents) && node.contents.length) {
          for (const span of node.contents) {
            const part = el("span", span.weight === "bold" ? "bold" : "", span.text || "");
            if (COLOR.test(span.color || "")) part.style.color = span.color;
            text.append(part);
          }
        } else {
          text.textContent = node.text || "";
        }
        if (node.weight === "bold") text.classList.add("bold");
        if (node.wrap === false) text.classList.add("nowrap");
        if (node.align) text.classList.add(`align-${node.align}`);
        if (COLOR.test(node.color || "")) text.style.color = node.color;
        if (node.action) makeTappable(text, node.action);
        return sized(text, node);
      }
      case "button": {
        const button = actionButton(node.action || {}, node.style || "link");
        if (node.height === "sm") button.classList.add("small");
        if (COLOR.test(node.color || "")) {
          if ((node.style || "link") === "link") button.style.color = node.color;
          else { button.style.backgroundColor = node.color; button.style.borderColor = node.color; }
        }
        return sized(button, node);
      }
      case "separator":
        return el("hr", "flex-separator");
      case "filler":
        return sized(el("span", "flex-filler"), { flex: node.flex ?? 1 });
      case "icon": {
        const icon = el("img", "flex-icon");
        icon.src = node.url || "";
        icon.alt = "";
        return icon;
      }
      case "image": {
        const image = el("img", `flex-image size-${node.size || "md"}`);
        image.src = node.url || "";
        image.alt = node.altText || "";
        if (node.aspectRatio && /^\d+:\d+$/.test(node.aspectRatio)) {
          image.style.aspectRatio = node.aspectRatio.replace(":", " / ");
          image.style.objectFit = node.aspectMode === "fit" ? "contain" : "cover";
        }
        if (node.action) makeTappable(image, node.action);
        return sized(image, node);
      }
      default:
        return el("span");
    }
  }

  function sized(node, flex) {
    if (Number.isInteger(flex.flex)) node.style.flex = String(flex.flex);
    if (flex.margin) node.classList.add(`margin-${flex.margin}`);
    return node;
  }

  function makeTappable(node, action) {
    node.classList.add("tappable");
    node.tabIndex = 0;
    node.setAttribute("role", "button");
    node.addEventListener("click", () => act(action));
  }

  // --- actions ------------------------------------------------------------------------------------

  function actionButton(action, style) {
    const label = action.label || action.displayText || action.text || "";
    // A tel: link is a real link, so a phone opens its dialler as LINE does.
    if (action.type === "uri" && /^tel:/.test(action.uri || "")) {
      const link = el("a", `action ${style} tel`, label);
      link.href = action.uri;
      link.setAttribute("aria-label", `${label}（電話をかける：${action.uri.slice(4)}）`);
      link.addEventListener("click", (event) => {
        if (!PHONE.matches) event.preventDefault();
        say(`電話をかけます：${action.uri.slice(4)}（デモでは、電話はかかりません）`);
      });
      return link;
    }
    const button = el("button", `action ${style}`, label);
    button.type = "button";
    if (action.type === "datetimepicker") button.classList.add("picker");
    if (action.type === "uri") button.classList.add("uri");
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
    if (state.busy) return undefined;
    switch (action.type) {
      case "message":
        return send({ kind: "text", text: action.text });
      case "postback":
        return send({ kind: "postback", data: action.data, display_text: action.displayText || action.text || "" });
      case "datetimepicker":
        return openPicker(action);
      case "location":
        return send({ kind: "location" });
      case "camera":
      case "cameraRoll":
        return openAttach();
      case "uri":
        if (/^https?:\/\//.test(action.uri || "")) window.open(action.uri, "_blank", "noopener");
        else if (/^tel:/.test(action.uri || "")) say(`電話をかけます：${action.uri.slice(4)}（デモでは、電話はかかりません）`);
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

  // --- photos, stickers, place --------------------------------------------------------------------

  function renderAttachments() {
    const photos = $("photos");
    for (const photo of state.photos) {
      const button = el("button", "attach-thumb");
      button.type = "button";
      button.setAttribute("aria-label", `写真：${photo.label}`);
      const image = el("img");
      image.src = photo.url;
      image.alt = "";
      button.append(image);
      button.addEventListener("click", () => { closeAttach(); send({ kind: "image", sample: photo.key }); });
      photos.append(button);
    }
    const stickers = $("stickers");
    for (const sticker of state.stickers) {
      const button = el("button", "attach-thumb");
      button.type = "button";
      button.setAttribute("aria-label", `スタンプ：${sticker.label}`);
      const image = el("img");
      image.src = sticker.url;
      image.alt = "";
      button.append(image);
      button.addEventListener("click", () => {
        closeAttach();
        send({ kind: "sticker", packageId: sticker.packageId, stickerId: sticker.stickerId });
      });
      stickers.append(button);
    }
  }

  function openAttach() {
    $("attach-panel").hidden = false;
    $("attach").setAttribute("aria-expanded", "true");
  }

  function closeAttach() {
    $("attach-panel").hidden = true;
    $("attach").setAttribute("aria-expanded", "false");
  }

  // --- the rich menu ------------------------------------------------------------------------------

  async function loadRichMenu(key, id) {
    state.richMenuId = id;
    const section = $("richmenu");
    if (!id) {
      section.hidden = true;
      return;
    }
    const data = await api(`richmenu/${key}`);
    if (key !== state.current || !data.menu) return;
    const { menu } = data;
    const body = $("richmenu-body");
    body.replaceChildren();
    body.style.aspectRatio = `${menu.size.width} / ${menu.size.height}`;
    const image = el("img", "richmenu-image");
    image.src = data.image;
    image.alt = "";
    body.append(image);
    for (const area of menu.areas) {
      const button = el("button", "richmenu-area");
      button.type = "button";
      const { x, y, width, height } = area.bounds;
      Object.assign(button.style, {
        left: `${(100 * x) / menu.size.width}%`,
        top: `${(100 * y) / menu.size.height}%`,
        width: `${(100 * width) / menu.size.width}%`,
        height: `${(100 * height) / menu.size.height}%`,
      });
      // Screen readers read the area's label, as LINE's do.
      button.setAttribute("aria-label", area.action.label || area.action.text || "");
      button.addEventListener("click", () => act(area.action));
      body.append(button);
    }
    $("richmenu-bar").textContent = menu.chatBarText;
    section.hidden = false;
    showRichMenu(state.richMenuOpen);
  }

  function showRichMenu(open) {
    state.richMenuOpen = open;
    $("richmenu-body").hidden = !open;
    $("richmenu-bar").setAttribute("aria-expanded", String(open));
    $("richmenu").classList.toggle("open", open);
  }

  // --- the demo's own controls --------------------------------------------------------------------

  function openTimeDialog() {
    const dialog = $("time-dialog");
    dialog.returnValue = "";
    dialog.onclose = () => {
      const move = dialog.returnValue;
      if (!move || move === "cancel") return;
      if (move === "at" && !$("time-input").value) {
        say("日時をえらんでから「この日時へ」を押してください。");
        return;
      }
      travel(move, move === "at" ? $("time-input").value : undefined);
    };
    dialog.showModal();
  }

  async function travel(move, at) {
    if (state.busy) return;
    setBusy(true);
    say("時間を進めています…");
    try {
      const data = await api("time", { move, at });
      $("now").textContent = data.now;
      say("");
    } catch (err) {
      say("時間を進められませんでした。" + err.message);
    } finally {
      setBusy(false);
      await poll();
    }
  }

  async function startOver() {
    if (state.busy) return;
    if (!window.confirm("依頼やトークをすべて消して、最初の状態に戻します。よろしいですか？")) return;
    setBusy(true);
    say("最初の状態に戻しています…");
    try {
      await api("reset", {});
      say("");
    } catch (err) {
      say("戻せませんでした。" + err.message);
    } finally {
      setBusy(false);
      clearChat();
      await poll();
    }
  }

  function showTour(show) {
    $("tour").hidden = !show;
    try {
      localStorage.setItem(TOUR_KEY, show ? "open" : "closed");
    } catch (err) {
      // Private windows may refuse storage; the guide then just opens again next time.
    }
  }

  // Without a Japanese font the browser draws every character as the same empty box; compare.
  function checkJapaneseFont() {
    const canvas = document.createElement("canvas");
    canvas.width = 40;
    canvas.height = 40;
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    const family = getComputedStyle(document.body).fontFamily;
    const draw = (text) => {
      ctx.clearRect(0, 0, 40, 40);
      ctx.font = `32px ${family}`;
      ctx.fillText(text, 2, 32);
      return ctx.getImageData(0, 0, 40, 40).data.join(",");
    };
    const missing = draw("\uE000");
    $("font-warning").hidden = draw("あ") !== missing || draw("困") !== missing ? true : false;
  }

  // --- start --------------------------------------------------------------------------------------

  async function start() {
    $("composer").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = $("text").value;
      if (!text.trim() || state.busy) return;
      $("text").value = "";
      send({ kind: "text", text });
    });
    // As in LINE, the keyboard takes the menu's place while one types.
    $("text").addEventListener("focus", () => { if (state.richMenuId) showRichMenu(false); closeAttach(); });
    $("send-location").addEventListener("click", () => { closeAttach(); send({ kind: "location" }); });
    $("attach").addEventListener("click", () => ($("attach-panel").hidden ? openAttach() : closeAttach()));
    $("richmenu-bar").addEventListener("click", () => showRichMenu(!state.richMenuOpen));
    $("time-button").addEventListener("click", openTimeDialog);
    $("reset-button").addEventListener("click", startOver);
    $("tour-button").addEventListener("click", () => showTour($("tour").hidden));
    $("tour-close").addEventListener("click", () => showTour(false));
    for (const button of document.querySelectorAll(".tour-who")) {
      button.addEventListener("click", () => choose(button.dataset.key));
    }
    let tourState = null;
    try {
      tourState = localStorage.getItem(TOUR_KEY);
    } catch (err) {
      tourState = null;
    }
    $("tour").hidden = tourState === "closed";
    checkJapaneseFont();
    try {
      const setup = await api("personas");
      state.personas = setup.personas;
      state.stickers = setup.stickers;
      state.photos = setup.photos;
      if (setup.richMenuProblem) say("リッチメニューを表示できません：" + setup.richMenuProblem);
    } catch (err) {
      say("デモのサーバーにつながりません：" + err.message);
      return;
    }
    renderPersonas();
    renderAttachments();
    const wanted = location.hash.slice(1);
    choose(state.personas.some((p) => p.key === wanted) ? wanted : state.personas[0].key);
    setInterval(poll, POLL_MS);
  }

  start();
})();

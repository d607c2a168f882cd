/*
 * HIPS safeguarding assistant: the embeddable web chat widget.
 *
 * One script tag adds it to any page:
 *   <div data-hips-chat></div>
 *   <script src="https://assistant.example/widget.js" defer></script>
 * Without a [data-hips-chat] element the widget creates one just before the script tag.
 * Vanilla JavaScript, no build step, no dependencies (docs/adr/0005-web-widget.md).
 * Content from the server is only ever inserted as text, never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var ORIGIN = new URL(script && script.src ? script.src : window.location.href).origin;
  var CHAT_URL = ORIGIN + "/api/v1/chat";
  var STORE = "hips-chat:";
  var MAX_ENTRIES = 300;
  var REQUEST_LIMIT_MS = 60000;
  // The floor when nothing better is known: the emergency number is never missing.
  var FLOOR_LINES = [{ label: "A child in immediate danger", phone: "999" }];
  var ROUTE_HEADLINES = {
    emergency: "Call 999 now, then contact the MASH.",
    mash: "Contact the MASH (children's social care front door) today.",
    early_help: "Early help, with the family's consent.",
    universal: "Universal services: no referral needed now.",
    unclear: "I need a little more information before suggesting a route."
  };
  var UNREACHABLE =
    "The assistant cannot be reached right now. If a child is in immediate danger, call 999 now. " +
    "If you think a child may be at risk of significant harm, do not wait: contact the MASH for the " +
    "child's area today. Talk to your designated safeguarding lead and record your decision.";

  // ---- small helpers -------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else if (name === "className") node.className = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function hidden(text) {
    return el("span", { className: "hips-visually-hidden", text: text });
  }

  function load(name, fallback) {
    try {
      var raw = window.sessionStorage.getItem(STORE + name);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) {
      return fallback;
    }
  }

  function save(name, value) {
    try {
      if (value === null) window.sessionStorage.removeItem(STORE + name);
      else window.sessionStorage.setItem(STORE + name, JSON.stringify(value));
    } catch (e) {
      /* storage full or blocked: the conversation still works, it just won't survive a reload */
    }
  }

  function isWebUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url);
  }

  function formatDate(iso) {
    var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso || ""));
    if (!match) return String(iso || "unknown");
    var date = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
    return date.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }

  function todayIso() {
    return new Date().toISOString().slice(0, 10);
  }

  function validLines(lines) {
    if (!Array.isArray(lines)) return [];
    return lines.filter(function (l) {
      return l && typeof l.label === "string" && typeof l.phone === "string" && l.phone;
    });
  }

  function withFloor(lines) {
    var known = validLines(lines);
    var hasFloor = known.some(function (l) { return l.phone === FLOOR_LINES[0].phone; });
    return hasFloor ? known : FLOOR_LINES.concat(known);
  }

  function lineItems(list, lines) {
    list.textContent = "";
    withFloor(lines).forEach(function (line) {
      list.appendChild(el("li", {}, [
        el("span", { className: "hips-line-label", text: line.label }), " ",
        el("a", { href: "tel:" + line.phone.replace(/\s+/g, ""), text: line.phone })
      ]));
    });
  }

  // ---- summary of a recommendation (no names: the practitioner's own words are never included) --

  function headlineOf(rec) {
    var headline = rec.headline || ROUTE_HEADLINES[rec.route] || String(rec.route || "");
    return rec.level_name ? headline + " (" + rec.level_name + ")" : headline;
  }

  function summaryText(rec) {
    var out = ["HIPS safeguarding assistant: summary of the suggested route",
      "Generated " + new Date().toLocaleString("en-GB") + ". No names or identifying details are included.", "",
      "Suggested route: " + headlineOf(rec), ""];
    function section(title, items) {
      if (!items.length) return;
      out.push(title);
      items.forEach(function (item) { out.push("- " + item); });
      out.push("");
    }
    section("Why:", (rec.reasons || []).map(function (r) {
      return r.description + (r.reference ? " (" + r.reference + ")" : "");
    }));
    section("What to do next:", rec.next_steps || []);
    section("Contacts:", rec.contacts || []);
    section("Guidance sources:", (rec.guidance || []).map(function (c) {
      return c.title + ". Source: " + c.source_title + " " + c.source_url + ". Reviewed " + c.last_reviewed +
        ", next review by " + c.review_by + "." + (c.verified ? "" : " Not yet verified against the source.");
    }));
    if (rec.judgement_note) out.push(rec.judgement_note, "");
    out.push("Your decision and the reasons for it (including if you decide not to refer):", "", "", "",
      "Discussed with (role): ", "Date and time of decision: ");
    return out.join("\n");
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = el("textarea", { className: "hips-visually-hidden", "aria-hidden": "true", tabindex: "-1" });
      area.value = text;
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      area.remove();
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }

  function downloadText(text, filename) {
    var url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    var link = el("a", { href: url, download: filename, className: "hips-visually-hidden" });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // ---- the widget -----------------------------------------------------------------------------

  var widgetCount = 0;

  function mount(container) {
    if (container.getAttribute("data-hips-mounted")) return;
    container.setAttribute("data-hips-mounted", "true");
    container.classList.add("hips-chat");
    var n = ++widgetCount;
    var level = Math.min(Math.max(parseInt(container.getAttribute("data-heading-level") || "2", 10) || 2, 1), 4);
    function heading(offset, attrs, text) {
      return el("h" + Math.min(level + offset, 6), attrs, [text]);
    }

    // Emergency banner: adopt the server-rendered one on the page, else build it from the last known lines.
    var banner = container.querySelector("[data-hips-emergency]");
    if (!banner) {
      banner = el("section", { className: "hips-emergency", "data-hips-emergency": "", "aria-labelledby": "hips-em-" + n }, [
        heading(0, { id: "hips-em-" + n }, "If a child is in immediate danger, call 999 now"),
        el("ul", {})
      ]);
      container.insertBefore(banner, container.firstChild);
      lineItems(banner.querySelector("ul"), load("emergency", []));
      refreshEmergencyLines();
    }
    if (!banner.querySelector("ul")) banner.appendChild(el("ul", {}));

    var inputId = "hips-message-" + n;
    var log = el("div", { className: "hips-log", role: "log", "aria-live": "polite", "aria-labelledby": "hips-conv-" + n,
      tabindex: "0" });
    var status = el("p", { className: "hips-status", role: "status" });
    var input = el("input", { id: inputId, type: "text", name: "message", autocomplete: "off", maxlength: "2000",
      "aria-describedby": "hips-hint-" + n });
    var form = el("form", { className: "hips-form", novalidate: "" }, [
      el("label", { for: inputId, className: "hips-label", text: "Your message" }),
      el("p", { id: "hips-hint-" + n, className: "hips-hint",
        text: "Describe what is worrying you, or type an answer. Do not type names, dates of birth or addresses." }),
      el("div", { className: "hips-form-row" }, [input, el("button", { type: "submit", className: "hips-button", text: "Send" })])
    ]);
    var restart = el("button", { type: "button", className: "hips-button hips-secondary", text: "Start a new conversation" });
    // A restored conversation is rendered before the log joins the page, so it is not announced again.
    var entries = load("transcript", []);
    var busy = false;
    if (!Array.isArray(entries)) entries = [];
    entries.forEach(function (entry, i) { log.appendChild(renderEntry(entry, i === entries.length - 1)); });
    container.appendChild(el("div", { className: "hips-body" }, [
      el("p", { className: "hips-notice",
        text: "This assistant gives guidance to support your professional judgement; it does not make the decision." }),
      heading(0, { id: "hips-conv-" + n, className: "hips-visually-hidden" }, "Conversation"),
      log, status, form,
      el("p", { className: "hips-footer-line" }, [
        "In immediate danger? Call ", el("a", { href: "tel:999", text: "999" }), " now."
      ]),
      el("div", { className: "hips-actions" }, [restart])
    ]));

    function refreshEmergencyLines() {
      if (!window.fetch) return;
      fetch(ORIGIN + "/widget/emergency.json", { credentials: "omit" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && validLines(data.emergency).length) setEmergency(data.emergency); })
        .catch(function () { /* keep the last known lines */ });
    }

    function setEmergency(lines) {
      var valid = validLines(lines);
      if (!valid.length) return;
      save("emergency", valid);
      lineItems(banner.querySelector("ul"), valid);
    }

    function persist() {
      if (entries.length > MAX_ENTRIES) entries = entries.slice(entries.length - MAX_ENTRIES);
      save("transcript", entries);
    }

    function renderEntry(entry, isLast) {
      if (entry.kind === "you") {
        return el("div", { className: "hips-msg hips-you" }, [hidden("You said: "), el("p", { text: entry.text })]);
      }
      if (entry.kind === "unreachable") return renderUnreachable(entry, isLast);
      var box = el("div", { className: "hips-msg hips-bot" + (entry.urgent ? " hips-urgent" : "") },
        [hidden("Assistant: ")]);
      if (entry.text) box.appendChild(el("p", { text: entry.text }));
      if (entry.buttons && entry.buttons.length) box.appendChild(renderChoices(entry));
      var custom = entry.custom || {};
      if (custom.type === "recommendation") box.appendChild(renderRecommendation(custom));
      if (custom.type === "guidance") box.appendChild(renderGuidanceList(custom.items || [], 1));
      return box;
    }

    function renderChoices(entry) {
      var group = el("div", { className: "hips-choices", role: "group", "aria-label": "Answers" });
      entry.buttons.forEach(function (b) {
        var chosen = entry.answered && entry.chosen === b.payload;
        var button = el("button", { type: "button", className: "hips-button hips-choice" + (chosen ? " hips-chosen" : "") },
          [chosen ? "\u2713 " : "", b.title, chosen ? hidden(" (your answer)") : null]);
        if (entry.answered) button.disabled = true;
        button.addEventListener("click", function () {
          if (busy || entry.answered) return;
          entry.chosen = b.payload;
          button.classList.add("hips-chosen");
          send(b.payload, b.title, true);
        });
        group.appendChild(button);
      });
      return group;
    }

    function renderUnreachable(entry, isLast) {
      var list = el("ul", { className: "hips-lines" });
      lineItems(list, load("emergency", []));
      var box = el("div", { className: "hips-msg hips-bot hips-urgent hips-unreachable", role: "alert" }, [
        hidden("Assistant: "), el("p", { text: UNREACHABLE }), list
      ]);
      if (isLast && entry.retry) {
        var again = el("button", { type: "button", className: "hips-button hips-secondary", text: "Try again" });
        again.addEventListener("click", function () {
          if (busy) return;
          entries.pop();
          box.remove();
          var retry = entries.pop();
          log.lastChild && log.lastChild.remove();
          send(retry.payload || retry.text, retry.text, true);
        });
        box.appendChild(again);
      }
      return box;
    }

    function renderRecommendation(rec) {
      var card = el("article", { className: "hips-recommendation hips-route-" + String(rec.route || "unclear") });
      card.appendChild(heading(1, { className: "hips-rec-title" }, "Suggested route: " + headlineOf(rec)));
      function list(title, items) {
        if (!items.length) return;
        card.appendChild(heading(2, {}, title));
        card.appendChild(el("ul", {}, items.map(function (item) { return el("li", {}, [item]); })));
      }
      list("Why", (rec.reasons || []).map(function (r) {
        return el("span", {}, [r.description, r.reference ? el("span", { className: "hips-ref", text: " (" + r.reference + ")" }) : null]);
      }));
      list("What to do next", rec.next_steps || []);
      list("Contacts", rec.contacts || []);
      if ((rec.guidance || []).length) {
        card.appendChild(heading(2, {}, "Guidance"));
        card.appendChild(renderGuidanceList(rec.guidance, 3));
      }
      if (rec.judgement_note) card.appendChild(el("p", { className: "hips-judgement", text: rec.judgement_note }));
      var note = el("p", { className: "hips-status", role: "status" });
      var copy = el("button", { type: "button", className: "hips-button hips-secondary", text: "Copy summary" });
      var download = el("button", { type: "button", className: "hips-button hips-secondary", text: "Download summary (.txt)" });
      copy.addEventListener("click", function () {
        copyText(summaryText(rec)).then(
          function () { note.textContent = "Summary copied. Paste it into your record and add your decision."; },
          function () { note.textContent = "Could not copy here. Use Download summary instead."; });
      });
      download.addEventListener("click", function () {
        downloadText(summaryText(rec), "safeguarding-route-summary-" + todayIso() + ".txt");
        note.textContent = "Summary downloaded as a text file.";
      });
      card.appendChild(el("div", { className: "hips-actions" }, [copy, download]));
      card.appendChild(note);
      return card;
    }

    function renderGuidanceList(cards, offset) {
      return el("ul", { className: "hips-cards" }, cards.map(function (c) {
        var overdue = c.review_by && String(c.review_by) < todayIso();
        var source = isWebUrl(c.source_url)
          ? el("a", { href: c.source_url, target: "_blank", rel: "noopener noreferrer" },
            [c.source_title || c.source_url, hidden(" (opens in a new tab)")])
          : document.createTextNode(c.source_title || "");
        return el("li", { className: "hips-card" }, [
          heading(offset, { className: "hips-card-title" }, c.title || "Guidance"),
          c.verified ? null : el("p", { className: "hips-tag", text: "Not yet verified against the source" }),
          el("p", { className: "hips-snippet", text: c.snippet || "" }),
          el("p", { className: "hips-source" }, ["Source: ", source]),
          el("p", { className: "hips-dates" }, [
            "Reviewed " + formatDate(c.last_reviewed) + ". Next review by " + formatDate(c.review_by) + ".",
            overdue ? el("strong", { className: "hips-overdue", text: " Review overdue." }) : null
          ])
        ]);
      }));
    }

    // Plain-text messages that only repeat a card shown right after them (same reply) are left out:
    // a guidance text naming a card's title and source address, or recommendation text (which Rasa
    // splits at blank lines) whose every line is a heading or a string the payload itself carries.
    var SECTION_LINE = /^(Suggested route: .+|Why:|What to do next:|Contacts:)$/;
    function repeatsCard(message, custom) {
      if (message.custom || (message.buttons || []).length || !message.text) return false;
      var cards = custom.type === "recommendation" ? custom.guidance || [] : custom.items || [];
      var coversCard = cards.some(function (c) {
        return c.title && c.source_url && message.text.indexOf(c.title) !== -1 && message.text.indexOf(c.source_url) !== -1;
      });
      if (coversCard || custom.type !== "recommendation") return coversCard;
      var known = [custom.judgement_note].concat(custom.next_steps || [], custom.contacts || [],
        (custom.reasons || []).map(function (r) { return r.description; }));
      return message.text.split("\n").every(function (line) {
        var item = line.trim().replace(/^- /, "");
        return !item || SECTION_LINE.test(item) || known.indexOf(item) !== -1;
      });
    }

    function entriesFrom(messages) {
      var keep = messages.map(function () { return true; });
      messages.forEach(function (m, i) {
        var custom = m.custom || {};
        if (custom.type !== "recommendation" && custom.type !== "guidance") return;
        for (var j = i - 1; j >= 0 && repeatsCard(messages[j], custom); j--) keep[j] = false;
      });
      var out = [];
      messages.forEach(function (m, i) {
        var custom = m.custom && typeof m.custom === "object" ? m.custom : null;
        if (!keep[i]) return;
        if (custom && custom.type === "emergency_route") {
          var prev = out[out.length - 1];
          if (!m.text && prev) { prev.urgent = true; return; }
        }
        if (!m.text && !(m.buttons || []).length && !(custom && (custom.type === "recommendation" || custom.type === "guidance"))) return;
        out.push({ kind: "bot", text: m.text || "", buttons: m.buttons || [], custom: custom,
          urgent: !!(custom && custom.type === "emergency_route") });
      });
      return out;
    }

    function closeOpenQuestions() {
      entries.forEach(function (entry) { if ((entry.buttons || []).length) entry.answered = true; });
      Array.prototype.forEach.call(log.querySelectorAll(".hips-choice"), function (b) {
        b.disabled = true;
        if (b.classList.contains("hips-chosen") && !b.querySelector(".hips-visually-hidden")) {
          b.insertBefore(document.createTextNode("\u2713 "), b.firstChild);
          b.appendChild(hidden(" (your answer)"));
        }
      });
      var retry = log.querySelector(".hips-unreachable button");
      if (retry) retry.remove();
    }

    function append(newEntries) {
      var first = null;
      newEntries.forEach(function (entry, i) {
        entries.push(entry);
        var node = renderEntry(entry, i === newEntries.length - 1);
        log.appendChild(node);
        first = first || node;
      });
      persist();
      if (first) log.scrollTop = Math.max(0, first.offsetTop - 8);
      return first;
    }

    function send(payload, shownAs, fromButton) {
      if (busy) return;
      busy = true;
      if (fromButton) input.focus();
      closeOpenQuestions();
      append([{ kind: "you", text: shownAs, payload: payload }]);
      status.textContent = "The assistant is replying\u2026";
      log.setAttribute("aria-busy", "true");
      var controller = window.AbortController ? new AbortController() : null;
      var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_LIMIT_MS) : null;
      fetch(CHAT_URL, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ message: payload, session_id: load("session", null) }),
        signal: controller ? controller.signal : undefined,
        credentials: "omit"
      }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (data) {
        if (!data || typeof data.session_id !== "string" || !Array.isArray(data.messages)) throw new Error("bad answer");
        save("session", data.session_id);
        setEmergency(data.emergency);
        var added = entriesFrom(data.messages);
        append(added.length ? added : [{ kind: "unreachable", retry: true }]);
      }).catch(function () {
        append([{ kind: "unreachable", retry: true }]);
      }).then(function () {
        if (timer) clearTimeout(timer);
        busy = false;
        log.setAttribute("aria-busy", "false");
        status.textContent = "";
        var choices = log.querySelectorAll(".hips-choice:not([disabled])");
        if (fromButton) (choices.length ? choices[0] : input).focus();
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text || busy) return;
      input.value = "";
      send(text, text, false);
    });

    restart.addEventListener("click", function () {
      if (busy) return;
      entries = [];
      save("transcript", null);
      save("session", null);
      log.textContent = "";
      status.textContent = "Started a new conversation.";
      input.focus();
    });
  }

  function addStylesheet() {
    var href = ORIGIN + "/widget.css";
    var present = Array.prototype.some.call(document.querySelectorAll("link[rel=stylesheet]"), function (link) {
      return link.href === href;
    });
    if (!present) document.head.appendChild(el("link", { rel: "stylesheet", href: href }));
  }

  function start() {
    addStylesheet();
    var containers = document.querySelectorAll("[data-hips-chat]");
    if (!containers.length && script && script.parentNode) {
      var created = el("div", { "data-hips-chat": "" });
      script.parentNode.insertBefore(created, script);
      containers = [created];
    }
    Array.prototype.forEach.call(containers, mount);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

/*
 * Body & Soul Medical Clinics: website chat widget.
 *
 * A clinic page adds one tag:
 *   <script src="https://<assistant host>/webchat/widget.js"
 *           data-server="https://<assistant host>" defer></script>
 *
 * This is the source; `make webchat` bundles it with the pinned socket.io client into
 * webchat/dist/widget.js, which the Rasa server serves at /webchat/widget.js. In the bundle
 * `io` is a local variable: the page gets exactly one global, `BodySoulChat`.
 *
 * Rules this file keeps: every piece of bot or visitor text is rendered with textContent
 * (never innerHTML); only http(s) and tel: links are made; the endpoint, the storage keys
 * and every UI string live in DEFAULTS and STRINGS below.
 *
 * Every message has an id (message_id). It stays in the "pending" list (kept with the
 * conversation) until the server acknowledges it; after a reconnect, or a reload, the
 * pending messages are sent again with the same ids, so a message whose answer was lost
 * with the connection is answered, and the server (channels/webchat.py) processes each
 * id once: a repeat gets the replies recorded for it, which are not shown twice.
 *
 * Until the visitor sends their first message, a line above the input says how long the
 * conversation is kept and links to the privacy notice (<server>/webchat/privacy); after
 * that a small "Privacy" link stays below the input.
 */
/* global io */
(function (window, document) {
  "use strict";

  if (window.BodySoulChat) return; // the snippet was pasted twice

  // Everything a clinic might change, overridable by data-* attributes or init().
  var DEFAULTS = {
    server: "", // the assistant's origin; default: where this script came from
    socketPath: "/socket.io",
    lang: "", // "en" or "zh"; default: <html lang>, then the browser's language
    storageKey: "bodysoul-chat",
    open: false, // open the panel on first visit
    maxStoredMessages: 200,
    // How many message ids whose replies were shown are remembered (not shown twice).
    maxAnsweredIds: 50,
    // Addresses in the bot's answers become links to a map (Amap works in mainland China).
    mapUrl: "https://uri.amap.com/search?keyword=",
    addresses: [
      { text: "760 South Xizang Road", query: "上海市黄浦区西藏南路760号安基大厦" },
      { text: "西藏南路760号", query: "上海市黄浦区西藏南路760号安基大厦" },
      { text: "211 Cheng Jia Qiao Zhi Road", query: "上海市闵行区程家桥支路211号" },
      { text: "程家桥支路211号", query: "上海市闵行区程家桥支路211号" },
    ],
  };

  // How many days the conversation store keeps a conversation. The Rasa server writes
  // its CONVERSATION_RETENTION_DAYS here when it serves this file (channels/webchat.py):
  // keep the comment, it is the mark it looks for.
  var RETENTION_DAYS = /* CONVERSATION_RETENTION_DAYS */ 90;

  var STRINGS = {
    en: {
      launcher: "Chat with us",
      title: "Body & Soul assistant",
      subtitle: "Questions about treatments, clinics and booking",
      close: "Close chat",
      placeholder: "Type your question…",
      inputLabel: "Your message",
      send: "Send",
      languageLabel: "Language",
      connecting: "Connecting…",
      reconnecting: "Reconnecting… your message is kept and can be sent once we are back.",
      typing: "The assistant is typing…",
      you: "You",
      bot: "Assistant",
      person: "Reception",
      quickReplies: "Suggested replies",
      map: "(map)",
      // The same words as privacy/notice.py's WIDGET_NOTICE and WIDGET_NOTICE_LINK.
      notice: "By chatting you agree that we keep this conversation for {days} days.",
      noticeLink: "Privacy notice",
      privacy: "Privacy",
    },
    zh: {
      launcher: "在线咨询",
      title: "Body & Soul 智能助手",
      subtitle: "疗法、诊所和预约相关问题",
      close: "关闭对话",
      placeholder: "请输入您的问题…",
      inputLabel: "您的消息",
      send: "发送",
      languageLabel: "语言",
      connecting: "正在连接…",
      reconnecting: "正在重新连接… 您的消息已保留，连接恢复后即可发送。",
      typing: "助手正在输入…",
      you: "您",
      bot: "助手",
      person: "前台",
      quickReplies: "推荐回复",
      map: "（地图）",
      notice: "继续对话即表示您同意我们将本次对话保存 {days} 天。",
      noticeLink: "隐私声明",
      privacy: "隐私",
    },
  };

  // Messages the widget sends without showing them: the greeting when a conversation
  // starts and the EN / 中文 switch. They are intent payloads (data/nlu.yml: greet,
  // switch_language) carrying the `language` entity, which sets the `language` slot
  // (a payload's own entities replace those the NLU pipeline found).
  function greetPayload(lang) {
    return '/greet{"language": "' + lang + '"}';
  }
  function switchLanguagePayload(lang) {
    return '/switch_language{"language": "' + lang + '"}';
  }

  var CSS = [
    ".bsc-root{all:initial;font-family:system-ui,-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;font-size:15px;line-height:1.45;color:#1b1b1b}",
    ".bsc-root *,.bsc-root *::before,.bsc-root *::after{box-sizing:border-box}",
    ".bsc-launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;padding:14px 20px;background:#1d5c47;color:#fff;font:inherit;font-weight:600;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}",
    ".bsc-launcher:hover{background:#174a39}",
    // Focus rings: dark green on the light parts, white on the green header (>= 7:1).
    ".bsc-root button:focus-visible,.bsc-root textarea:focus-visible,.bsc-root a:focus-visible,.bsc-log:focus-visible{outline:3px solid #1d5c47;outline-offset:2px}",
    ".bsc-header button:focus-visible{outline-color:#fff;outline-offset:-4px}",
    ".bsc-panel{position:fixed;right:20px;bottom:20px;z-index:2147483001;width:370px;max-width:calc(100vw - 40px);height:560px;max-height:calc(100vh - 40px);display:flex;flex-direction:column;background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden;transition:opacity .2s ease,transform .2s ease}",
    ".bsc-panel[hidden]{display:none}",
    ".bsc-header{display:flex;align-items:center;gap:8px;padding:12px 14px;background:#1d5c47;color:#fff}",
    ".bsc-heading{flex:1;min-width:0}",
    ".bsc-title{margin:0;font-size:16px;font-weight:700;color:#fff}",
    ".bsc-subtitle{margin:0;font-size:12px;color:#e6f2ed}",
    ".bsc-lang{display:flex;border:1px solid #fff;border-radius:6px;overflow:hidden}",
    ".bsc-lang button{border:0;background:transparent;color:#fff;font:inherit;font-size:13px;padding:4px 8px;cursor:pointer}",
    ".bsc-lang button[aria-pressed=true]{background:#fff;color:#1d5c47;font-weight:700}",
    ".bsc-close{border:0;background:transparent;color:#fff;font-size:24px;line-height:1;padding:2px 8px;cursor:pointer;border-radius:6px}",
    ".bsc-status{margin:0;padding:6px 14px;font-size:13px;background:#fff4d6;color:#5c4300;border-bottom:1px solid #f0d98c}",
    ".bsc-status[hidden]{display:none}",
    ".bsc-log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f6f7f6}",
    ".bsc-msg{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}",
    ".bsc-msg a{color:inherit;text-decoration:underline}",
    ".bsc-bot{align-self:flex-start;background:#fff;border:1px solid #d9dedb;color:#1b1b1b}",
    ".bsc-bot a{color:#0b5394}",
    ".bsc-person{border-color:#d08c2e}",
    ".bsc-who{display:block;font-size:11px;font-weight:600;color:#8a5a14;margin-bottom:2px}",
    ".bsc-user{align-self:flex-end;background:#1d5c47;color:#fff}",
    ".bsc-sr{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}",
    ".bsc-replies{display:flex;flex-wrap:wrap;gap:6px;align-self:flex-start;max-width:95%}",
    ".bsc-replies button{border:1px solid #1d5c47;background:#fff;color:#1d5c47;border-radius:16px;padding:5px 12px;font:inherit;font-size:14px;cursor:pointer}",
    ".bsc-replies button:hover{background:#e8f2ee}",
    ".bsc-replies button:disabled{border-color:#9aa5a0;color:#5f6b66;background:#eef0ef;cursor:default}",
    ".bsc-typing{align-self:flex-start;color:#4a4a4a;font-size:13px;font-style:italic}",
    ".bsc-typing[hidden]{display:none}",
    ".bsc-dots::after{content:'';display:inline-block;width:1.2em;text-align:left;animation:bsc-dots 1.2s steps(4,end) infinite}",
    "@keyframes bsc-dots{0%{content:''}25%{content:'.'}50%{content:'..'}75%{content:'...'}}",
    ".bsc-form{display:flex;gap:8px;padding:10px;border-top:1px solid #d9dedb;background:#fff}",
    ".bsc-input{flex:1;resize:none;border:1px solid #8a9691;border-radius:8px;padding:8px 10px;font:inherit;color:#1b1b1b;background:#fff;max-height:120px}",
    ".bsc-send{border:0;border-radius:8px;padding:0 16px;background:#1d5c47;color:#fff;font:inherit;font-weight:600;cursor:pointer}",
    ".bsc-send[aria-disabled=true]{background:#6b7a74;cursor:not-allowed}",
    ".bsc-notice{margin:0;padding:6px 12px;font-size:12px;line-height:1.4;color:#4a4a4a;background:#fff;border-top:1px solid #d9dedb}",
    ".bsc-footer{margin:0;padding:0 12px 6px;font-size:12px;line-height:1.4;text-align:right;background:#fff}",
    ".bsc-notice a,.bsc-footer a{color:#0b5394;text-decoration:underline}",
    ".bsc-notice[hidden],.bsc-footer[hidden]{display:none}",
    "@media (max-width:480px){.bsc-panel{inset:0;right:0;bottom:0;width:100%;max-width:none;height:100%;max-height:none;border-radius:0}}",
    "@media (prefers-reduced-motion:reduce){.bsc-panel{transition:none}.bsc-dots::after{animation:none;content:'...'}}",
  ].join("\n");

  // ---------------------------------------------------------------- small helpers

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = String(text);
    return node;
  }

  function randomId() {
    // 128 random bits: the conversation id is the only key to the conversation.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function isSessionId(value) {
    return typeof value === "string" && /^[0-9a-f]{32}$/.test(value);
  }

  function isPending(item) {
    return !!item && isSessionId(item.id) && typeof item.message === "string";
  }

  function pickLanguage(value) {
    var primary = String(value || "").toLowerCase().replace("_", "-").split("-")[0];
    return primary === "zh" || primary === "en" ? primary : "";
  }

  function makeStore(key) {
    var memory = {};
    function storage() {
      try {
        var s = window.localStorage;
        s.setItem(key + ".probe", "1");
        s.removeItem(key + ".probe");
        return s;
      } catch (e) {
        return null; // private mode or storage disabled: keep state for this page only
      }
    }
    var s = storage();
    return {
      load: function () {
        try {
          return JSON.parse((s ? s.getItem(key) : memory[key]) || "{}") || {};
        } catch (e) {
          return {};
        }
      },
      save: function (state) {
        var text = JSON.stringify(state);
        try {
          if (s) s.setItem(key, text);
          else memory[key] = text;
        } catch (e) {
          memory[key] = text; // quota exceeded: the conversation still works
        }
      },
    };
  }

  // Text -> DOM nodes: plain text, and links for http(s) URLs, phone numbers, the
  // emergency number and the clinics' addresses. Nothing else becomes markup.
  function linkRules(config) {
    var rules = [
      {
        re: /https?:\/\/[^\s<>"'，。、）)]+[^\s<>"'，。、）).,;:!?]/,
        href: function (m) {
          return m;
        },
      },
      {
        // "(+86 21) 6345 5101", "+86 21 6461 6550", "021-6345 5101"
        re: /(?:\(\+86[ -]?\d{2,3}\)|\+86[ -]?\d{2,3}|0\d{2,3}-?)[ -]?\d{3,4}[ -]?\d{4}/,
        href: function (m) {
          var digits = m.replace(/\D/g, "");
          return "tel:" + (m.indexOf("+") >= 0 ? "+" + digits : digits);
        },
      },
      {
        re: /(?:call |拨打)(120)(?!\d)/,
        href: function () {
          return "tel:120";
        },
      },
    ];
    config.addresses.forEach(function (address) {
      rules.push({
        re: new RegExp(address.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")),
        href: function () {
          return config.mapUrl + encodeURIComponent(address.query);
        },
        map: true,
      });
    });
    return rules;
  }

  function safeHref(href) {
    return /^(https?:|tel:)/i.test(href) ? href : null;
  }

  // The privacy notice opens in a new tab, like every web link the widget makes.
  function privacyLink() {
    var a = el("a");
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function appendLinkified(parent, text, rules, strings) {
    var rest = String(text);
    while (rest) {
      var best = null;
      rules.forEach(function (rule) {
        var m = rule.re.exec(rest);
        if (!m) return;
        var linkText = m[1] || m[0];
        var start = m.index + m[0].indexOf(linkText);
        if (!best || start < best.start) {
          best = { start: start, text: linkText, rule: rule };
        }
      });
      if (!best) {
        parent.appendChild(document.createTextNode(rest));
        return;
      }
      if (best.start) parent.appendChild(document.createTextNode(rest.slice(0, best.start)));
      var href = safeHref(best.rule.href(best.text));
      if (href) {
        var a = el("a", null, best.text);
        a.href = href;
        if (!/^tel:/.test(href)) {
          a.target = "_blank";
          a.rel = "noopener noreferrer";
        }
        if (best.rule.map) a.title = strings.map;
        parent.appendChild(a);
      } else {
        parent.appendChild(document.createTextNode(best.text));
      }
      rest = rest.slice(best.start + best.text.length);
    }
  }

  // ---------------------------------------------------------------- the widget

  function Chat(config) {
    this.config = config;
    this.store = makeStore(config.storageKey);
    var state = this.store.load();
    this.state = {
      sessionId: isSessionId(state.sessionId) ? state.sessionId : randomId(),
      open: state.open === undefined ? !!config.open : !!state.open,
      lang: pickLanguage(state.lang) || config.lang,
      greeted: !!state.greeted,
      transcript: Array.isArray(state.transcript) ? state.transcript : [],
      // Sent, not yet acknowledged: sent again after a reconnect, with the same id.
      pending: Array.isArray(state.pending) ? state.pending.filter(isPending) : [],
      // The ids whose replies are on screen: a repeat's replayed replies are not.
      answered: Array.isArray(state.answered) ? state.answered : [],
    };
    // Whether the visitor has sent a message (the notice then shrinks to a link).
    this.state.spoke =
      !!state.spoke ||
      this.state.transcript.some(function (entry) {
        return entry && entry.from === "user";
      });
    this.rules = linkRules(config);
    this.socket = null;
    this.connected = false;
    this.replaying = {}; // ids whose replayed replies are being shown
    this.build();
    this.renderTranscript();
    this.setOpen(this.state.open, false);
    this.save();
  }

  Chat.prototype.t = function (key) {
    return (STRINGS[this.state.lang] || STRINGS.en)[key];
  };

  Chat.prototype.save = function () {
    var transcript = this.state.transcript;
    if (transcript.length > this.config.maxStoredMessages) {
      transcript.splice(0, transcript.length - this.config.maxStoredMessages);
    }
    var answered = this.state.answered;
    if (answered.length > this.config.maxAnsweredIds) {
      answered.splice(0, answered.length - this.config.maxAnsweredIds);
    }
    this.store.save(this.state);
  };

  Chat.prototype.build = function () {
    var self = this;
    var style = el("style");
    style.textContent = CSS;
    document.head.appendChild(style);

    var root = (this.root = el("div", "bsc-root"));
    root.setAttribute("data-bodysoul-chat", "");

    var launcher = (this.launcher = el("button", "bsc-launcher"));
    launcher.type = "button";
    launcher.setAttribute("aria-controls", "bsc-panel");
    launcher.addEventListener("click", function () {
      self.setOpen(true, true);
    });

    var panel = (this.panel = el("div", "bsc-panel"));
    panel.id = "bsc-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-labelledby", "bsc-title");
    panel.hidden = true;
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") self.setOpen(false, true);
    });

    var header = el("div", "bsc-header");
    var heading = el("div", "bsc-heading");
    this.title = el("h2", "bsc-title");
    this.title.id = "bsc-title";
    this.subtitle = el("p", "bsc-subtitle");
    heading.appendChild(this.title);
    heading.appendChild(this.subtitle);

    this.langGroup = el("div", "bsc-lang");
    this.langGroup.setAttribute("role", "group");
    this.langButtons = {};
    [
      ["en", "EN"],
      ["zh", "中文"],
    ].forEach(function (pair) {
      var button = el("button", null, pair[1]);
      button.type = "button";
      button.lang = pair[0];
      button.setAttribute("data-lang", pair[0]);
      button.addEventListener("click", function () {
        self.switchLanguage(pair[0]);
      });
      self.langButtons[pair[0]] = button;
      self.langGroup.appendChild(button);
    });

    this.closeButton = el("button", "bsc-close", "×");
    this.closeButton.type = "button";
    this.closeButton.addEventListener("click", function () {
      self.setOpen(false, true);
    });
    header.appendChild(heading);
    header.appendChild(this.langGroup);
    header.appendChild(this.closeButton);

    this.status = el("p", "bsc-status");
    this.status.setAttribute("role", "status");
    this.status.hidden = true;

    // role=log is a polite live region: new messages are read out, history is not.
    this.log = el("div", "bsc-log");
    this.log.setAttribute("role", "log");
    this.log.setAttribute("aria-live", "polite");
    this.log.tabIndex = 0;
    this.typing = el("div", "bsc-typing");
    this.typing.hidden = true;
    this.typing.setAttribute("aria-hidden", "true"); // the reply itself is announced

    var form = (this.form = el("form", "bsc-form"));
    this.inputLabel = el("label", "bsc-sr");
    this.inputLabel.htmlFor = "bsc-input";
    this.input = el("textarea", "bsc-input");
    this.input.id = "bsc-input";
    this.input.rows = 1;
    this.input.maxLength = 1000;
    this.input.setAttribute("enterkeyhint", "send");
    this.input.addEventListener("input", function () {
      self.sayTyping();
    });
    this.input.addEventListener("keydown", function (event) {
      // Enter that confirms an input-method composition (Chinese pinyin) is not a send.
      if (event.isComposing || event.keyCode === 229) return;
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        self.sendTyped();
      }
    });
    this.sendButton = el("button", "bsc-send");
    this.sendButton.type = "submit";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.sendTyped();
    });
    form.appendChild(this.inputLabel);
    form.appendChild(this.input);
    form.appendChild(this.sendButton);

    // The privacy notice: one line above the input before the first message, then a
    // small link below it.
    this.notice = el("p", "bsc-notice");
    this.noticeText = el("span");
    this.noticeLink = privacyLink();
    this.notice.appendChild(this.noticeText);
    this.notice.appendChild(document.createTextNode(" "));
    this.notice.appendChild(this.noticeLink);
    this.footer = el("p", "bsc-footer");
    this.footerLink = privacyLink();
    this.footer.appendChild(this.footerLink);

    panel.appendChild(header);
    panel.appendChild(this.status);
    panel.appendChild(this.log);
    panel.appendChild(this.notice);
    panel.appendChild(form);
    panel.appendChild(this.footer);
    root.appendChild(launcher);
    root.appendChild(panel);
    document.body.appendChild(root);
    this.applyLanguage();
  };

  Chat.prototype.applyLanguage = function () {
    var lang = this.state.lang;
    this.root.lang = lang === "zh" ? "zh-CN" : "en";
    this.launcher.textContent = this.t("launcher");
    this.title.textContent = this.t("title");
    this.subtitle.textContent = this.t("subtitle");
    this.closeButton.setAttribute("aria-label", this.t("close"));
    this.langGroup.setAttribute("aria-label", this.t("languageLabel"));
    this.inputLabel.textContent = this.t("inputLabel");
    this.input.placeholder = this.t("placeholder");
    this.sendButton.textContent = this.t("send");
    this.typing.textContent = "";
    this.typing.appendChild(el("span", "bsc-dots", this.t("typing")));
    for (var code in this.langButtons) {
      this.langButtons[code].setAttribute("aria-pressed", String(code === lang));
    }
    var privacyUrl = safeHref(
      this.config.server + "/webchat/privacy" + (lang === "zh" ? "?lang=zh" : "")
    );
    this.noticeText.textContent = this.t("notice").replace("{days}", String(RETENTION_DAYS));
    this.noticeLink.textContent = this.t("noticeLink");
    this.footerLink.textContent = this.t("privacy");
    this.footerLink.title = this.t("noticeLink");
    if (privacyUrl) {
      this.noticeLink.href = privacyUrl;
      this.footerLink.href = privacyUrl;
    }
    this.showConnection();
    this.showNotice();
  };

  Chat.prototype.showNotice = function () {
    this.notice.hidden = this.state.spoke;
    this.footer.hidden = !this.state.spoke;
  };

  Chat.prototype.markSpoken = function () {
    if (this.state.spoke) return;
    this.state.spoke = true;
    this.showNotice();
  };

  Chat.prototype.setOpen = function (open, byUser) {
    this.state.open = open;
    this.panel.hidden = !open;
    this.launcher.hidden = open;
    this.launcher.setAttribute("aria-expanded", String(open));
    this.save();
    if (open) {
      this.connect();
      this.scrollToEnd();
      if (byUser) this.input.focus();
    } else if (byUser) {
      this.launcher.focus();
    }
  };

  // ------------------------------------------------------------ the connection

  Chat.prototype.connect = function () {
    if (this.socket) return;
    var self = this;
    if (typeof io !== "function") {
      throw new Error("BodySoulChat: the socket.io client is missing (use the built widget.js)");
    }
    this.socket = io(this.config.server, {
      path: this.config.socketPath,
      transports: ["websocket", "polling"],
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
    this.showConnection();
    this.socket.on("connect", function () {
      // Rasa's socket.io channel (session_persistence: true) puts this socket in the
      // conversation's room; the server may hand back a new id if ours is not valid.
      self.socket.emit("session_request", { session_id: self.state.sessionId });
    });
    this.socket.on("session_confirm", function (sessionId) {
      if (isSessionId(sessionId) && sessionId !== self.state.sessionId) {
        self.state.sessionId = sessionId;
      }
      self.connected = true;
      self.showConnection();
      self.save();
      // What was sent before the connection dropped and never acknowledged, in order.
      self.state.pending.forEach(function (item) {
        self.transmit(item);
      });
      if (!self.state.greeted) {
        self.state.greeted = true;
        self.emit(greetPayload(self.state.lang), { language: self.state.lang });
      }
    });
    this.socket.on("disconnect", function () {
      self.connected = false;
      self.showConnection();
    });
    this.socket.on("connect_error", function () {
      self.connected = false;
      self.showConnection();
    });
    this.socket.on("bot_uttered", function (message) {
      self.receive(message);
    });
  };

  Chat.prototype.showConnection = function () {
    if (!this.socket) return;
    var everConnected = this.everConnected || (this.everConnected = this.connected);
    this.status.hidden = this.connected;
    this.status.textContent = this.connected
      ? ""
      : this.t(everConnected ? "reconnecting" : "connecting");
    this.root.setAttribute("data-connection", this.connected ? "online" : "offline");
    this.sendButton.setAttribute("aria-disabled", String(!this.connected));
  };

  Chat.prototype.emit = function (text, metadata) {
    var item = { id: randomId(), message: text };
    if (metadata) item.metadata = metadata;
    this.state.pending.push(item);
    this.save();
    this.transmit(item);
    this.typing.hidden = false;
    this.log.appendChild(this.typing);
    this.scrollToEnd();
    // Not every message gets a reply: the indicator does not stay up forever.
    var typing = this.typing;
    window.clearTimeout(this.typingTimer);
    this.typingTimer = window.setTimeout(function () {
      typing.hidden = true;
    }, 15000);
  };

  // Sends a pending message; the server's acknowledgement takes it off the list (also
  // when a store was down: the visitor was told so and may send it again).
  Chat.prototype.transmit = function (item) {
    if (!this.socket || !this.connected) return; // sent on the next session_confirm
    var self = this;
    var data = { message: item.message, session_id: this.state.sessionId, message_id: item.id };
    if (item.metadata) data.metadata = item.metadata;
    this.socket.emit("user_uttered", data, function (ack) {
      self.acknowledged(item.id, ack);
    });
  };

  Chat.prototype.acknowledged = function (id, ack) {
    if (ack && ack.message_id && ack.message_id !== id) return;
    this.state.pending = this.state.pending.filter(function (item) {
      return item.id !== id;
    });
    this.save();
  };

  // While a person of reception answers, they see that the visitor is typing: the
  // server passes it on only then (channels/handover.py). At most every 2 seconds.
  Chat.prototype.sayTyping = function () {
    var now = Date.now();
    if (!this.socket || !this.connected || now - (this.typedAt || 0) < 2000) return;
    this.typedAt = now;
    this.socket.emit("user_typing", { session_id: this.state.sessionId });
  };

  // ------------------------------------------------------------ messages

  Chat.prototype.sendTyped = function () {
    var text = this.input.value.trim();
    if (!text) return;
    if (!this.connected) {
      this.showConnection(); // the text stays in the box until we are back
      return;
    }
    this.input.value = "";
    this.markSpoken();
    this.addMessage({ from: "user", text: text });
    this.emit(text);
  };

  Chat.prototype.sendReply = function (message, reply) {
    if (!this.connected) {
      this.showConnection();
      return false;
    }
    message.used = true;
    this.markSpoken();
    this.addMessage({ from: "user", text: reply.title });
    this.emit(reply.payload);
    return true;
  };

  Chat.prototype.switchLanguage = function (lang) {
    if (lang === this.state.lang) return;
    this.state.lang = lang;
    this.applyLanguage();
    this.save();
    // The assistant confirms in the chosen language and keeps it for its replies
    // (until the visitor writes in the other one).
    if (this.connected) this.emit(switchLanguagePayload(lang), { language: lang });
  };

  Chat.prototype.receive = function (message) {
    if (!message || typeof message !== "object") return;
    var replyTo = typeof message.reply_to === "string" ? message.reply_to : "";
    if (message.replayed === true) {
      // A repeat's replies: left out if the first attempt's were shown.
      if (this.state.answered.indexOf(replyTo) >= 0 && !this.replaying[replyTo]) return;
      this.replaying[replyTo] = true;
    }
    if (replyTo && this.state.answered.indexOf(replyTo) < 0) this.state.answered.push(replyTo);
    this.typing.hidden = true;
    var entry = { from: "bot", text: typeof message.text === "string" ? message.text : "" };
    // Written by a person of reception (channels/handover.py): labelled as such.
    if (message.from_person === true) entry.person = true;
    var replies = message.quick_replies || message.buttons;
    if (Array.isArray(replies) && replies.length) {
      entry.replies = replies
        .filter(function (r) {
          return r && typeof r.title === "string" && typeof r.payload === "string";
        })
        .map(function (r) {
          return { title: r.title, payload: r.payload };
        });
    }
    if (
      message.attachment &&
      message.attachment.type === "image" &&
      message.attachment.payload &&
      typeof message.attachment.payload.src === "string"
    ) {
      entry.link = message.attachment.payload.src; // shown as a link, not loaded
    }
    if (!entry.text && !entry.replies && !entry.link) return;
    this.addMessage(entry);
  };

  Chat.prototype.addMessage = function (entry) {
    this.state.transcript.push(entry);
    this.save();
    this.renderMessage(entry);
    this.scrollToEnd();
  };

  Chat.prototype.renderTranscript = function () {
    // History is put back without being announced again: the live region is muted
    // while it is rebuilt.
    this.log.setAttribute("aria-live", "off");
    for (var i = 0; i < this.state.transcript.length; i++) {
      this.renderMessage(this.state.transcript[i]);
    }
    var log = this.log;
    window.setTimeout(function () {
      log.setAttribute("aria-live", "polite");
    }, 0);
  };

  Chat.prototype.renderMessage = function (entry) {
    var self = this;
    var kind = entry.from === "user" ? "bsc-user" : "bsc-bot" + (entry.person ? " bsc-person" : "");
    var bubble = el("div", "bsc-msg " + kind);
    if (entry.person) {
      bubble.appendChild(el("span", "bsc-who", this.t("person")));
    } else {
      bubble.appendChild(el("span", "bsc-sr", this.t(entry.from === "user" ? "you" : "bot") + ": "));
    }
    var content = el("span", "bsc-text");
    if (entry.from === "user") {
      content.textContent = entry.text;
    } else {
      appendLinkified(content, entry.text || "", this.rules, STRINGS[this.state.lang]);
      if (entry.link) appendLinkified(content, " " + entry.link, this.rules.slice(0, 1), {});
    }
    bubble.appendChild(content);
    if (entry.text || entry.link) this.log.insertBefore(bubble, this.typing.parentNode ? this.typing : null);
    if (entry.replies && entry.replies.length) {
      var group = el("div", "bsc-replies");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", this.t("quickReplies"));
      entry.replies.forEach(function (reply) {
        var button = el("button", null, reply.title);
        button.type = "button";
        button.disabled = !!entry.used;
        button.addEventListener("click", function () {
          if (!self.sendReply(entry, reply)) return;
          var buttons = group.querySelectorAll("button");
          for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
          self.save();
          self.input.focus();
        });
        group.appendChild(button);
      });
      this.log.insertBefore(group, this.typing.parentNode ? this.typing : null);
    }
  };

  Chat.prototype.scrollToEnd = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  // ---------------------------------------------------------------- public API

  var script = document.currentScript;
  var instance = null;

  function configFromScript() {
    var config = {};
    if (!script) return config;
    var data = script.dataset;
    if (data.server) config.server = data.server;
    if (data.socketPath) config.socketPath = data.socketPath;
    if (data.lang) config.lang = data.lang;
    if (data.storageKey) config.storageKey = data.storageKey;
    if (data.open) config.open = data.open === "true";
    if (!config.server && script.src) config.server = new URL(script.src).origin;
    return config;
  }

  function init(options) {
    if (instance) return instance;
    var config = {};
    var sources = [DEFAULTS, configFromScript(), options || {}];
    sources.forEach(function (source) {
      for (var key in source) {
        if (Object.prototype.hasOwnProperty.call(source, key)) config[key] = source[key];
      }
    });
    config.server = String(config.server || window.location.origin).replace(/\/+$/, "");
    config.lang =
      pickLanguage(config.lang) ||
      pickLanguage(document.documentElement.lang) ||
      pickLanguage(window.navigator.language) ||
      "en";
    instance = new Chat(config);
    return instance;
  }

  window.BodySoulChat = {
    init: init,
    open: function () {
      init().setOpen(true, true);
    },
    close: function () {
      if (instance) instance.setOpen(false, true);
    },
    get sessionId() {
      return instance ? instance.state.sessionId : null;
    },
  };

  // <script ... data-auto-init="false"> leaves it to the page to call BodySoulChat.init().
  if (!script || script.dataset.autoInit !== "false") {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () {
        init();
      });
    } else {
      init();
    }
  }
})(window, document);

// The evaluation page: live saves that never fail silently, confirmations, and the version
// that ordinary forms must carry. No inline script, so the Content-Security-Policy can forbid it.
(function () {
  "use strict";

  var REASONS = {
    403: "无权修改：材料可能已提交或退回状态已变，或登录已过期。请刷新页面后再试。",
    404: "这份材料已不存在或您无权查看。",
    409: "别人刚修改了同一格。",
    413: "输入过长，服务器拒收。",
    429: "操作过于频繁，请稍后再试。"
  };

  function status() { return document.getElementById("edit-status"); }

  function markFailed(cell, reason) {
    cell.classList.add("save-failed");
    cell.setAttribute("aria-invalid", "true");
    cell.title = "未保存：" + reason;
    var box = status();
    if (!box) return;
    box.innerHTML = "";
    var p = document.createElement("p");
    p.className = "error";
    p.textContent = "未保存（" + (cell.getAttribute("aria-label") || "") + "）：" + reason + " 您输入的“" + cell.value + "”仍在格中。";
    var retry = document.createElement("button");
    retry.type = "button";
    retry.className = "link retry";
    retry.textContent = "重试保存";
    retry.addEventListener("click", function () { htmx.trigger(cell, "change"); });
    p.appendChild(retry);
    box.appendChild(p);
  }

  function markSaved(cell) {
    cell.classList.remove("save-failed");
    cell.removeAttribute("aria-invalid");
    cell.removeAttribute("title");
    cell.dataset.base = cell.value;
  }

  // Each live cell posts its path, whether this is a preview while typing, and the value it
  // was read with: a colleague's save elsewhere in the package does not refuse this one.
  document.addEventListener("htmx:configRequest", function (event) {
    var cell = event.detail.elt;
    if (!cell.dataset || !cell.dataset.path) return;
    var trigger = event.detail.triggeringEvent;
    event.detail.parameters.path = cell.dataset.path;
    event.detail.parameters.preview = trigger && trigger.type === "keyup" ? "1" : "";
    event.detail.parameters.base = cell.dataset.base;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var cell = event.detail.elt;
    if (!cell.dataset || !cell.dataset.path) return;
    var xhr = event.detail.xhr;
    var preview = event.detail.requestConfig && event.detail.requestConfig.parameters && event.detail.requestConfig.parameters.preview === "1";
    if (event.detail.successful) {
      var refused = status() && status().querySelector(".error");
      if (refused) markFailed(cell, refused.textContent.replace(/^未保存：/, ""));
      else if (!preview) markSaved(cell);
      return;
    }
    if (!xhr || !xhr.status) return; // the network failure is reported by htmx:sendError
    var reason = REASONS[xhr.status] || ("服务器出错（" + xhr.status + "），数据未保存。");
    if (xhr.status === 409 && xhr.responseText && xhr.responseText.length < 500) reason = xhr.responseText;
    markFailed(cell, reason);
  });

  document.addEventListener("htmx:sendError", function (event) {
    var cell = event.detail.elt;
    if (cell.dataset && cell.dataset.path) markFailed(cell, "网络中断，数据未送到服务器。");
  });
  document.addEventListener("htmx:timeout", function (event) {
    var cell = event.detail.elt;
    if (cell.dataset && cell.dataset.path) markFailed(cell, "服务器响应超时，数据可能未保存。");
  });

  // Forms posted the ordinary way carry the version the live edits have moved on to, and ask
  // first where they say so (data-confirm; data-confirm-list names an element whose text is shown).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var source = button && button.dataset.confirm ? button : form;
    if (source.dataset && source.dataset.confirm) {
      var text = source.dataset.confirm;
      var list = source.dataset.confirmList && document.getElementById(source.dataset.confirmList);
      if (list) text = list.textContent.trim() + "\n\n" + text;
      if (!window.confirm(text)) {
        event.preventDefault();
        return;
      }
    }
    var field = form.querySelector("input[name=version]");
    var current = document.getElementById("version");
    if (field && current) field.value = current.value;
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector(".save-failed")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

// The queue: select the whole page at once, count what is selected, and say that an export is
// being made until its download begins (the server sets a cookie carrying the token sent with
// the request). Everything works without this script; it only tells the reviewer what happens.
(function () {
  "use strict";

  var form = document.getElementById("selection");
  if (!form) return;
  var all = document.getElementById("select-all");
  var count = document.getElementById("selected-count");
  var status = document.getElementById("export-status");
  var boxes = form.querySelectorAll("input[name=ids]");

  function selected() { return form.querySelectorAll("input[name=ids]:checked").length; }

  function recount() {
    var n = selected();
    count.textContent = String(n);
    if (all) {
      all.checked = n > 0 && n === boxes.length;
      all.indeterminate = n > 0 && n < boxes.length;
    }
  }

  if (all) {
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      recount();
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "ids") recount();
  });
  recount();

  var waiting = null;

  function waitFor(token, what) {
    status.className = "hint busy";
    status.textContent = "正在生成" + what + "，份数多时需要几十秒，请勿关闭页面……";
    clearInterval(waiting);
    var started = Date.now();
    waiting = setInterval(function () {
      if (document.cookie.indexOf("jixiao-export=" + token) >= 0) {
        clearInterval(waiting);
        status.className = "hint";
        status.textContent = what + "已生成，浏览器正在下载。";
      } else if (Date.now() - started > 180000) {
        clearInterval(waiting);
        status.className = "hint";
        status.textContent = "导出时间过长，请减少份数后重试。";
      }
    }, 500);
  }

  function newToken() { return Math.random().toString(36).slice(2, 14) || "t"; }

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.dataset.export) return;
    var token = newToken();
    form.querySelector("input[name=token]").value = token;
    if (selected() > 0) waitFor(token, " " + selected() + " 份" + button.dataset.export);
  });

  document.querySelectorAll("a[data-export]").forEach(function (link) {
    link.addEventListener("click", function () {
      var token = newToken();
      link.href = link.href.replace(/&token=[^&]*/, "") + "&token=" + token;
      waitFor(token, "筛选结果的 " + link.dataset.export);
    });
  });
})();

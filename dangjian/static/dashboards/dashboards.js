/* Dashboards: fetch every panel's chart JSON once (and again every `data-refresh` seconds on the big
   screen), draw it with the vendored ECharts, open the list behind a bar, cell or slice on click (the data
   item's `url`, else the panel's `list_url`) and save a chart as PNG in the browser. No request leaves
   the server the page came from. */
(function () {
  "use strict";
  var root = document.querySelector("[data-dashboard]");
  if (!root || !window.echarts) return;
  var dark = root.getAttribute("data-theme") === "dark";
  var charts = {};
  var state = { drawn: 0, loads: 0, errors: [] };
  window.dashboardState = state;

  function card(code) {
    return root.querySelector('[data-panel="' + code + '"]');
  }

  function themed(option) {
    if (!dark) return option;
    option.backgroundColor = "transparent";
    option.textStyle = Object.assign({ color: "#d8e2f0" }, option.textStyle || {});
    return option;
  }

  function draw(panel) {
    var box = card(panel.code);
    if (!box) return;
    var host = box.querySelector(".dash-chart");
    var note = box.querySelector('[data-role="note"]');
    var list = box.querySelector('[data-role="list"]');
    if (panel.error) {
      host.innerHTML = '<div class="dash-error">' + panel.error + "</div>";
      state.errors.push(panel.code);
      return;
    }
    if (note) note.textContent = panel.note || "";
    if (list && panel.list_url) {
      list.href = panel.list_url;
      list.hidden = false;
    }
    var chart = charts[panel.code];
    if (!chart) {
      host.innerHTML = "";
      chart = echarts.init(host, dark ? "dark" : null, { renderer: "canvas" });
      charts[panel.code] = chart;
      chart.on("click", function (p) {
        var url = (p.data && p.data.url) || box.getAttribute("data-list-url");
        if (url) window.location.href = url;
      });
      chart.on("finished", function () {
        if (!box.hasAttribute("data-drawn")) {
          box.setAttribute("data-drawn", "1");
          state.drawn += 1;
        }
      });
    }
    box.setAttribute("data-list-url", panel.list_url || "");
    chart.setOption(themed(panel.option), true);
  }

  function load() {
    return fetch(root.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (data) {
        data.panels.forEach(draw);
        state.loads += 1;
        var stamp = document.querySelector('[data-role="updated"]');
        if (stamp) stamp.textContent = data.generated_at.replace("T", " ").slice(0, 19);
      })
      .catch(function (e) {
        state.errors.push(String(e));
        root.querySelectorAll(".dash-loading").forEach(function (el) {
          el.textContent = "数据读取失败，请刷新页面重试。";
        });
      });
  }

  root.addEventListener("click", function (e) {
    var btn = e.target.closest('[data-role="png"]');
    if (!btn) return;
    var box = btn.closest("[data-panel]");
    var chart = charts[box.getAttribute("data-panel")];
    if (!chart) return;
    var a = document.createElement("a");
    a.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: dark ? "#0b1a33" : "#ffffff" });
    a.download = (box.querySelector(".dash-card-title").textContent || "chart") + ".png";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) {
      charts[k].resize();
    });
  });

  load();
  var every = parseInt(root.getAttribute("data-refresh") || "0", 10);
  if (every > 0) window.setInterval(load, every * 1000);
})();

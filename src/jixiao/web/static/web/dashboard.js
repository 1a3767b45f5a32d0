// Draws the dashboard's charts from the JSON the page embeds with json_script.
// Nulls stay nulls: ECharts leaves a gap, so a blank score is never drawn as zero.
(function () {
  "use strict";

  var filter = document.querySelector(".dash-filter");
  if (filter) {
    var select = filter.querySelector("select");
    var go = filter.querySelector(".dash-go");
    if (go) go.style.display = "none";  // with scripts on, choosing a year is enough
    if (select) select.addEventListener("change", function () { filter.submit(); });
  }

  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var charts = [];
  var font = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: "svg" });
    option.textStyle = { fontFamily: font };
    option.tooltip = option.tooltip || { trigger: "axis" };
    (option.series || []).forEach(function (s) { if (s.type === "bar") s.barMaxWidth = 48; });
    chart.setOption(option);
    charts.push(chart);
  }

  // Horizontal bar lists grow with their rows, so a bureau of 200 units stays readable.
  function fit(id, rows) {
    var el = document.getElementById(id);
    if (el) el.style.height = Math.max(320, rows * 26 + 40) + "px";
  }

  function empty(values) {
    return !values.some(function (v) { return v !== null && v !== 0; });
  }

  function nothing(id, text) {
    var el = document.getElementById(id);
    if (el) { el.classList.add("chart-empty"); el.textContent = text; }
  }

  // Long unit names would swallow a category axis; the tooltip still shows the whole name.
  var shortLabel = { formatter: function (v) { return v.length > 10 ? v.slice(0, 10) + "…" : v; } };

  // A grade keeps its colour whichever grades happen to be present.
  var gradeColors = { "优": "#2e7d32", "良": "#1565c0", "中": "#f9a825", "差": "#c62828" };

  if (empty(data.grades.values)) nothing("chart-grades", "暂无可核算的等级");
  else draw("chart-grades", {
    tooltip: { trigger: "item", formatter: "{b}：{c} 个单位（{d}%）" },
    legend: { bottom: 0 },
    series: [{ type: "pie", radius: ["40%", "70%"], label: { formatter: "{b} {c}" },
      data: data.grades.labels.map(function (g, i) {
        return { name: g, value: data.grades.values[i], itemStyle: { color: gradeColors[g] || "#757575" } };
      })
        .filter(function (d) { return d.value > 0; }) }]
  });

  if (empty(data.rates.counts)) nothing("chart-rates", "暂无项目执行率数据");
  else draw("chart-rates", {
    grid: { left: 40, right: 16, top: 36, bottom: 40 },
    xAxis: { type: "category", data: data.rates.bands },
    yAxis: { type: "value", name: "项目数", minInterval: 1 },
    series: [{ type: "bar", data: data.rates.counts, itemStyle: { color: "#1565c0" }, label: { show: true, position: "top" } }]
  });

  draw("chart-scores", {
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 90 },
    xAxis: { type: "category", data: data.scores.units, axisLabel: Object.assign({ rotate: 30, interval: 0 }, shortLabel) },
    yAxis: { type: "value", name: "分" },
    series: [
      { name: "填报总分", type: "bar", data: data.scores.stated, itemStyle: { color: "#90a4ae" } },
      { name: "核算总分", type: "bar", data: data.scores.total, itemStyle: { color: "#1565c0" } }
    ]
  });

  if (empty(data.rates.means)) nothing("chart-unit-rates", "暂无项目执行率数据");
  else draw("chart-unit-rates", {
    grid: { left: 48, right: 16, top: 24, bottom: 90 },
    xAxis: { type: "category", data: data.rates.units, axisLabel: Object.assign({ rotate: 30, interval: 0 }, shortLabel) },
    yAxis: { type: "value", name: "%" },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + "%"; } },
    series: [{ name: "平均执行率", type: "bar", data: data.rates.means, itemStyle: { color: "#00897b" },
      markLine: { silent: true, symbol: "none", label: { show: false }, data: [{ yAxis: 100 }], lineStyle: { color: "#c62828", type: "dashed" } } }]
  });

  if (!data.ranking.total.length) nothing("chart-ranking", "暂无可核算的总分");
  else {
    fit("chart-ranking", data.ranking.units.length);
    draw("chart-ranking", {
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: function (v) { return Math.max(100, Math.ceil(v.max)); } },
      yAxis: { type: "category", data: data.ranking.units, axisLabel: shortLabel },
      series: [{ name: "核算总分", type: "bar", data: data.ranking.total, itemStyle: { color: "#1565c0" },
        label: { show: true, position: "right" } }]
    });
  }

  if (!data.findings.values.length) nothing("chart-findings", "未发现问题");
  else {
    fit("chart-findings", data.findings.labels.length);
    draw("chart-findings", {
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.findings.labels,
        axisLabel: { formatter: function (v) { var t = v.replace(/（[^（]*）$/, ""); return t.length > 14 ? t.slice(0, 14) + "…" : t; } } },
      series: [{ name: "问题数", type: "bar", data: data.findings.values, itemStyle: { color: "#ef6c00" },
        label: { show: true, position: "right" } }]
    });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
